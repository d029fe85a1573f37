from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # A credit note matched with a disputed item settles the dispute.
        self.env["credit.collection.dispute"].sudo()._resolve_by_credit_notes(partials)
        return partials
