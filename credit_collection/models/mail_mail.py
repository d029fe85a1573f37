import smtplib

from odoo import models

REMINDER_MODEL = "credit.collection.action"


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        """A reminder that reached no one fails its collection action, with
        the reason: the next run tries the stage again."""
        if failure_type and not success_pids:
            for mail in self.filtered(lambda m: m.model == REMINDER_MODEL and m.res_id):
                action = self.env[REMINDER_MODEL].browse(mail.res_id)
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

    def _send(self, auto_commit=False, raise_exception=False, **kwargs):
        """Odoo marks each email failed just before handing it to the mail
        server (so that it never goes twice), then gives up the batch when
        the server drops the connection: the reminder being sent stays failed
        without a reason, and its action would claim it went out. Fail it
        with the reason, as a refused one: the next run asks again."""
        try:
            return super()._send(
                auto_commit=auto_commit, raise_exception=raise_exception, **kwargs
            )
        except smtplib.SMTPServerDisconnected as error:
            interrupted = self.filtered(
                lambda m: (
                    m.model == REMINDER_MODEL
                    and m.state == "exception"
                    and not m.failure_type
                )
            )
            reason = str(error)
            interrupted.write({"failure_reason": reason, "failure_type": "mail_smtp"})
            interrupted._postprocess_sent_message(
                success_pids=[], failure_reason=reason, failure_type="mail_smtp"
            )
            raise
