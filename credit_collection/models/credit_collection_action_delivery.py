from odoo import api, fields, models


# One of the files that extend the action, each with what it holds (see
# credit_collection_action.py): one class per file by design.
class CreditCollectionAction(models.Model):
    """Proof of delivery of a collection action: a registered letter's
    tracking number and acknowledgment of receipt (from which the formal
    notice's deadline counts), a fax's number and transmission report, what
    happens when an email does not reach the customer, and what comes back
    from the customer's side."""

    _inherit = "credit.collection.action"  # pylint: disable=consider-merging-classes-inherited

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
        reason = self.env._("The email to %(email)s bounced.", email=email)
        self._fail_delivery(reason)
        self._ask_to_fix_contact(self.env._("Fix the email address"), reason)
        return super()._message_receive_bounce(email, partner)

    def message_post(self, **kwargs):
        """An automatic reply to a reminder (out of office) stays in the
        thread as evidence, as a note: it is not the customer's answer, so
        it notifies no one."""
        if (
            self.env.context.get("credit_collection_automatic_reply")
            and kwargs.get("message_type") == "email"
        ):
            kwargs["subtype_id"] = self.env["ir.model.data"]._xmlid_to_res_id(
                "mail.mt_note"
            )
            kwargs["partner_ids"] = []
        return super().message_post(**kwargs)
