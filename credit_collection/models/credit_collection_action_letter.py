from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

LETTER_CHANNELS = ("letter", "registered_letter")
LETTER_REPORT = "credit_collection.action_report_collection_letter"


# One of the files that extend the action, each with what it holds (see
# credit_collection_action.py): one class per file by design.
class CreditCollectionAction(models.Model):
    """Letters of collection actions: the day's letters printed in one go,
    each kept on its action as the letter that went out; a formal notice
    adds the statutory late-payment charges."""

    _inherit = "credit.collection.action"  # pylint: disable=consider-merging-classes-inherited

    def _late_charges(self):
        """Late-payment charges a formal notice claims on its invoices."""
        self.ensure_one()
        if self.level != "level_3":
            return []
        return self.env["credit.collection.late.charges"]._compute_charges(
            self.move_line_ids, self.date
        )

    # Sentences with a value inside are written here, whole: in a QWeb
    # template a value splits its sentence into pieces translated apart.

    def _formal_notice_text(self):
        self.ensure_one()
        return self.env._(
            "Despite our previous reminders, the invoices below remain unpaid. "
            "We hereby give you formal notice to pay the amount due within "
            "%(days)s days of receipt of this letter.",
            days=self.stage_id.notice_days or 8,
        )

    def _statement_contact_text(self):
        self.ensure_one()
        return self.env._(
            "Please contact %(name)s for any question about this statement.",
            name=self.user_id.name or self.company_id.name,
        )

    def action_invoice_late_charges(self):
        """Invoice the charges the formal notice claims (a draft to check)."""
        self.ensure_one()
        charges = self._late_charges()
        if not charges:
            raise UserError(
                self.env._(
                    "%(action)s claims no late-payment charges: only formal "
                    "notices do, when the company claims them.",
                    action=self.display_name,
                )
            )
        invoice = self.env["credit.collection.late.charges"]._invoice_charges(
            self.partner_id, charges, self.date
        )
        self.message_post(
            body=self.env._(
                "Late-payment charges invoiced: %(invoice)s",
                invoice=invoice._get_html_link(),
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": invoice.id,
            "view_mode": "form",
        }

    def action_print_letters(self):
        """Print the selected letters to do in one PDF; each action keeps its
        own letter as evidence and is done (a registered letter then waits
        for its tracking number and receipt)."""
        letters = self.filtered(
            lambda a: a.state == "todo" and a.channel in LETTER_CHANNELS
        )
        if not letters:
            raise UserError(
                self.env._("Select letters or registered letters still to do.")
            )
        kept = letters._keep_letters()
        letters.write({"sent_date": fields.Date.context_today(self)})
        letters.action_done()
        return letters._download_letters(kept)

    def _download_letters(self, kept):
        """The letters to print as one PDF, merged from the ones kept: no
        second rendering (and Debian's wkhtmltopdf cannot render several
        documents in one run). Tests render HTML: the report then."""
        if any(attachment.mimetype != "application/pdf" for attachment in kept):
            return self.env.ref(LETTER_REPORT).report_action(self)
        merged = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "Letters to post - %(date)s.pdf",
                    date=fields.Date.context_today(self),
                ),
                "raw": merge_pdf([attachment.raw for attachment in kept]),
                "mimetype": "application/pdf",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{merged.id}?download=true",
            "target": "download",
        }

    def _keep_letters(self):
        """Attach to each action the letter that goes out; returns them. (In
        tests Odoo renders reports as HTML unless ``force_report_rendering``.)"""
        Report = self.env["ir.actions.report"]
        kept = self.env["ir.attachment"]
        for action in self:
            content, extension = Report._render_qweb_pdf(LETTER_REPORT, action.ids)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": self.env._(
                        "Letter - %(customer)s - %(date)s.%(extension)s",
                        customer=action.partner_id.name,
                        date=action.date,
                        extension=extension,
                    ),
                    "raw": content,
                    "mimetype": "application/pdf"
                    if extension == "pdf"
                    else "text/html",
                    "res_model": action._name,
                    "res_id": action.id,
                }
            )
            action.message_post(
                body=self.env._("Letter printed for posting."),
                attachment_ids=attachment.ids,
            )
            kept |= attachment
        return kept
