from odoo import api, models
from odoo.tools import format_amount, format_date


class CreditCollectionPromise(models.Model):
    _inherit = "credit.collection.promise"

    @api.model
    def _portal_promise(self, customer, company, action, items, date, amount, comment):
        """``customer`` promises on the portal to pay ``amount`` by ``date``."""
        return self._portal_create(
            customer,
            company,
            action,
            items,
            {
                "source": "portal",
                "date": date,
                "amount": amount,
                "comment": comment or False,
            },
        )

    def _portal_summary(self):
        return self.env._(
            "%(customer)s promised %(amount)s by %(date)s on the portal.",
            customer=self.partner_id.name,
            amount=format_amount(self.env, self.amount, self.currency_id),
            date=format_date(self.env, self.date),
        )
