from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        """A reminder that reached no one fails its collection action, with
        the reason: the next run tries the stage again."""
        if failure_type and not success_pids:
            for mail in self.filtered(
                lambda m: m.model == "credit.collection.action" and m.res_id
            ):
                action = self.env["credit.collection.action"].browse(mail.res_id)
                if action.sudo().mail_message_id != mail.mail_message_id:
                    continue  # another email about the action, not the reminder
                action.sudo()._fail_delivery(
                    self.env._(
                        "The email could not be delivered: %(reason)s",
                        reason=failure_reason or mail.failure_reason or failure_type,
                    )
                )
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
