from odoo import api, fields, models

from .selections import (
    COLLECTION_STATUSES,
    DISPUTE_ACTIVE_STATES,
    PLAN_HOLDING_STATES,
)


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
        compute="_compute_collection_status",
        store=True,
        readonly=False,
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

    collection_promise_ids = fields.Many2many(
        "credit.collection.promise",
        string="Promises to pay",
        compute="_compute_collection_records",
    )
    collection_dispute_ids = fields.Many2many(
        "credit.collection.dispute",
        string="Disputes",
        compute="_compute_collection_records",
    )

    collection_plan_ids = fields.Many2many(
        "credit.collection.plan",
        string="Payment plans",
        compute="_compute_collection_records",
    )

    @api.depends(
        "line_ids.collection_promise_ids",
        "line_ids.collection_dispute_ids",
        "line_ids.collection_plan_ids",
    )
    def _compute_collection_records(self):
        for move in self:
            move.collection_promise_ids = move.line_ids.collection_promise_ids
            move.collection_dispute_ids = move.line_ids.collection_dispute_ids
            move.collection_plan_ids = move.line_ids.collection_plan_ids

    @api.depends(
        "line_ids.collection_promise_ids.state",
        "line_ids.collection_dispute_ids.state",
        "line_ids.collection_plan_ids.state",
    )
    def _compute_collection_status(self):
        """Computed from the records that hold back dunning: an open dispute
        on one of the invoice's items makes it ``disputed``, else a payment
        plan ``payment_plan``, else an open promise ``promised``. Litigation
        and exclusion are set by hand."""
        for move in self:
            if move.collection_status in ("litigation", "excluded"):
                continue
            lines = move.line_ids
            if any(
                d.state in DISPUTE_ACTIVE_STATES for d in lines.collection_dispute_ids
            ):
                move.collection_status = "disputed"
            elif any(p.state in PLAN_HOLDING_STATES for p in lines.collection_plan_ids):
                move.collection_status = "payment_plan"
            elif any(p.state == "open" for p in lines.collection_promise_ids):
                move.collection_status = "promised"
            else:
                move.collection_status = "normal"
