import calendar
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

# How far back the count-back method may walk to explain a balance.
DSO_MAX_MONTHS = 24


def month_end(month):
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


class CreditCollectionKpi(models.Model):
    """A company's collection figures for one month, recorded at the
    month's end (one row per company and month):

    * DSO by the count-back method: the receivables at the month's end are
      explained by the credit sales of the latest months, walking back: each
      month wholly absorbed counts all its days, the last one its share;
    * CEI, the collection effectiveness index: what was collected of what
      could be, (opening receivables + credit sales - closing receivables) /
      (opening receivables + credit sales - closing current receivables);
    * the receivables and sales behind them, in the company's currency.
    """

    _name = "credit.collection.kpi"
    _description = "Collection KPIs of a Month"
    _order = "company_id, month desc"
    _rec_name = "month"
    _sql_constraints = [
        (
            "one_row_per_month",
            "UNIQUE(company_id, month)",
            "The KPIs of a company are recorded once per month.",
        )
    ]

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    month = fields.Date(required=True, readonly=True, help="Its first day.")
    dso = fields.Float(
        string="DSO (days)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    cei = fields.Float(
        string="CEI (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    receivables_start = fields.Monetary(
        string="Opening receivables", readonly=True, aggregator=None
    )
    receivables_end = fields.Monetary(
        string="Closing receivables", readonly=True, aggregator=None
    )
    current_end = fields.Monetary(
        string="Closing receivables not due", readonly=True, aggregator=None
    )
    credit_sales = fields.Monetary(readonly=True)

    # ------------------------------------------------------------------
    # Ledger figures
    # ------------------------------------------------------------------

    @api.model
    def _receivables_at(self, company, day):
        """The receivable balance at the end of ``day``."""
        return self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(line.balance), 0)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                 WHERE account.account_type = 'asset_receivable'
                   AND line.parent_state = 'posted'
                   AND line.company_id = %s
                   AND line.date <= %s
                """,
                company.id,
                day,
            )
        )[0][0]

    @api.model
    def _current_at(self, company, day):
        """What was owed at the end of ``day`` and not yet due: invoiced
        items due later, less what had been matched with them by then."""
        return self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(line.balance - COALESCE(paid.amount, 0)), 0)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  LEFT JOIN LATERAL (
                        SELECT SUM(partial.amount) AS amount
                          FROM account_partial_reconcile partial
                         WHERE partial.debit_move_id = line.id
                           AND partial.max_date <= %(day)s
                  ) paid ON TRUE
                 WHERE account.account_type = 'asset_receivable'
                   AND line.parent_state = 'posted'
                   AND line.company_id = %(company)s
                   AND line.balance > 0
                   AND line.date <= %(day)s
                   AND COALESCE(line.date_maturity, line.date) > %(day)s
                """,
                company=company.id,
                day=day,
            )
        )[0][0]

    @api.model
    def _credit_sales(self, company, start, end):
        """``{first day of month: credit sales}`` from ``start`` to ``end``:
        customer invoices less credit notes, by accounting date."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT date_trunc('month', line.date)::date, SUM(line.balance)
                  FROM account_move_line line
                  JOIN account_account account ON account.id = line.account_id
                  JOIN account_move move ON move.id = line.move_id
                 WHERE account.account_type = 'asset_receivable'
                   AND line.parent_state = 'posted'
                   AND line.company_id = %s
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.date BETWEEN %s AND %s
              GROUP BY 1
                """,
                company.id,
                start,
                end,
            )
        )
        return dict(rows)

    # ------------------------------------------------------------------
    # The month's figures
    # ------------------------------------------------------------------

    @api.model
    def _month_values(self, company, month):
        month = month.replace(day=1)
        end = month_end(month)
        opening = self._receivables_at(company, month - timedelta(days=1))
        closing = self._receivables_at(company, end)
        current = self._current_at(company, end)
        first = month - relativedelta(months=DSO_MAX_MONTHS - 1)
        sales = self._credit_sales(company, first, end)
        collectible = opening + sales.get(month, 0.0) - current
        return {
            "company_id": company.id,
            "month": month,
            "receivables_start": opening,
            "receivables_end": closing,
            "current_end": current,
            "credit_sales": sales.get(month, 0.0),
            "dso": self._count_back(closing, sales, month),
            "cei": (
                100.0 * (opening + sales.get(month, 0.0) - closing) / collectible
                if collectible > 0
                else 0.0
            ),
        }

    @staticmethod
    def _count_back(balance, sales, month):
        """Days of sales the ``balance`` stands for, walking back from
        ``month`` through the monthly ``sales``."""
        days = 0.0
        for _back in range(DSO_MAX_MONTHS):
            month_days = calendar.monthrange(month.year, month.month)[1]
            sold = sales.get(month, 0.0)
            if balance <= 0:
                break
            if sold > 0 and balance <= sold:
                return days + balance / sold * month_days
            balance -= max(sold, 0.0)
            days += month_days
            month = month - relativedelta(months=1)
        return days

    @api.model
    def _record_months(self, company, months):
        """Record (or refresh) the figures of ``months`` for ``company``."""
        values = [self._month_values(company, month) for month in months]
        # Figures of the ledger, recorded by the system, never typed.
        kpis = self.sudo()
        existing = kpis.search(
            [
                ("company_id", "=", company.id),
                ("month", "in", [vals["month"] for vals in values]),
            ]
        )
        by_month = {kpi.month: kpi for kpi in existing}
        for vals in values:
            kpi = by_month.get(vals["month"])
            if kpi:
                kpi.write(vals)
            else:
                kpis.create(vals)

    @api.model
    def _cron_record(self):
        """Monthly: the figures of the month just ended, in every company."""
        last_month = (date.today().replace(day=1)) - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            self._record_months(company, [last_month])
