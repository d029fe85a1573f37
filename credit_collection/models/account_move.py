from odoo import fields, models

from .selections import COLLECTION_STATUSES


class AccountMove(models.Model):
    _inherit = "account.move"

    # Written by the collection run and by collectors' feedback; tracked so
    # that the invoice's chatter keeps the history of its collection.
    collection_stage_id = fields.Many2one(
        "credit.collection.stage",
        copy=False,
        index="btree_not_null",
        tracking=True,
        ondelete="restrict",
    )
    collection_level = fields.Selection(
        related="collection_stage_id.level",
        store=True,
        string="Collection Level",
    )
    collection_status = fields.Selection(
        COLLECTION_STATUSES,
        default="normal",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    collection_comment = fields.Text(string="Last Collection Comment", copy=False)
    collection_next_date = fields.Date(
        string="Next Collection Action", copy=False, index="btree_not_null"
    )
