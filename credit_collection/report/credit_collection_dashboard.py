from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields, models, tools
from odoo.tools import SQL

# The rates of the dashboard look back this far: long enough to mean
# something, short enough to show a change in practice.
RECENT_DAYS = 90
BLOCKED = [("collection_blocked", "=", True)]


class CreditCollectionDashboard(models.Model):
    """The Collections dashboard: one card per company the user works in,
    with the figures a credit manager starts the day with, each opening the
    analysis behind it (a database view over the companies; the figures are
    computed when read)."""

    _name = "credit.collection.dashboard"
    _description = "Collections Dashboard"
    _auto = False
    _order = "company_id"
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_not_due = fields.Monetary(string="Not due", compute="_compute_receivables")
    amount_overdue = fields.Monetary(string="Overdue", compute="_compute_receivables")
    amount_over_90 = fields.Monetary(
        string="Over 90 days", compute="_compute_receivables"
    )
    amount_unapplied = fields.Monetary(
        string="Unapplied credits",
        compute="_compute_receivables",
        help="Payments and credit notes not matched with invoices yet.",
    )
    overdue_share = fields.Float(
        string="Overdue (%)", digits=(16, 1), compute="_compute_receivables"
    )
    kpi_month = fields.Date(string="Month of the KPIs", compute="_compute_kpis")
    dso = fields.Float(string="DSO (days)", digits=(16, 1), compute="_compute_kpis")
    cei = fields.Float(string="CEI (%)", digits=(16, 1), compute="_compute_kpis")
    kept_rate = fields.Float(
        string="Promises kept (%)", digits=(16, 1), compute="_compute_promises"
    )
    promises_open = fields.Integer(string="Open promises", compute="_compute_promises")
    disputes_open = fields.Integer(string="Open disputes", compute="_compute_disputes")
    amount_disputed = fields.Monetary(
        string="Disputed, still open", compute="_compute_disputes"
    )
    resolution_days = fields.Float(
        string="Days to resolve", digits=(16, 1), compute="_compute_disputes"
    )
    actions_due = fields.Integer(
        string="Actions due", compute="_compute_actions", help="To do by today."
    )
    actions_failed = fields.Integer(string="Failed actions", compute="_compute_actions")
    paid_rate = fields.Float(
        string="Paid after an action (%)",
        digits=(16, 1),
        compute="_compute_effectiveness",
    )
    days_to_pay = fields.Float(
        string="Median days to pay", digits=(16, 1), compute="_compute_effectiveness"
    )
    customers_blocked = fields.Integer(
        string="Customers blocked", compute="_compute_customers_blocked"
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT company.id, company.id AS company_id,
                           company.currency_id
                      FROM res_company company
                     WHERE company.active
                )
                """,
                view=SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------

    def _figures(self, model, aggregates, domain=()):
        """The ``aggregates`` of ``model`` per company of the cards, read in
        one query: a function giving a card its values (0 when none)."""
        # Database views read the tables: pending writes must reach them.
        self.env.flush_all()
        rows = self.env[model]._read_group(
            [("company_id", "in", self.company_id.ids), *domain],
            ["company_id"],
            aggregates,
        )
        found = {company.id: values for company, *values in rows}
        nothing = [0] * len(aggregates)
        return lambda card: [
            value or 0 for value in found.get(card.company_id.id, nothing)
        ]

    def _since(self):
        return fields.Date.context_today(self) - timedelta(days=RECENT_DAYS)

    def _compute_receivables(self):
        # What customers owe, by age; payments and credit notes not matched
        # yet apart: netting them would hide what is late.
        by_bucket = {}
        self.env.flush_all()
        for company, bucket, amount in self.env[
            "credit.collection.aged.balance"
        ]._read_group(
            [("company_id", "in", self.company_id.ids), ("amount_residual", ">", 0)],
            ["company_id", "bucket"],
            ["amount_residual:sum"],
        ):
            by_bucket.setdefault(company.id, {})[bucket] = amount
        unapplied = self._figures(
            "credit.collection.aged.balance",
            ["amount_residual:sum"],
            [("amount_residual", "<", 0)],
        )
        for card in self:
            buckets = by_bucket.get(card.company_id.id, {})
            owed = sum(buckets.values())
            card.amount_not_due = buckets.get("not_due", 0.0)
            card.amount_overdue = owed - card.amount_not_due
            card.amount_over_90 = buckets.get("over_90", 0.0)
            card.overdue_share = 100.0 * card.amount_overdue / owed if owed else 0.0
            (card.amount_unapplied,) = unapplied(card)

    def _compute_kpis(self):
        last_month = fields.Date.context_today(self).replace(day=1) - relativedelta(
            months=1
        )
        for card in self:
            kpi = self.env["credit.collection.kpi"].search(
                [("company_id", "=", card.company_id.id), ("month", "<=", last_month)],
                limit=1,
            )
            card.kpi_month = kpi.month
            card.dso = kpi.dso
            card.cei = kpi.cei

    def _compute_promises(self):
        kept = self._figures(
            "credit.collection.promise.report",
            ["kept_rate:avg"],
            [("closed_date", ">=", self._since())],
        )
        pending = self._figures(
            "credit.collection.promise", ["__count"], [("state", "=", "open")]
        )
        for card in self:
            (card.kept_rate,) = kept(card)
            (card.promises_open,) = pending(card)

    def _compute_disputes(self):
        pending = self._figures(
            "credit.collection.dispute.report",
            ["__count", "amount_open:sum"],
            [("amount_open", ">", 0)],
        )
        closed = self._figures(
            "credit.collection.dispute.report",
            ["resolution_days:avg"],
            [("closed_date", ">=", self._since())],
        )
        for card in self:
            card.disputes_open, card.amount_disputed = pending(card)
            (card.resolution_days,) = closed(card)

    def _compute_actions(self):
        today = fields.Date.context_today(self)
        due = self._figures(
            "credit.collection.action",
            ["__count"],
            [("state", "=", "todo"), ("date", "<=", today)],
        )
        failed = self._figures(
            "credit.collection.action", ["__count"], [("state", "=", "failed")]
        )
        for card in self:
            (card.actions_due,) = due(card)
            (card.actions_failed,) = failed(card)

    def _compute_effectiveness(self):
        figures = self._figures(
            "credit.collection.effectiveness",
            ["paid_rate:avg", "days_to_pay:median"],
            [("date", ">=", self._since())],
        )
        for card in self:
            card.paid_rate, card.days_to_pay = figures(card)

    def _compute_customers_blocked(self):
        for card in self:
            card.customers_blocked = card._customers().search_count(BLOCKED)

    def _customers(self):
        """Customers as seen from the card's company: blocking, like other
        collection settings of a customer, is per company."""
        self.ensure_one()
        return self.env["res.partner"].with_company(self.company_id)

    # ------------------------------------------------------------------
    # Drill-down
    # ------------------------------------------------------------------

    def _open(self, xmlid, context=None, domain=()):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("company_id", "=", self.company_id.id), *domain]
        action["context"] = context or {}
        return action

    def action_open_aged_balance(self):
        return self._open("credit_collection.credit_collection_aged_balance_action")

    def action_open_kpis(self):
        return self._open("credit_collection.credit_collection_kpi_action")

    def action_open_promises(self):
        return self._open("credit_collection.credit_collection_promise_report_action")

    def action_open_disputes(self):
        return self._open(
            "credit_collection.credit_collection_dispute_report_action",
            {"search_default_open": 1},
        )

    def action_open_agenda(self):
        return self._open(
            "credit_collection.credit_collection_action_action",
            {"search_default_todo": 1},
            [("date", "<=", fields.Date.context_today(self))],
        )

    def action_open_failed(self):
        return self._open(
            "credit_collection.credit_collection_action_action",
            {"search_default_failed": 1},
        )

    def action_open_effectiveness(self):
        return self._open("credit_collection.credit_collection_effectiveness_action")

    def action_open_blocked(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "credit_collection.res_partner_action_collection"
        )
        action["domain"] = [("id", "in", self._customers().search(BLOCKED).ids)]
        # The blocked customers themselves, not grouped by payer profile (the
        # menu's list opens folded by profile).
        action["context"] = {"res_partner_search_mode": "customer"}
        return action
