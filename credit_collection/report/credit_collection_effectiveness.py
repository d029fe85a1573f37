from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.selections import PAYER_PROFILES, STAGE_LEVELS, stage_channels


class CreditCollectionEffectiveness(models.Model):
    """What each collection action done brought in: one row per action, with
    what its items still owed when it was done and what the customer paid on
    them before the next action done for that customer (or since, for the
    last one), by stage, channel, template, collector and payer profile.

    Payments only: a credit note settles an item without the customer paying,
    so it is left out of both what was paid and what was due. The days to pay
    are counted for actions whose items were paid in full in that time, from
    the day the action was done to the last payment."""

    _name = "credit.collection.effectiveness"
    _description = "Collection Effectiveness"
    _inherit = ["credit.collection.report.mixin"]
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "action_id"
    _weighted_rates = {"paid_rate": ("amount_paid", "amount_due")}

    action_id = fields.Many2one("credit.collection.action", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Collector", readonly=True)
    stage_id = fields.Many2one("credit.collection.stage", readonly=True)
    level = fields.Selection(STAGE_LEVELS, readonly=True)
    channel = fields.Selection(selection=stage_channels, readonly=True)
    mail_template_id = fields.Many2one(
        "mail.template", string="Email template", readonly=True
    )
    payer_profile = fields.Selection(PAYER_PROFILES, readonly=True)
    date = fields.Date(string="Done on", readonly=True)
    next_date = fields.Date(
        string="Next action on",
        readonly=True,
        help="The payments counted for the action stop at the next action done "
        "for the customer.",
    )
    amount_due = fields.Monetary(string="Due when done", readonly=True)
    amount_paid = fields.Monetary(string="Paid after", readonly=True)
    paid_rate = fields.Float(
        string="Paid (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Paid before the next action, out of what was due when the action "
        "was done.",
    )
    paid_in_full_rate = fields.Float(
        string="Paid in full (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Share of the actions whose items were paid in full before the "
        "next action.",
    )
    days_to_pay = fields.Float(
        string="Median days to pay",
        digits=(16, 1),
        readonly=True,
        aggregator="median",
        help="Days from the action to the payment that settled its items, for "
        "the actions paid in full.",
    )

    @api.model
    def _action_columns(self):
        """Columns of the action the report shows: ``{field: SQL on the
        'action' table}``; other addons add theirs (SMS: its template)."""
        return {
            "partner_id": SQL("action.partner_id"),
            "company_id": SQL("action.company_id"),
            "user_id": SQL("action.user_id"),
            "stage_id": SQL("action.stage_id"),
            "level": SQL("action.level"),
            "channel": SQL("action.channel"),
            "mail_template_id": SQL("action.mail_template_id"),
        }

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        columns = self._action_columns()
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    WITH windowed AS (
                        SELECT action.id, action.company_id, action.partner_id,
                               COALESCE(action.done_date::date, action.date) AS date,
                               LEAD(COALESCE(action.done_date::date, action.date))
                                   OVER (
                                   PARTITION BY action.company_id, action.partner_id
                                   ORDER BY COALESCE(action.done_date::date,
                                                     action.date),
                                            action.id
                               ) AS next_date
                          FROM credit_collection_action action
                         WHERE action.state = 'done'
                    ), items AS (
                        %(items)s
                    ), totals AS (
                        SELECT action_id, MIN(date) AS date,
                               MIN(next_date) AS next_date,
                               SUM(balance - before - credited) AS due,
                               SUM(paid) AS paid, MAX(last_paid) AS last_paid
                          FROM items
                      GROUP BY action_id
                    )
                    -- The totals are computed once, then each action is
                    -- looked up by its key: statistics that lag behind the
                    -- sending (actions analysed before they were done) can
                    -- no longer make PostgreSQL compute them again for each
                    -- action.
                    SELECT action.*, totals.date, totals.next_date,
                           totals.action_id,
                           company.currency_id,
                           customer.payer_profile ->> action.company_id::text
                               AS payer_profile,
                           totals.due AS amount_due,
                           LEAST(totals.paid, totals.due) AS amount_paid,
                           100.0 * LEAST(totals.paid, totals.due) / totals.due
                               AS paid_rate,
                           CASE WHEN totals.paid >= totals.due THEN 100.0 ELSE 0.0
                           END AS paid_in_full_rate,
                           CASE WHEN totals.paid >= totals.due
                                THEN totals.last_paid - totals.date
                           END AS days_to_pay
                      FROM totals
                     CROSS JOIN LATERAL (
                        SELECT action.id, %(columns)s
                          FROM credit_collection_action action
                         WHERE action.id = totals.action_id
                     ) action
                      JOIN res_company company ON company.id = action.company_id
                      JOIN res_partner customer ON customer.id = action.partner_id
                     WHERE totals.due > 0
                )
                """,
                view=SQL.identifier(self._table),
                columns=SQL(", ").join(
                    SQL("%s AS %s", expression, SQL.identifier(name))
                    for name, expression in columns.items()
                ),
                items=self._items_paid_sql(),
            )
        )

    @api.model
    def _items_paid_sql(self):
        """Per done action (``windowed``: its date, the next action's) and
        per debit item of it: its balance, what was paid before the action,
        paid and credited between the action and the next one, and the day
        of the last payment in that window."""
        return SQL(
            """
                SELECT windowed.id AS action_id, windowed.date, windowed.next_date,
                       line.balance,
                       COALESCE(SUM(partial.amount) FILTER (
                           WHERE partial.max_date < windowed.date), 0)
                           AS before,
                       COALESCE(SUM(partial.amount) FILTER (
                           WHERE %(in_window)s AND NOT %(refund)s), 0)
                           AS paid,
                       COALESCE(SUM(partial.amount) FILTER (
                           WHERE %(in_window)s AND %(refund)s), 0)
                           AS credited,
                       MAX(partial.max_date) FILTER (
                           WHERE %(in_window)s AND NOT %(refund)s)
                           AS last_paid
                  FROM windowed
                  JOIN account_move_line_credit_collection_action_rel rel
                    ON rel.credit_collection_action_id = windowed.id
                  JOIN account_move_line line
                    ON line.id = rel.account_move_line_id
                   AND line.balance > 0
                  LEFT JOIN account_partial_reconcile partial
                    ON partial.debit_move_id = line.id
                  LEFT JOIN account_move_line counterpart
                    ON counterpart.id = partial.credit_move_id
                  LEFT JOIN account_move counter_move
                    ON counter_move.id = counterpart.move_id
                      GROUP BY windowed.id, windowed.date, windowed.next_date,
                       line.id
            """,
            in_window=SQL(
                "(partial.max_date >= windowed.date AND (windowed.next_date "
                "IS NULL OR partial.max_date < windowed.next_date))"
            ),
            refund=SQL("COALESCE(counter_move.move_type = 'out_refund', FALSE)"),
        )
