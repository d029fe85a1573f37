from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.selections import DISPUTE_ACTIVE_STATES, DISPUTE_STATES


class CreditCollectionDisputeReport(models.Model):
    """Disputes by type, customer, person in charge and month: how many, how
    much, and how long they took to settle. The resolution time counts only
    closed disputes (resolved or rejected): an open one has none yet, and
    counting it as zero would flatter the mean."""

    _name = "credit.collection.dispute.report"
    _description = "Disputes Analysis"
    _auto = False
    _order = "raised_on desc, id desc"
    _rec_name = "dispute_id"

    dispute_id = fields.Many2one("credit.collection.dispute", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    type_id = fields.Many2one("credit.collection.dispute.type", readonly=True)
    responsible_id = fields.Many2one("res.users", readonly=True)
    user_id = fields.Many2one("res.users", string="Collector", readonly=True)
    state = fields.Selection(DISPUTE_STATES, readonly=True)
    raised_on = fields.Datetime(readonly=True)
    closed_date = fields.Datetime(readonly=True)
    amount = fields.Monetary(string="Disputed", readonly=True)
    amount_open = fields.Monetary(
        string="Disputed, still open",
        readonly=True,
        help="The amount of the disputes not settled yet: dunning waits for it.",
    )
    resolution_days = fields.Float(
        string="Days to resolve",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="From the moment it was raised to its resolution or rejection.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT dispute.id, dispute.id AS dispute_id,
                           dispute.partner_id, dispute.company_id,
                           company.currency_id, dispute.type_id,
                           dispute.responsible_id, dispute.user_id, dispute.state,
                           dispute.raised_on, dispute.closed_date, dispute.amount,
                           CASE WHEN dispute.state IN %(active)s
                                THEN dispute.amount ELSE 0 END AS amount_open,
                           CASE WHEN dispute.state NOT IN %(active)s
                                 AND dispute.closed_date IS NOT NULL
                                THEN EXTRACT(EPOCH FROM dispute.closed_date
                                                        - dispute.raised_on)
                                     / 86400.0
                           END AS resolution_days
                      FROM credit_collection_dispute dispute
                      JOIN res_company company ON company.id = dispute.company_id
                )
                """,
                view=SQL.identifier(self._table),
                active=DISPUTE_ACTIVE_STATES,
            )
        )
