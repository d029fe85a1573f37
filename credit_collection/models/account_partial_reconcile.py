from odoo import api, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # A credit note matched with a disputed item settles the dispute.
        self.env["credit.collection.dispute"].sudo()._resolve_by_credit_notes(partials)
        # Paid or credited: an automatic block may lift.
        self.env["res.partner"]._collection_refresh_for_items(
            partials.debit_move_id | partials.credit_move_id
        )
        # What the actions done on the items brought in.
        Action = self.env["credit.collection.action"]
        Action._results_for_items(partials.debit_move_id)
        # What is left to collect, and the customer's record, changed.
        Action._refresh_recovery_for(partials.debit_move_id | partials.credit_move_id)
        return partials

    def unlink(self):
        debit_lines = self.debit_move_id
        lines = debit_lines | self.credit_move_id
        result = super().unlink()
        # Unreconciled: what was paid is owed again.
        self.env["res.partner"]._collection_refresh_for_items(lines.exists())
        Action = self.env["credit.collection.action"]
        Action._results_for_items(debit_lines.exists())
        Action._refresh_recovery_for(lines.exists())
        return result
