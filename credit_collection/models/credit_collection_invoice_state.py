from odoo import fields, models


class CreditCollectionInvoiceState(models.Model):
    """Where an invoice stands in its collection: its furthest item stage
    and the date its next stage falls due.

    Kept beside the invoice rather than on it, as the item states are: the
    daily run rewrites it for thousands of invoices at once, and an update
    of ``account_move`` rewrites the whole row through its thirty indexes
    (three quarters of a cold run's writing), where an upsert here touches
    two. Written by the run in bulk SQL; read, searched, grouped and sorted
    through ``account.move``'s ``collection_stage_id``, ``collection_level``
    and ``collection_next_date``.
    """

    _name = "credit.collection.invoice.state"
    _description = "Collection State of an Invoice"
    _log_access = False
    _rec_name = "move_id"
    _sql_constraints = [
        (
            "one_state_per_invoice",
            "UNIQUE(move_id)",
            "An invoice has one collection state.",
        )
    ]

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    # The invoice's own, not a column (as the item state's).
    company_id = fields.Many2one(related="move_id.company_id")
    stage_id = fields.Many2one(
        "credit.collection.stage", index="btree_not_null", ondelete="restrict"
    )
    # The stage's, read through it: written once (the run's upsert and the
    # stage's own level cannot disagree).
    level = fields.Selection(related="stage_id.level")
    next_date = fields.Date(string="Next Collection Action", index="btree_not_null")
