from odoo import models


class MailNotification(models.Model):
    _inherit = "mail.notification"

    def write(self, vals):
        result = super().write(vals)
        if "notification_status" in vals:
            texts = self.filtered(
                lambda n: (
                    n.notification_type == "sms"
                    and n.mail_message_id.model == "credit.collection.action"
                )
            )
            if texts:
                self.env["credit.collection.action"].sudo().browse(
                    texts.mail_message_id.mapped("res_id")
                )._sms_report(texts)
        return result
