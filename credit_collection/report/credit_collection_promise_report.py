from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.selections import PROMISE_SOURCES, PROMISE_STATES


class CreditCollectionPromiseReport(models.Model):
    """Promises to pay once closed (kept or broken; cancelled ones promised
    nothing): how much of what customers promised they paid by the date.

    A promise paid in part is broken, yet kept for what was paid: the kept
    rate weighs each promise by its amount (Σ kept / Σ promised), while the
    share kept in full counts promises."""

    _name = "credit.collection.promise.report"
    _description = "Promises to Pay Analysis"
    _inherit = ["credit.collection.report.mixin"]
    _auto = False
    _order = "closed_date desc, id desc"
    _rec_name = "promise_id"
    _weighted_rates = {"kept_rate": ("amount_kept", "amount")}

    promise_id = fields.Many2one("credit.collection.promise", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Collector", readonly=True)
    source = fields.Selection(PROMISE_SOURCES, readonly=True)
    state = fields.Selection(PROMISE_STATES, readonly=True)
    date = fields.Date(string="Promised date", readonly=True)
    closed_date = fields.Date(readonly=True)
    amount = fields.Monetary(string="Promised", readonly=True)
    amount_kept = fields.Monetary(string="Paid by the date", readonly=True)
    kept_rate = fields.Float(
        string="Kept rate (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Paid by the promised date, out of the amount promised.",
    )
    kept_in_full_rate = fields.Float(
        string="Kept in full (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Share of the promises paid in full by their date.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT promise.id, promise.id AS promise_id,
                           promise.partner_id, promise.company_id,
                           company.currency_id, promise.user_id, promise.source,
                           promise.state, promise.date, promise.closed_date,
                           promise.amount,
                           COALESCE(promise.amount_kept, 0) AS amount_kept,
                           100.0 * COALESCE(promise.amount_kept, 0)
                               / NULLIF(promise.amount, 0) AS kept_rate,
                           CASE WHEN promise.state = 'kept' THEN 100.0 ELSE 0.0
                           END AS kept_in_full_rate
                      FROM credit_collection_promise promise
                      JOIN res_company company ON company.id = promise.company_id
                     WHERE promise.state IN ('kept', 'broken')
                )
                """,
                view=SQL.identifier(self._table),
            )
        )
