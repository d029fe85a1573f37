import psycopg2

from odoo import Command, models
from odoo.exceptions import UserError, ValidationError

# What a stage's template gives a reminder: its reports (the statement of
# account) are rendered one wkhtmltopdf run per reminder, as Debian's
# wkhtmltopdf (unpatched Qt) cannot render several documents in one run.
TEMPLATE_FIELDS = (
    "subject",
    "body_html",
    "email_from",
    "reply_to",
    "attachment_ids",
    "report_template_ids",
)


# One of the files that extend the action, each with what it holds (see
# credit_collection_action.py): one class per file by design.
class CreditCollectionAction(models.Model):
    """Emailed reminders of collection actions: rendered from the stage's
    template in the customer's language, sent from the collector to the
    collection contacts (To and Cc by role), with the statement of account
    (and, per stage, the invoices) attached; the message and its
    attachments stay in the action's thread, where replies land."""

    _inherit = "credit.collection.action"  # pylint: disable=consider-merging-classes-inherited

    def _send_email(self):
        """Render each action's stage template and queue it to the action's
        recipients. Mails are created in one batch per template (the mail
        queue sends them); a batch that fails is retried action by action so
        that one bad record fails alone."""
        sent = self.browse()
        for template, actions in self.grouped(
            lambda action: action.stage_id.mail_template_id
        ).items():
            if not template:
                actions._fail(self.env._("The stage has no email template to send."))
                continue
            try:
                with self.env.cr.savepoint():
                    sent |= actions._queue_template(template)
            except (UserError, ValidationError, psycopg2.Error):
                for action in actions:
                    try:
                        with self.env.cr.savepoint():
                            sent |= action._queue_template(template)
                    except (UserError, ValidationError, psycopg2.Error) as error:
                        action._fail(str(error))
        return sent

    def _queue_template(self, template):
        rendered = template._generate_template(self.ids, TEMPLATE_FIELDS)
        return self._queue_reminders(
            {
                action.id: {
                    "subject": rendered[action.id].get("subject"),
                    "body": rendered[action.id].get("body_html"),
                    "email_from": rendered[action.id].get("email_from"),
                    "reply_to": rendered[action.id].get("reply_to"),
                    "to": action.recipient_ids,
                    "cc": action.recipient_cc_ids,
                    "attachments": action._reminder_attachments(rendered[action.id]),
                    "template": template,
                }
                for action in self
            }
        )

    def _queue_reminders(self, contents):
        """Queue one email per action from ``contents`` (per action id:
        subject, body, email_from, reply_to, to and cc partners, attachments,
        the template it was written from)
        and mark the actions done; returns them."""
        comment = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
        mail_values = []
        for action in self:
            content = contents[action.id]
            to = content["to"].filtered("email")
            cc = content["cc"].filtered("email") - to
            if not to:
                raise UserError(
                    self.env._(
                        "%(action)s: no recipient with an email address.",
                        action=action.display_name,
                    )
                )
            author = action.user_id.partner_id or action.company_id.partner_id
            body = content.get("body") or ""
            values = {
                "model": action._name,
                "res_id": action.id,
                "record_name": action.name,
                "message_type": "comment",
                "subtype_id": comment,
                "author_id": author.id,
                "email_from": content.get("email_from") or author.email_formatted,
                "subject": content.get("subject") or action.name,
                "body": body,
                "body_html": body,
                # One email, addressed as a letter is: To and Cc headers.
                "email_to": ",".join(to.mapped("email_formatted")),
                "email_cc": ",".join(cc.mapped("email_formatted")) or False,
                "partner_ids": [Command.set((to | cc).ids)],
                "attachment_ids": [Command.set(content["attachments"].ids)],
                "auto_delete": False,
            }
            if content.get("reply_to"):
                values["reply_to"] = content["reply_to"]
            # Otherwise Odoo's own: the company's catchall, from which its
            # mail gateway routes the answer to the reminder's thread.
            mail_values.append(values)
        mails = self.env["mail.mail"].sudo().create(mail_values)
        feedback = self.env._("Reminder sent by email.")
        # Done one by one (each its own message), measured all at once.
        for action, mail in zip(self, mails, strict=True):
            action.with_context(
                tracking_disable=True, collection_measure_later=True
            )._mark_done(
                feedback=feedback,
                mail_message_id=mail.mail_message_id.id,
                mail_template_id=contents[action.id]["template"].id,
            )
        self._results_after_done()
        self._start_queue("mail.ir_cron_mail_scheduler_action")
        self._collectors_follow()
        return self

    def _collectors_follow(self):
        """The collector follows each reminder: the customer's answer, which
        Odoo's mail gateway posts in its thread, reaches them."""
        for user, actions in self.grouped("user_id").items():
            if user:
                actions.message_subscribe(partner_ids=user.partner_id.ids)

    def _reminder_attachments(self, rendered, attach_invoices=None):
        """What a reminder carries, kept on the action: the template's
        reports (the statement of account) and files, and the PDF of each
        invoice concerned when ``attach_invoices`` (by default: the stage)
        asks for it."""
        self.ensure_one()
        Attachment = self.env["ir.attachment"]
        attachments = Attachment.browse(rendered.get("attachment_ids") or [])
        attachments |= Attachment.create(
            [
                {
                    "name": name,
                    "datas": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
                for name, content in rendered.get("attachments") or []
            ]
        )
        if attach_invoices is None:
            attach_invoices = self.stage_id.attach_invoices
        if attach_invoices:
            attachments |= self._invoice_pdfs()
        return attachments

    def _invoice_pdfs(self):
        """The PDF of each invoice concerned: the one Odoo keeps for it, else
        rendered now."""
        self.ensure_one()
        invoices = self.move_line_ids.move_id.filtered(
            lambda move: move.is_sale_document()
        )
        pdfs = invoices.invoice_pdf_report_id
        missing = invoices.filtered(lambda move: not move.invoice_pdf_report_id)
        Report = self.env["ir.actions.report"]
        for invoice in missing:
            content, _format = Report._render_qweb_pdf(
                "account.account_invoices", invoice.ids
            )
            pdfs |= self.env["ir.attachment"].create(
                {
                    "name": f"{invoice._get_invoice_report_filename()}",
                    "raw": content,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        return pdfs
