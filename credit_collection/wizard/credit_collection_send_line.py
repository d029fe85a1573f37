from odoo import fields, models


class CreditCollectionSendLine(models.TransientModel):
    """One customer's reminder in the send wizard, editable before it goes."""

    _name = "credit.collection.send.line"
    _description = "Collection Reminder to Send"

    wizard_id = fields.Many2one(
        "credit.collection.send", required=True, ondelete="cascade"
    )
    action_id = fields.Many2one(
        "credit.collection.action", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="action_id.partner_id")
    template_id = fields.Many2one("mail.template", required=True)
    recipient_ids = fields.Many2many(
        "res.partner",
        "credit_collection_send_line_to_rel",
        "line_id",
        "partner_id",
        string="To",
    )
    recipient_cc_ids = fields.Many2many(
        "res.partner",
        "credit_collection_send_line_cc_rel",
        "line_id",
        "partner_id",
        string="Cc",
    )
    subject = fields.Char(required=True)
    body = fields.Html(sanitize_style=True)
    attach_invoices = fields.Boolean(
        help="Attach the PDF of each invoice besides the statement of account."
    )
