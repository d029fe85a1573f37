from odoo import api, models

from ..tools.mail_headers import is_automatic_reply


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """Odoo's gateway posts an out-of-office reply as the sender's answer;
        the context tells the collection records that receive it that a
        program wrote it (see ``credit_collection_action_delivery.py``)."""
        thread = self
        if is_automatic_reply(message):
            thread = self.with_context(credit_collection_automatic_reply=True)
        return super(MailThread, thread)._message_route_process(
            message, message_dict, routes
        )
