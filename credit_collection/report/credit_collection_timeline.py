from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.selections import stage_channels

TIMELINE_KINDS = [
    ("action", "Collection action"),
    ("promise", "Promise to pay"),
    ("dispute", "Dispute"),
    ("plan", "Payment plan"),
    ("payment", "Payment"),
    ("message", "Message"),
]


# Customer records shown as they are: model, kind, id offset, date, amount.
COMMITMENTS = [
    ("credit.collection.promise", "promise", 1, "create_date", "amount"),
    ("credit.collection.dispute", "dispute", 2, "raised_on", "amount"),
    ("credit.collection.plan", "plan", 3, "create_date", "amount_total"),
]


class CreditCollectionTimeline(models.Model):
    """A customer's collection history in one chronology: actions, promises,
    disputes, payment plans, payments received and the messages exchanged
    (on the customer and on its collection actions). A database view: each
    row points to the record it shows."""

    _name = "credit.collection.timeline"
    _description = "Collection Timeline"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"

    date = fields.Datetime(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(TIMELINE_KINDS, readonly=True)
    name = fields.Char(string="What", readonly=True)
    state = fields.Char(readonly=True)
    state_label = fields.Char(string="Status", compute="_compute_state_label")
    channel = fields.Selection(selection=stage_channels, readonly=True)
    amount = fields.Monetary(readonly=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    res_model = fields.Char(readonly=True)
    res_id = fields.Integer(readonly=True)

    def init(self):
        # Ids are the source id times the number of kinds plus the kind's
        # position: unique and stable, so rows can be opened and printed.
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %(view)s AS (
                    SELECT action.id * 6 AS id,
                           COALESCE(action.done_date, action.date::timestamp) AS date,
                           action.partner_id, action.company_id,
                           'action' AS kind,
                           action.name,
                           action.state::varchar AS state,
                           action.channel::varchar AS channel,
                           action.amount_due AS amount,
                           action.currency_id,
                           COALESCE(action.done_user_id, action.user_id) AS user_id,
                           'credit.collection.action' AS res_model,
                           action.id AS res_id
                      FROM credit_collection_action action
                    UNION ALL
                    %(commitments)s
                    UNION ALL
                    SELECT payment.id * 6 + 4, payment.date::timestamp,
                           partner.commercial_partner_id, payment.company_id,
                           'payment', COALESCE(move.name, payment.memo, ''),
                           payment.state::varchar, NULL,
                           payment.amount_company_currency_signed,
                           company.currency_id, payment.create_uid,
                           'account.payment', payment.id
                      FROM account_payment payment
                      JOIN res_partner partner ON partner.id = payment.partner_id
                      JOIN res_company company ON company.id = payment.company_id
                      LEFT JOIN account_move move ON move.id = payment.move_id
                     WHERE payment.partner_type = 'customer'
                       AND payment.payment_type = 'inbound'
                       AND payment.state IN ('in_process', 'paid')
                    UNION ALL
                    %(action_messages)s
                    UNION ALL
                    %(customer_messages)s
                )
                """,
                view=SQL.identifier(self._table),
                commitments=SQL(" UNION ALL ").join(
                    self._commitment_rows(model, kind, offset, date, amount)
                    for model, kind, offset, date, amount in COMMITMENTS
                ),
                action_messages=self._message_rows(
                    SQL(
                        "JOIN credit_collection_action record "
                        "ON message.model = 'credit.collection.action' "
                        "AND record.id = message.res_id"
                    ),
                    SQL("record.partner_id"),
                    SQL("record.company_id"),
                ),
                customer_messages=self._message_rows(
                    SQL(
                        "JOIN res_partner record ON message.model = 'res.partner' "
                        "AND record.id = message.res_id"
                    ),
                    SQL("record.commercial_partner_id"),
                    SQL("message.record_company_id"),
                ),
            )
        )

    def _message_rows(self, join, partner, company):
        """The messages (not notifications) posted on the records ``join``
        reaches, with their customer and company."""
        return SQL(
            """
            SELECT message.id * 6 + 5, message.date, %(partner)s, %(company)s,
                   'message',
                   COALESCE(NULLIF(message.subject, ''),
                            LEFT(regexp_replace(message.body, '<[^>]*>', '', 'g'),
                                 200)),
                   message.message_type::varchar, NULL,
                   NULL, NULL, author.id, message.model, message.res_id
              FROM mail_message message
              %(join)s
              LEFT JOIN LATERAL (
                   SELECT id FROM res_users
                    WHERE partner_id = message.author_id
                    ORDER BY active DESC, id LIMIT 1
              ) author ON TRUE
             WHERE message.message_type IN ('comment', 'email')
            """,
            partner=partner,
            company=company,
            join=join,
        )

    def _commitment_rows(self, model, kind, offset, date_column, amount_column):
        """The rows of one kind of customer record (promise, dispute, plan)."""
        table = SQL.identifier(self.env[model]._table)
        return SQL(
            """
            SELECT record.id * 6 + %(offset)s, record.%(date)s,
                   record.partner_id, record.company_id, %(kind)s,
                   record.name, record.state::varchar, NULL, record.%(amount)s,
                   company.currency_id, record.user_id, %(model)s, record.id
              FROM %(table)s record
              JOIN res_company company ON company.id = record.company_id
            """,
            offset=offset,
            date=SQL.identifier(date_column),
            kind=kind,
            amount=SQL.identifier(amount_column),
            model=model,
            table=table,
        )

    @api.depends("res_model", "kind", "state")
    def _compute_state_label(self):
        """The state as its record's model names it, in the user's language."""
        labels = {}
        for row in self:
            model = "mail.message" if row.kind == "message" else row.res_model
            if model not in labels:
                field = self.env[model]._fields.get(
                    "message_type" if row.kind == "message" else "state"
                )
                labels[model] = (
                    dict(field._description_selection(self.env))
                    if field and field.type == "selection"
                    else {}
                )
            row.state_label = labels[model].get(row.state, row.state)

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    @api.model
    def _for_partner(self, partner):
        """The timeline of a customer, oldest first (for the printed one)."""
        return self.search(
            [("partner_id", "=", partner.commercial_partner_id.id)], order="date, id"
        )
