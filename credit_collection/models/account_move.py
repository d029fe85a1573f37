from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .selections import (
    COLLECTION_STATUSES,
    DISPUTE_ACTIVE_STATES,
    PLAN_HOLDING_STATES,
    STAGE_LEVELS,
)

# account.move's fields kept in credit.collection.invoice.state: {field: the
# state's field (its level: its stage's)}
INVOICE_STATE_FIELDS = {
    "collection_stage_id": "stage_id",
    "collection_level": "level",
    "collection_next_date": "next_date",
}


class AccountMove(models.Model):
    _inherit = "account.move"

    # Where the invoice stands, kept beside it (credit.collection.invoice.state,
    # written by the run): searchable, groupable and sortable as columns of
    # the invoice are, through _field_to_sql.
    collection_invoice_state_ids = fields.One2many(
        "credit.collection.invoice.state",
        "move_id",
        string="Collection State",
        readonly=True,
    )
    collection_stage_id = fields.Many2one(
        "credit.collection.stage",
        compute="_compute_collection_invoice_state",
        inverse="_inverse_collection_invoice_state",
        search="_search_collection_stage_id",
    )
    collection_level = fields.Selection(
        STAGE_LEVELS,
        compute="_compute_collection_invoice_state",
        search="_search_collection_level",
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
        string="Next Collection Action",
        compute="_compute_collection_invoice_state",
        inverse="_inverse_collection_invoice_state",
        search="_search_collection_next_date",
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

    @api.depends(
        "collection_invoice_state_ids.stage_id",
        "collection_invoice_state_ids.next_date",
    )
    def _compute_collection_invoice_state(self):
        for move in self:
            state = move.sudo().collection_invoice_state_ids[:1]
            move.collection_stage_id = state.stage_id
            move.collection_level = state.level
            move.collection_next_date = state.next_date

    def _inverse_collection_invoice_state(self):
        """A stage or next date set by hand (a collector, an import)."""
        State = self.env["credit.collection.invoice.state"].sudo()
        for move in self:
            values = {
                "stage_id": move.collection_stage_id.id,
                "next_date": move.collection_next_date,
            }
            state = move.sudo().collection_invoice_state_ids[:1]
            if state:
                state.write(values)
            elif any(values.values()):  # a form saves empty fields too
                State.create(dict(values, move_id=move.id))

    def _search_collection_stage_id(self, operator, value):
        return self._collection_state_domain("stage_id", operator, value)

    def _search_collection_level(self, operator, value):
        return self._collection_state_domain("level", operator, value)

    def _search_collection_next_date(self, operator, value):
        return self._collection_state_domain("next_date", operator, value)

    def _collection_state_domain(self, column, operator, value):
        """The invoices whose state's ``column`` matches; an invoice the run
        never reached has no state, its value is empty."""
        states = self.env["credit.collection.invoice.state"].sudo()
        empty_matches = value is False or (
            isinstance(value, list | tuple) and False in value
        )
        negative = operator in expression.NEGATIVE_TERM_OPERATORS
        if negative and not empty_matches:
            # "not X" holds for the invoices without a state too
            positive = expression.TERM_OPERATORS_NEGATION[operator]
            matching = states._search([(column, positive, value)])
            return [("id", "not in", matching.subselect("move_id"))]
        domain = [
            (
                "id",
                "in",
                states._search([(column, operator, value)]).subselect("move_id"),
            )
        ]
        if empty_matches and not negative:
            without_state = ("id", "not in", states._search([]).subselect("move_id"))
            domain = expression.OR([domain, [without_state]])
        return domain

    def _field_to_sql(self, alias, fname, query=None, flush=True):
        """The state's columns (the level: its stage's), joined: the invoice
        list groups and sorts by them as by its own columns."""
        column = INVOICE_STATE_FIELDS.get(fname)
        if not column or query is None:
            return super()._field_to_sql(alias, fname, query, flush)
        State = self.env["credit.collection.invoice.state"]
        state_alias = query.make_alias(alias, "collection_invoice_state")
        query.add_join(
            "LEFT JOIN",
            state_alias,
            State._table,
            SQL(
                "%s = %s",
                SQL.identifier(state_alias, "move_id"),
                SQL.identifier(alias, "id"),
            ),
        )
        # The ORM's own: a column of the state, or a field related through
        # it (the level, its stage's), with the joins it needs.
        return State._field_to_sql(state_alias, column, query, flush)

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
