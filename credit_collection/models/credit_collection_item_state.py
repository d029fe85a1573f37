from odoo import fields, models


class CreditCollectionItemState(models.Model):
    """The stage one open receivable item has reached, and since when.

    Kept beside the journal item rather than on it: the daily run rewrites it
    for thousands of items at once, and an update of ``account_move_line``
    (a wide table with about twenty indexes) costs ten times an upsert here.
    Written by the run in bulk SQL; read through ``account.move.line``'s
    ``collection_stage_id``.
    """

    _name = "credit.collection.item.state"
    _description = "Collection State of a Receivable Item"
    _log_access = False
    _rec_name = "move_line_id"
    _sql_constraints = [
        (
            "one_state_per_item",
            "UNIQUE(move_line_id)",
            "A receivable item has one collection state.",
        )
    ]

    move_line_id = fields.Many2one(
        "account.move.line", required=True, readonly=True, ondelete="cascade"
    )
    # The item's own, not a column: the run inserts tens of thousands of
    # states, and a foreign key to the company costs a check on each.
    company_id = fields.Many2one(related="move_line_id.company_id")
    stage_id = fields.Many2one(
        "credit.collection.stage",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    date = fields.Date(
        string="Since", readonly=True, help="The day the item reached its stage."
    )
