from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import format_amount

# The most instalments a customer may propose on the portal.
MAX_INSTALMENTS = 24


class CreditCollectionPlan(models.Model):
    _inherit = "credit.collection.plan"

    @api.model
    def _portal_request(self, customer, company, action, items, instalment_count):
        """``customer`` asks on the portal to pay ``items`` in
        ``instalment_count`` instalments: a draft plan for the collector to
        review."""
        if not 1 <= instalment_count <= MAX_INSTALMENTS:
            raise UserError(
                self.env._(
                    "Propose between 1 and %(max)s instalments.", max=MAX_INSTALMENTS
                )
            )
        return self._portal_create(
            customer, company, action, items, {"instalment_count": instalment_count}
        )

    def _portal_received(self):
        self.action_generate_lines()

    def _portal_summary(self):
        return self.env._(
            "%(customer)s asks on the portal to pay %(amount)s in "
            "%(count)s instalments: review and confirm the plan.",
            customer=self.partner_id.name,
            amount=format_amount(self.env, self.amount_total, self.currency_id),
            count=self.instalment_count,
        )
