from odoo import api, fields, models


class CreditCollectionDeliveryMixin(models.AbstractModel):
    """Proof of delivery of a collection action: a registered letter's
    tracking number and acknowledgment of receipt (from which the formal
    notice's deadline counts), a fax's number and transmission report, and
    what happens when an email does not reach the customer. Part of
    ``credit.collection.action``."""

    _name = "credit.collection.delivery.mixin"
    _description = "Proof of Delivery of a Collection Action"
    _inherit = ["mail.thread"]

    tracking_number = fields.Char(
        copy=False, tracking=True, help="The postal tracking number of the letter."
    )
    sent_date = fields.Date(copy=False, tracking=True, help="Posted or faxed on.")
    receipt_date = fields.Date(
        string="Received on",
        copy=False,
        tracking=True,
        help="Date of the acknowledgment of receipt: the formal notice's "
        "deadline counts from it.",
    )
    fax_number = fields.Char(copy=False, tracking=True)
    proof_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Proof",
        copy=False,
        tracking=True,
        help="The signed acknowledgment of receipt or the fax transmission report.",
    )

    @api.model
    def _proof_fields(self):
        """Proofs that arrive after the action was done: each may be recorded
        once, never changed."""
        return {
            "tracking_number",
            "sent_date",
            "receipt_date",
            "fax_number",
            "proof_attachment_id",
            "notice_deadline",
        }

    def _fail_delivery(self, reason):
        """The message of a done action did not reach the customer: the
        action fails with the reason (the next run asks again), and says so in
        its thread."""
        for action in self.filtered(lambda a: a.state in ("todo", "done")):
            action.with_context(collection_delivery_report=True).write(
                {"state": "failed", "failure_reason": reason}
            )
            action.message_post(body=reason)

    def _message_receive_bounce(self, email, partner):
        self._fail_delivery(self.env._("The email to %(email)s bounced.", email=email))
        return super()._message_receive_bounce(email, partner)
