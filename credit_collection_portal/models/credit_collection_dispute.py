import uuid

from odoo import fields, models
from odoo.tools import consteq


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
        return bool(
            token
            and self.access_token
            and consteq(self.access_token, token)
            and self.state in ("open", "in_progress")
        )

    def _notify_responsible(self):
        result = super()._notify_responsible()
        for dispute in self.filtered("responsible_id"):
            url = dispute.get_base_url() + dispute._get_share_url(redirect=False)
            dispute.message_notify(
                partner_ids=dispute.responsible_id.partner_id.ids,
                subject=self.env._(
                    "Dispute of %(customer)s: your answer",
                    customer=dispute.partner_id.display_name,
                ),
                body=self.env._(
                    "%(customer)s disputes %(amount)s: %(description)s "
                    "<br/><a href='%(url)s'>Read the dispute and answer</a>",
                    customer=dispute.partner_id.display_name,
                    amount=dispute.currency_id.format(dispute.amount),
                    description=dispute.description,
                    url=url,
                ),
            )
        return result
