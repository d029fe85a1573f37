import uuid

from markupsafe import Markup

from odoo import fields, models

from ..tools.signed_link import signed_link, token_opens


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
