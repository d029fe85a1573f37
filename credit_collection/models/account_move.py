from odoo import api, fields, models

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

    @api.depends("line_ids.collection_promise_ids.state")
    def _compute_collection_status(self):
        """``promised`` while an open promise covers one of the invoice's
        items. The other statuses are still set by hand (disputes and payment
        plans will set theirs)."""
        for move in self:
            if move.collection_status not in (False, "normal", "promised"):
                continue
            promises = move.line_ids.collection_promise_ids
            promised = any(promise.state == "open" for promise in promises)
            move.collection_status = "promised" if promised else "normal"
