from odoo import models


class SmsComposer(models.TransientModel):
    _inherit = "sms.composer"

    def _action_send_sms(self):
        # A collection action records the template its text came from.
        composer = self.with_context(collection_sms_template_id=self.template_id.id)
        return super(SmsComposer, composer)._action_send_sms()
