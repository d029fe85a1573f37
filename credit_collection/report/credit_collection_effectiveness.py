from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.selections import PAYER_PROFILES, STAGE_LEVELS, stage_channels


class CreditCollectionEffectiveness(models.Model):
    """What each collection action done brought in: one row per action, with
    what its items still owed when it was done and what the customer paid on
    them before the next action done for that customer (or since, for the
    last one), by stage, channel, template, collector and payer profile.

    The days to pay are counted for actions whose items were paid in full in
    that time, from the day the action was done to the last payment."""

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
        # What each action brought in is kept on it (see
        # credit_collection_action_result.py): the view only reads it.
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT action.id, action.id AS action_id, %(columns)s,
                           %(acted_on)s AS date,
                           action.result_next_date AS next_date,
                           company.currency_id,
                           customer.payer_profile ->> action.company_id::text
                               AS payer_profile,
                           action.result_amount_due AS amount_due,
                           action.result_amount_paid AS amount_paid,
                           100.0 * action.result_amount_paid
                               / action.result_amount_due AS paid_rate,
                           CASE WHEN action.result_amount_paid
                                     >= action.result_amount_due
                                THEN 100.0 ELSE 0.0
                           END AS paid_in_full_rate,
                           CASE WHEN action.result_amount_paid
                                     >= action.result_amount_due
                                THEN action.result_last_paid_date
                                     - %(acted_on)s
                           END AS days_to_pay
                      FROM credit_collection_action action
                      JOIN res_company company ON company.id = action.company_id
                      JOIN res_partner customer ON customer.id = action.partner_id
                     WHERE action.state = 'done'
                       AND action.result_amount_due > 0
                )
                """,
                view=SQL.identifier(self._table),
                acted_on=self.env["credit.collection.action"]._acted_on_sql(),
                columns=SQL(", ").join(
                    SQL("%s AS %s", expression, SQL.identifier(name))
                    for name, expression in columns.items()
                ),
            )
        )
