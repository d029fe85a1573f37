import calendar
import logging
from datetime import date, datetime, time, timedelta

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount, formatLang

_logger = logging.getLogger(__name__)

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

    def _receivable_table(self):
        return self.env["credit.collection.ledger"]._receivable_table()

    @api.model
    def _receivables_at(self, company, day):
        """The receivable balance at the end of ``day``."""
        return self.env.execute_query(
            SQL(
                """
                SELECT COALESCE(SUM(line.balance), 0)
                  FROM %(receivable)s
                 WHERE line.company_id = %(company)s
                   AND line.date <= %(day)s
                """,
                receivable=self._receivable_table(),
                company=company.id,
                day=day,
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
                  FROM %(receivable)s
                  LEFT JOIN LATERAL (
                        SELECT SUM(partial.amount) AS amount
                          FROM account_partial_reconcile partial
                         WHERE partial.debit_move_id = line.id
                           AND partial.max_date <= %(day)s
                  ) paid ON TRUE
                 WHERE line.company_id = %(company)s
                   AND line.balance > 0
                   AND line.date <= %(day)s
                   AND COALESCE(line.date_maturity, line.date) > %(day)s
                """,
                receivable=self._receivable_table(),
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
                  FROM %(receivable)s
                  JOIN account_move move ON move.id = line.move_id
                 WHERE line.company_id = %(company)s
                   AND move.move_type IN ('out_invoice', 'out_refund')
                   AND line.date BETWEEN %(start)s AND %(end)s
              GROUP BY 1
                """,
                receivable=self._receivable_table(),
                company=company.id,
                start=start,
                end=end,
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
        """Record (or refresh) the figures of ``months`` for ``company``;
        returns the records."""
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
                by_month[vals["month"]] = kpis.create(vals)
        return self.browse([by_month[vals["month"]].id for vals in values])

    @api.model
    def _cron_record(self):
        """Monthly: the figures of the month just ended, in every company,
        emailed to the managers of the companies that asked for it."""
        last_month = (date.today().replace(day=1)) - relativedelta(months=1)
        for company in self.env["res.company"].search([]):
            try:
                with self.env.cr.savepoint():
                    kpi = self._record_months(company, [last_month])
                if company.credit_collection_kpi_email:
                    with self.env.cr.savepoint():
                        kpi._send_to_managers()
            except (UserError, ValidationError, psycopg2.Error):
                # One company's failure must not cost the others their month,
                # nor an email that fails the figures it was about.
                _logger.exception(
                    "Collection KPIs of %s for %s failed", company.name, last_month
                )

    # ------------------------------------------------------------------
    # The monthly email
    # ------------------------------------------------------------------

    def _managers(self):
        self.ensure_one()
        return (
            self.env.ref("credit_collection.group_credit_collection_manager")
            .sudo()
            .users.filtered(
                lambda user: self.company_id in user.company_ids and user.email
            )
        )

    def _send_to_managers(self):
        """Queue the month's figures to each Collections manager of the
        company, in their language."""
        self.ensure_one()
        template = self.env.ref("credit_collection.mail_template_kpi_monthly")
        for manager in self._managers():
            template.with_context(lang=manager.lang).send_mail(
                self.id,
                email_values={"recipient_ids": [Command.set(manager.partner_id.ids)]},
            )

    def _dashboard_url(self):
        return (
            f"{self.get_base_url()}"
            "/odoo/action-credit_collection.credit_collection_dashboard_action"
        )

    def _month_activity(self):
        """What the month's collection did, from the reports: the promises
        closed, the disputes raised and closed, the actions done per channel
        and what was paid after them."""
        self.ensure_one()
        company = self.company_id

        def figures(model, aggregates, domain):
            ((*values,),) = self.env[model]._read_group(
                [("company_id", "=", company.id), *domain], [], aggregates
            )
            return values

        # The figures come from database views: what this transaction
        # changed must be written first.
        self.env.flush_all()
        end = month_end(self.month)
        start_time = datetime.combine(self.month, time.min)
        end_time = datetime.combine(end + timedelta(days=1), time.min)
        activity = {}
        activity["promises"], activity["kept"], activity["in_full"] = figures(
            "credit.collection.promise.report",
            ["__count", "kept_rate:avg", "kept_in_full_rate:avg"],
            [("closed_date", ">=", self.month), ("closed_date", "<=", end)],
        )
        activity["raised"], activity["disputed"] = figures(
            "credit.collection.dispute.report",
            ["__count", "amount:sum"],
            [("raised_on", ">=", start_time), ("raised_on", "<", end_time)],
        )
        activity["settled"], activity["resolution"] = figures(
            "credit.collection.dispute.report",
            ["__count", "resolution_days:avg"],
            [("closed_date", ">=", start_time), ("closed_date", "<", end_time)],
        )
        activity["paid"], activity["days"] = figures(
            "credit.collection.effectiveness",
            ["paid_rate:avg", "days_to_pay:median"],
            [("date", ">=", self.month), ("date", "<=", end)],
        )
        activity["by_channel"] = self.env["credit.collection.action"]._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "done"),
                ("done_date", ">=", start_time),
                ("done_date", "<", end_time),
            ],
            ["channel"],
            ["__count"],
        )
        return activity

    def _email_sections(self):
        """The email's tables: ``[(title, [(label, figure)])]``, figures
        formatted in the reader's language."""
        self.ensure_one()
        _ = self.env._
        company = self.company_id
        currency = company.currency_id

        def money(amount):
            return format_amount(self.env, amount or 0.0, currency)

        def number(value, digits=1):
            return formatLang(self.env, value or 0.0, digits=digits)

        def percent(value):
            return _("%(rate)s %%", rate=number(value))

        month = self._month_activity()
        now = self.env["credit.collection.dashboard"].browse(company.id)
        channels = dict(
            self.env["credit.collection.action"]
            ._fields["channel"]
            ._description_selection(self.env)
        )
        return [
            (
                _("DSO and CEI"),
                [
                    (_("DSO (days)"), number(self.dso)),
                    (_("CEI"), percent(self.cei)),
                    (_("Credit sales"), money(self.credit_sales)),
                    (_("Closing receivables"), money(self.receivables_end)),
                ],
            ),
            (
                _("Receivables today"),
                [
                    (_("Overdue"), money(now.amount_overdue)),
                    (_("Overdue share"), percent(now.overdue_share)),
                    (_("Over 90 days"), money(now.amount_over_90)),
                    (_("Not due"), money(now.amount_not_due)),
                    (_("Unapplied credits"), money(now.amount_unapplied)),
                ],
            ),
            (
                _("Promises to pay closed in the month"),
                [
                    (_("Promises"), number(month["promises"], 0)),
                    (_("Kept rate (by amount)"), percent(month["kept"])),
                    (_("Kept in full"), percent(month["in_full"])),
                ],
            ),
            (
                _("Disputes"),
                [
                    (_("Raised in the month"), number(month["raised"], 0)),
                    (_("Amount raised"), money(month["disputed"])),
                    (_("Closed in the month"), number(month["settled"], 0)),
                    (_("Mean days to resolve"), number(month["resolution"])),
                    (_("Still open"), number(now.disputes_open, 0)),
                    (_("Amount still open"), money(now.amount_disputed)),
                ],
            ),
            (
                _("Actions done in the month"),
                [
                    *(
                        (channels.get(channel, channel), number(count, 0))
                        for channel, count in month["by_channel"]
                    ),
                    (_("Paid after them so far"), percent(month["paid"])),
                    (_("Median days to pay"), number(month["days"])),
                ],
            ),
        ]
