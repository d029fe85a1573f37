import io
import re
import zipfile

from odoo import api, fields, models

# Evidence files of collection records, in date order in the dossier.
EVIDENCE_MODELS = (
    "credit.collection.action",
    "credit.collection.promise",
    "credit.collection.dispute",
    "credit.collection.plan",
)


class CreditCollectionDossier(models.AbstractModel):
    """The litigation dossier of a customer: one ZIP for the lawyer or the
    collection agency, with a summary (the statement of what is owed and
    the whole collection history in date order), the PDF of every open
    invoice, and every proof kept: each email as it was sent with its
    attachments, the letters, the receipts, in date order."""

    _name = "credit.collection.dossier"
    _description = "Litigation Dossier"

    @api.model
    def _build(self, partner, company):
        """The dossier of ``partner`` in ``company``, as an attachment on
        the customer."""
        partner = partner.commercial_partner_id
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in self._files(partner, company):
                archive.writestr(name, content)
        today = fields.Date.context_today(self)
        # Kept on the customer, which collectors may not edit themselves.
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._(
                        "Litigation dossier - %(customer)s - %(date)s.zip",
                        customer=partner.name,
                        date=today,
                    ),
                    "raw": buffer.getvalue(),
                    "mimetype": "application/zip",
                    "res_model": "res.partner",
                    "res_id": partner.id,
                }
            )
        )

    @api.model
    def _files(self, partner, company):
        """(path, content) of each file of the dossier."""
        Report = self.env["ir.actions.report"]
        summary, extension = Report.with_company(company)._render_qweb_pdf(
            "credit_collection.action_report_collection_dossier", partner.ids
        )
        yield f"00_summary.{extension}", summary
        for invoice in partner._collection_open_items(company).move_id:
            content, extension = self._invoice_pdf(invoice)
            yield f"invoices/{self._safe(invoice.name)}.{extension}", content
        for index, (date, name, content) in enumerate(
            sorted(self._evidence(partner, company), key=lambda e: (e[0], e[1])),
            start=1,
        ):
            yield f"evidence/{index:04d}_{date:%Y-%m-%d}_{self._safe(name)}", content

    @api.model
    def _invoice_pdf(self, invoice):
        """The PDF Odoo keeps for the invoice, else rendered now."""
        if invoice.invoice_pdf_report_id:
            return invoice.invoice_pdf_report_id.raw, "pdf"
        return self.env["ir.actions.report"]._render_qweb_pdf(
            "account.account_invoices", invoice.ids
        )

    @api.model
    def _evidence(self, partner, company):
        """(date, file name, content) of every message sent or received on
        the customer's collection records (as an HTML page) and every file
        attached to them."""
        for model in EVIDENCE_MODELS:
            records = self.env[model].search(
                [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
            )
            if not records:
                continue
            messages = self.env["mail.message"].search(
                [
                    ("model", "=", model),
                    ("res_id", "in", records.ids),
                    ("message_type", "in", ("email", "comment", "email_outgoing")),
                ],
                order="date, id",
            )
            for message in messages:
                record = self.env[model].browse(message.res_id)
                title = message.subject or record.display_name
                yield (
                    message.date,
                    f"{title}.html",
                    self._message_page(message, title).encode(),
                )
            attachments = self.env["ir.attachment"].search(
                [("res_model", "=", model), ("res_id", "in", records.ids)],
                order="create_date, id",
            )
            for attachment in attachments:
                yield attachment.create_date, attachment.name, attachment.raw

    @api.model
    def _message_page(self, message, title):
        """A message as it was sent: who, when, to whom, and its body."""
        return self.env["ir.qweb"]._render(
            "credit_collection.dossier_message_page",
            {"message": message, "title": title},
        )

    @staticmethod
    def _safe(name):
        """A file name that any archive tool accepts."""
        return re.sub(r"[^\w.\- ]+", "_", name or "").strip() or "file"
