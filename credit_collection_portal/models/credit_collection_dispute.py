import uuid

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from ..tools.signed_link import signed_link, token_opens

_lt = LazyTranslate(__name__)

# What the person examining a dispute says, as the first words of the answer.
ANSWER_KINDS = {
    "comment": _lt("Comment"),
    "credit_note": _lt("Proposes a credit note"),
    "delivery_confirmed": _lt("Confirms the delivery"),
}


class CreditCollectionDispute(models.Model):
    """The internal person examining a dispute gets a link signed for it: a
    page where they read the dispute and its invoices and answer, without
    Collections rights."""

    _name = "credit.collection.dispute"
    _inherit = ["credit.collection.dispute", "portal.mixin"]

    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for dispute in self:
            dispute.access_url = f"/collection/dispute/{dispute.id}"
        return result

    def _answer_link_valid(self, token):
        self.ensure_one()
        return self.state in ("open", "in_progress") and token_opens(
            self.access_token, token
        )

    # ------------------------------------------------------------------
    # Raised by the customer on the portal
    # ------------------------------------------------------------------

    @api.model
    def _portal_raise(
        self, customer, company, action, items, type_id, description, amount, documents
    ):
        """``customer`` disputes ``amount`` of ``items`` on the portal, with
        its ``documents`` (``[(name, content)]``), about one of the types the
        page offers: the common ones and the company's own."""
        kind = (
            self.env["credit.collection.dispute.type"]
            .sudo()
            .search([("id", "=", type_id), ("company_id", "in", [False, company.id])])
        )
        if not kind:
            raise UserError(self.env._("Choose what the dispute is about."))
        if not description:
            raise UserError(self.env._("Describe the problem."))
        return self._portal_create(
            customer,
            company,
            action,
            items,
            {"type_id": kind.id, "description": description, "amount": amount},
            documents,
        )

    def _portal_summary(self):
        return self.env._(
            "%(customer)s raised a dispute on the portal: %(description)s",
            customer=self.partner_id.name,
            description=self.description,
        )

    # ------------------------------------------------------------------
    # Answered by the person examining it, through their signed link
    # ------------------------------------------------------------------

    def _answer_kinds(self):
        return {key: str(label) for key, label in ANSWER_KINDS.items()}

    def _portal_answer(self, kind, text, documents):
        """The responsible person's answer of ``kind``, with ``text`` and
        their ``documents`` (``[(name, content)]``), posted in the dispute's
        thread as their message."""
        self.ensure_one()
        kinds = self._answer_kinds()
        if kind not in kinds:
            raise UserError(self.env._("Choose what your answer is."))
        if not text and kind == "comment":
            raise UserError(self.env._("Write your answer first."))
        return self.sudo().message_post(
            body=Markup("<b>%s</b><br/>%s") % (kinds[kind], text),
            author_id=self.responsible_id.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            attachments=documents,
        )

    def _notify_responsible(self):
        """One email for the responsible person, with the link signed for
        the dispute (instead of Odoo's activity email, which has none)."""
        result = super(
            CreditCollectionDispute, self.with_context(mail_activity_quick_update=True)
        )._notify_responsible()
        for dispute in self.filtered("responsible_id"):
            # In the responsible person's language, as Odoo's own emails.
            lang = dispute.responsible_id.lang
            dispute = dispute.with_context(lang=lang)
            dispute.message_notify(
                partner_ids=dispute.responsible_id.partner_id.ids,
                subject=dispute._responsible_summary(),
                body=Markup("<p>%s</p><p>%s</p><p><a href='%s'>%s</a></p>")
                % (
                    dispute._responsible_summary(),
                    dispute.description,
                    signed_link(dispute, lang),
                    dispute.env._("Read the dispute and answer"),
                ),
            )
        return result
