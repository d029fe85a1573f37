from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.selections import COLLECTION_STATUSES, PAYER_PROFILES
from ..xlsx.aged_balance import aged_balance_sheet
from ..xlsx.table import download

AGE_BUCKETS = [
    ("not_due", "Not due"),
    ("1_30", "1-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("over_90", "Over 90 days"),
]


class CreditCollectionAgedBalance(models.Model):
    """Open customer receivables by age, as of today: one row per open
    receivable item, with the customer's payer profile and collector and
    the invoice's collection status and last comment (a database view)."""

    _name = "credit.collection.aged.balance"
    _description = "Aged Balance"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_id"
    # Built on the receivable ledger's rule: rebuilt when an addon changes it.
    _collection_ledger_view = True

    move_line_id = fields.Many2one("account.move.line", readonly=True)
    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one("res.currency", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Document currency", readonly=True
    )
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    amount_residual = fields.Monetary(
        string="Amount due", readonly=True, currency_field="company_currency_id"
    )
    amount_residual_currency = fields.Monetary(
        string="Amount due in its currency", readonly=True, currency_field="currency_id"
    )
    payer_profile = fields.Selection(PAYER_PROFILES, readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    collection_status = fields.Selection(COLLECTION_STATUSES, readonly=True)
    collection_comment = fields.Text(string="Last comment", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT item.id, item.move_line_id, item.move_id,
                           item.partner_id, item.company_id,
                           item.company_currency_id, item.currency_id,
                           item.date, item.date_maturity,
                           GREATEST(item.late, 0) AS days_overdue,
                           CASE WHEN item.late <= 0 THEN 'not_due'
                                WHEN item.late <= 30 THEN '1_30'
                                WHEN item.late <= 60 THEN '31_60'
                                WHEN item.late <= 90 THEN '61_90'
                                ELSE 'over_90'
                           END AS bucket,
                           item.amount_residual, item.amount_residual_currency,
                           item.payer_profile, item.collector_id,
                           item.collection_status, item.collection_comment
                      FROM (
                        SELECT line.id, line.id AS move_line_id, line.move_id,
                               partner.commercial_partner_id AS partner_id,
                               line.company_id,
                               line.company_currency_id, line.currency_id,
                               line.date,
                               COALESCE(line.date_maturity, line.date)
                                   AS date_maturity,
                               CURRENT_DATE - COALESCE(line.date_maturity, line.date)
                                   AS late,
                               line.amount_residual,
                               line.amount_residual_currency,
                               customer.payer_profile ->> line.company_id::text
                                   AS payer_profile,
                               (customer.collection_user_id
                                   ->> line.company_id::text)::int AS collector_id,
                               move.collection_status,
                               move.collection_comment
                          -- Outer joins on keys that always match, so that
                          -- PostgreSQL leaves out those a query does not
                          -- read (the totals by age read the items alone).
                          FROM %(open_items)s
                          LEFT JOIN account_move move ON move.id = line.move_id
                          LEFT JOIN res_partner partner
                            ON partner.id = line.partner_id
                          LEFT JOIN res_partner customer
                            ON customer.id = partner.commercial_partner_id
                         WHERE line.partner_id IS NOT NULL
                      ) item
                )
                """,
                view=SQL.identifier(self._table),
                open_items=self.env["credit.collection.ledger"]._open_table(),
            )
        )

    def action_export_xlsx(self):
        """The aged balance as an XLSX file: the selected rows, or all the
        reader may see."""
        domain = [("id", "in", self.ids)] if self else []
        return download(
            self.env,
            self.env._(
                "Aged balance %(date)s.xlsx", date=fields.Date.context_today(self)
            ),
            [aged_balance_sheet(self.env, domain)],
        )
