from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    # The stage each open receivable item has reached, written by the daily
    # run; an invoice paid in instalments has one per instalment.
    collection_stage_id = fields.Many2one(
        "credit.collection.stage",
        copy=False,
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
