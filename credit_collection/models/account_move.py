from odoo import api, fields, models
from odoo.tools.sql import create_index

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
        copy=False,
        tracking=True,
        help="Computed from what holds back its dunning: the exclusion of the "
        "invoice or its customer, an open dispute, litigation, a payment plan, "
        "an open promise to pay.",
    )
    collection_excluded = fields.Boolean(
        string="Excluded from Collection",
        copy=False,
        tracking=True,
        help="No reminder is ever sent for this invoice (for instance a claim "
        "filed with an insolvency administrator).",
    )
    collection_comment = fields.Text(string="Last Collection Comment", copy=False)
    collection_next_date = fields.Date(
        string="Next Collection Action", copy=False, index="btree_not_null"
    )

    collection_action_id = fields.Many2one(
        "credit.collection.action",
        string="Next Action",
        compute="_compute_collection_action_id",
        groups="credit_collection.group_credit_collection_user",
        help="The earliest open agenda action about this invoice.",
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
    collection_block_warning = fields.Text(
        compute="_compute_collection_block_warning",
        help="Shown on a draft invoice whose customer is blocked for sales.",
    )

    @api.depends("partner_id", "state", "move_type", "company_id")
    def _compute_collection_block_warning(self):
        for move in self:
            customer = move.commercial_partner_id.sudo().with_company(move.company_id)
            blocked = (
                move.state == "draft"
                and move.move_type == "out_invoice"
                and customer.collection_blocked
            )
            move.collection_block_warning = (
                customer.collection_block_summary if blocked else False
            )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # A new invoice raises the exposure: the credit limit may be passed.
        self.env["res.partner"]._collection_refresh_for_items(
            posted.filtered(lambda m: m.is_sale_document()).line_ids
        )
        return posted

    def button_draft(self):
        lines = self.filtered(lambda m: m.is_sale_document()).line_ids
        result = super().button_draft()
        self.env["res.partner"]._collection_refresh_for_items(lines)
        return result

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

    def init(self):
        result = super().init()
        # Searched for the few invoices whose dunning is held back: a partial
        # index stays small, and the daily run's rewrite of thousands of
        # normal invoices does not maintain it.
        create_index(
            self.env.cr,
            "account_move_collection_status_held_index",
            self._table,
            ["collection_status"],
            where="collection_status <> 'normal'",
        )
        return result

    def _compute_collection_action_id(self):
        actions = self.env["credit.collection.action"].search(
            [("state", "=", "todo"), ("move_line_ids", "in", self.line_ids.ids)],
            order="date, id",
        )
        for move in self:
            move.collection_action_id = actions.filtered(
                lambda action, lines=move.line_ids: action.move_line_ids & lines
            )[:1]

    @api.depends(
        "move_type",
        "collection_excluded",
        "commercial_partner_id.collection_excluded",
        "commercial_partner_id.collection_litigation_date",
        "line_ids.collection_promise_ids.state",
        "line_ids.collection_dispute_ids.state",
        "line_ids.collection_plan_ids.state",
    )
    def _compute_collection_status(self):
        """The first that applies: excluded (the invoice or, in the invoice's
        company, its customer), an open dispute on one of its items, the
        customer handed over to litigation (reaching the scenario's last
        stage only sends its final letter), a running payment plan, an open
        promise."""
        for move in self:
            lines = move.line_ids
            customer = move.with_company(move.company_id).commercial_partner_id
            if not move.is_sale_document(include_receipts=True):
                move.collection_status = "normal"
            elif move.collection_excluded or customer.collection_excluded:
                move.collection_status = "excluded"
            elif any(
                d.state in DISPUTE_ACTIVE_STATES for d in lines.collection_dispute_ids
            ):
                move.collection_status = "disputed"
            elif customer.collection_litigation_date:
                move.collection_status = "litigation"
            elif any(p.state in PLAN_HOLDING_STATES for p in lines.collection_plan_ids):
                move.collection_status = "payment_plan"
            elif any(p.state == "open" for p in lines.collection_promise_ids):
                move.collection_status = "promised"
            else:
                move.collection_status = "normal"
