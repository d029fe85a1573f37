import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import recovery, transactions
from ..tools.garbage import long_lived_frozen
from ..tools.pg_arrays import sql_array
from .credit_collection_profile_advisor import HISTORY_DAYS

_logger = logging.getLogger(__name__)
RECOVERY_FIELDS = [
    "expected_recovery",
    "recoverable_amount",
    "recovery_response_rate",
    "recovery_self_pay_rate",
    "recovery_days_late",
    "recovery_evidence",
    "days_overdue",
]
# From this many past actions and promises of its own, a customer's rate is
# said to come from its own record rather than from its profile's.
OWN_RECORD = 3


# One of the files that extend the action, each with what it holds (see
# credit_collection_action.py): one class per file by design.
class CreditCollectionAction(models.Model):
    """What acting on each action to do is likely to bring in: the agenda's
    order. The numbers come from ``tools/recovery.py``; this file gathers
    their evidence for a whole agenda in a fixed number of queries, keeps
    the result on the actions and says it in words.

    Refreshed for the whole agenda at the end of each daily run, and for a
    customer's actions when a payment, promise, dispute or outcome changes
    its picture."""

    _inherit = "credit.collection.action"  # pylint: disable=consider-merging-classes-inherited

    expected_recovery = fields.Monetary(
        string="Expected recovery",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        default=0.0,
        help="What acting today is likely to bring in within 30 days that "
        "would not come in anyway: the amount to collect, times the chance "
        "the customer pays after such an action, times the chance it would "
        "not pay by itself. In company currency.",
    )
    recoverable_amount = fields.Monetary(
        string="To collect",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="What the items of the action still owe, less open credit notes "
        "among them and disputed amounts.",
    )
    recovery_response_rate = fields.Float(
        string="Paid after such an action (%)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="The share of what was due this customer is expected to pay "
        "within 30 days after an action of this stage and channel: its "
        "payer profile's customers' rate, scaled by how the customer "
        "answered its own past actions and kept its promises.",
    )
    recovery_self_pay_rate = fields.Float(
        string="Pays by itself (%)",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="The share of what the customer still owed this late that came "
        "in within 30 days with no collection action just before (its "
        "profile's share while its own history is short).",
    )
    recovery_days_late = fields.Integer(
        string="Days late on average",
        readonly=True,
        copy=False,
        help="Over its invoices of the last 12 months, weighted by amount.",
    )
    recovery_evidence = fields.Integer(
        string="Own record",
        readonly=True,
        copy=False,
        help="The customer's past actions and closed promises behind its rate.",
    )
    days_overdue = fields.Integer(
        readonly=True,
        copy=False,
        help="How late its oldest item still owed is.",
    )
    recovery_reason = fields.Char(
        string="Why",
        compute="_compute_recovery_reason",
        help="Why the action stands where it does on the agenda.",
    )

    @api.depends(*RECOVERY_FIELDS, "channel", "state")
    @api.depends_context("lang")
    def _compute_recovery_reason(self):
        format_amount = self._amount_format()
        phrases = self._channel_phrases()
        for action in self:
            action.recovery_reason = (
                action._recovery_sentence(format_amount, phrases)
                if action.state == "todo"
                else False
            )

    def _recovery_sentence(self, format_amount, phrases):
        _ = self.env._
        if self.currency_id.is_zero(self.recoverable_amount):
            return _("Nothing left to collect: paid, credited or disputed.")
        parts = [
            _(
                "%(amount)s to collect",
                amount=format_amount(self.recoverable_amount, self.currency_id),
            ),
            _(
                "pays %(days)s days late on average",
                days=self.recovery_days_late,
            )
            if self.recovery_days_late > 0
            else _("pays on time on average"),
            _(
                "%(rate)s %% paid within 30 days after %(channel)s at this stage",
                rate=round(self.recovery_response_rate),
                channel=phrases.get(self.channel)
                or self._channel_label(self.channel).lower(),
            ),
        ]
        if self.recovery_self_pay_rate >= 1:
            parts.append(
                _(
                    "%(rate)s %% of what it owed this late came in within 30 "
                    "days without a reminder",
                    rate=round(self.recovery_self_pay_rate),
                )
            )
        parts.append(
            _(
                "from its own record of %(count)s actions and promises",
                count=self.recovery_evidence,
            )
            if self.recovery_evidence >= OWN_RECORD
            else _("from its payer profile: little history of its own")
        )
        return "; ".join(parts) + "."

    @api.model
    def _channel_phrases(self):
        """``{channel: "a call"}``: how the reason names an action of each
        channel (the channel's label otherwise)."""
        _ = self.env._
        return {
            "email": _("an email"),
            "letter": _("a letter"),
            "registered_letter": _("a registered letter"),
            "phone": _("a call"),
            "visit": _("a visit"),
            "fax": _("a fax"),
        }

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        # An action added by hand takes its place on the agenda at once.
        todo = actions.filtered(lambda action: action.state == "todo")
        if todo and not self.env.context.get("collection_score_later"):
            self._refresh_recovery_for(todo)
        return actions

    def write(self, vals):
        leaving = self.browse()
        if vals.get("state", "todo") != "todo":
            leaving = self.filtered(lambda action: action.state == "todo")
        result = super().write(vals)
        if leaving:
            leaving._forget_recovery()
        return result

    def _forget_recovery(self):
        """Off the agenda: no longer ranked (written in SQL: a done action
        takes no change), and the customer's other actions to do scored
        again, as what it brought in may change their picture."""
        self.env.cr.execute(
            SQL(
                "UPDATE credit_collection_action SET expected_recovery = 0 "
                "WHERE id = ANY(%s) AND expected_recovery != 0",
                self.ids,
            )
        )
        self.invalidate_recordset(["expected_recovery"])
        # The daily run scores its whole agenda once it ends.
        if not self.env.context.get("collection_score_later"):
            self._refresh_recovery_for(self)

    @api.model
    def _cron_refresh_recovery(self):
        """Scheduled action, started by each daily run as it ends: score the
        agenda of every company, each committed on its own."""
        companies = self.env["res.company"].search([])
        with long_lived_frozen():
            for company in companies:
                self._refresh_recovery_committed(company)
        self.env["ir.cron"]._notify_progress(done=len(companies), remaining=0)

    @api.model
    def _refresh_recovery_committed(self, company):
        """Score the agenda of ``company`` and commit; a failure or repeated
        concurrent updates leave it in the order it had."""
        try:
            ordered = transactions.retry_on_conflict(
                self.env, lambda: self._refresh_recovery(company)
            )
        except Exception:
            # One company must not leave the others unordered; its agenda
            # keeps its order until the next run.
            _logger.exception("Ordering the agenda of %s failed", company.name)
            transactions.rollback(self.env)
            return
        if not ordered:
            _logger.info(
                "Ordering the agenda of %s met concurrent updates each time: "
                "left to the next run",
                company.name,
            )
            return
        transactions.commit(self.env)

    @api.model
    def _refresh_recovery_for(self, records):
        """Score again the actions to do of the customers of ``records``
        (anything with a company and a customer: actions, promises,
        disputes, receivable items), one refresh per company."""
        Action = self.sudo()
        for company, group in records.grouped("company_id").items():
            partners = group.mapped("partner_id.commercial_partner_id")
            if company and partners:
                Action._refresh_recovery(company, partners.ids)

    @api.model
    def _refresh_recovery(self, company, partner_ids=None):
        """Score the actions to do of ``company`` (of ``partner_ids`` only,
        when given), whatever their number, in a fixed number of queries.
        A refresh of the whole agenda also keeps the company's response
        rates, which a customer's refresh reads."""
        today = fields.Date.context_today(self)
        actions = self._recovery_actions(company, partner_ids)
        if not actions:
            return
        partner_ids_seen = sorted({action["partner_id"] for action in actions})
        histories = self.env["credit.collection.profile.advisor"]._payment_histories(
            company, partner_ids_seen, today
        )
        records = self._customer_records(company, partner_ids_seen, histories, today)
        if partner_ids is None or not company.credit_collection_response_rates:
            rates = self._response_rates(company, today, actions, records)
            # Kept by the whole agenda's scoring only: a customer's refresh
            # (a payment, a promise) never writes the company's row.
            if partner_ids is None:
                company.sudo().credit_collection_response_rates = rates.to_json()
        else:
            rates = recovery.ResponseRates.from_json(
                company.credit_collection_response_rates
            )
        disputed = self.env["credit.collection.dispute"]._disputed_amounts(
            company, [line[0] for action in actions for line in action["lines"]]
        )
        self._store_recovery(
            [
                self._score(action, rates, records, histories, disputed, today)
                for action in actions
            ],
            company,
        )

    @api.model
    def _recovery_actions(self, company, partner_ids):
        """The actions to score: id, customer, its payer profile (``""``
        when none), level, channel, and its items ``(id, residual in
        company currency, due date)``."""
        self.flush_model()
        self.env["account.move.line"].flush_model(
            ["amount_residual", "date_maturity", "date"]
        )
        self.env["res.partner"].flush_model(["payer_profile"])
        self.env.cr.execute(
            SQL(
                """
                SELECT action.id, action.partner_id,
                       COALESCE(customer.payer_profile ->> %(key)s, ''),
                       COALESCE(action.level, ''), action.channel,
                       ARRAY_AGG(line.id ORDER BY line.id)
                           FILTER (WHERE line.id IS NOT NULL),
                       ARRAY_AGG(line.amount_residual ORDER BY line.id)
                           FILTER (WHERE line.id IS NOT NULL),
                       ARRAY_AGG(COALESCE(line.date_maturity, line.date)
                                 ORDER BY line.id)
                           FILTER (WHERE line.id IS NOT NULL)
                  FROM credit_collection_action action
                  JOIN res_partner customer ON customer.id = action.partner_id
             LEFT JOIN account_move_line_credit_collection_action_rel rel
                    ON rel.credit_collection_action_id = action.id
             LEFT JOIN account_move_line line ON line.id = rel.account_move_line_id
                 WHERE action.company_id = %(company)s AND action.state = 'todo'
                   AND (%(all)s OR action.partner_id = ANY(%(partners)s))
              GROUP BY action.id, customer.id
                """,
                key=str(company.id),
                company=company.id,
                all=partner_ids is None,
                partners=sql_array(partner_ids or [], "int4"),
            )
        )
        return [
            {
                "id": row[0],
                "partner_id": row[1],
                "profile": row[2],
                "level": row[3],
                "channel": row[4],
                "lines": list(
                    zip(
                        row[5] or [],
                        map(float, row[6] or []),
                        row[7] or [],
                        strict=True,
                    )
                ),
            }
            for row in self.env.cr.fetchall()
        ]

    @api.model
    def _observed_sql(self, company, today):
        """Done actions of ``company`` whose 30 days have passed (or that
        the next action closed), in the last 12 months: what the rates
        learn from."""
        acted_on = self._acted_on_sql()
        return SQL(
            """
            action.company_id = %(company)s AND action.state = 'done'
            AND action.result_amount_due > 0 AND %(acted_on)s >= %(since)s
            AND (%(acted_on)s <= %(closed)s OR action.result_next_date IS NOT NULL)
            """,
            company=company.id,
            acted_on=acted_on,
            since=today - timedelta(days=HISTORY_DAYS),
            closed=today - timedelta(days=recovery.WINDOW_DAYS),
        )

    @api.model
    def _paid_within_sql(self):
        """What a done action brought in within 30 days (the payments kept
        on it stop at the next action)."""
        return SQL(
            "CASE WHEN action.result_last_paid_date <= %s + %s "
            "THEN action.result_amount_paid ELSE 0 END",
            self._acted_on_sql(),
            recovery.WINDOW_DAYS,
        )

    @api.model
    def _response_rates(self, company, today, actions, records):
        """The company's rates: what its done actions brought in, by payer
        profile, level and channel; what came in by itself, by profile and
        lateness, over the customers on the agenda."""
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(customer.payer_profile ->> %(key)s, ''),
                       COALESCE(action.level, ''), action.channel, COUNT(*),
                       SUM(%(paid)s), SUM(action.result_amount_due)
                  FROM credit_collection_action action
                  JOIN res_partner customer ON customer.id = action.partner_id
                 WHERE %(observed)s
              GROUP BY 1, 2, 3
                """,
                key=str(company.id),
                paid=self._paid_within_sql(),
                observed=self._observed_sql(company, today),
            )
        )
        rates = recovery.ResponseRates()
        for profile, level, channel, count, paid, due in self.env.cr.fetchall():
            rates.add_actions(profile, level, channel, count, float(paid), float(due))
        profiles = {action["partner_id"]: action["profile"] for action in actions}
        for partner_id, profile in profiles.items():
            rates.add_settlements(profile, records[partner_id].settlements)
        return rates

    @api.model
    def _customer_records(self, company, partner_ids, histories, today):
        """Each customer's own evidence: its past actions, by level and
        channel, with the share each brought in; its promises and overdue
        invoices (from its payment history)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT action.partner_id, COALESCE(action.level, ''),
                       action.channel, COUNT(*),
                       SUM(%(paid)s / action.result_amount_due)
                  FROM credit_collection_action action
                 WHERE %(observed)s AND action.partner_id = ANY(%(partners)s)
              GROUP BY 1, 2, 3
                """,
                paid=self._paid_within_sql(),
                observed=self._observed_sql(company, today),
                partners=sql_array(partner_ids, "int4"),
            )
        )
        records = {
            partner_id: recovery.CustomerRecord(
                promises_kept=histories[partner_id].kept_promises,
                promises_broken=histories[partner_id].broken_promises,
            )
            for partner_id in partner_ids
        }
        for partner_id, level, channel, count, shares in self.env.cr.fetchall():
            records[partner_id].actions[level, channel] = (count, float(shares))
        for partner_id, settlement in self._settlements(company, partner_ids, today):
            records[partner_id].settlements.append(settlement)
        return records

    @api.model
    def _settlements(self, company, partner_ids, today):
        """How each customer's invoices of the last 12 months due before
        today were settled: ``(customer, Settlement)``. A payment came by
        itself when no action was done on the invoice in the days before."""
        acted_on = self._acted_on_sql()
        self.env.cr.execute(
            SQL(
                """
                WITH items AS (%(items)s)
                SELECT partner_id, amount, settled - due, residual = 0,
                       NOT EXISTS (
                           SELECT 1
                             FROM account_move_line_credit_collection_action_rel rel
                             JOIN credit_collection_action action
                               ON action.id = rel.credit_collection_action_id
                              AND action.state = 'done'
                            WHERE rel.account_move_line_id = items.line_id
                              AND %(acted_on)s BETWEEN items.settled - %(answer)s
                                                   AND items.settled)
                  FROM items
                 WHERE due < %(today)s AND amount > 0
                """,
                items=self.env["credit.collection.profile.advisor"]._items_sql(
                    company, partner_ids, today
                ),
                acted_on=acted_on,
                answer=recovery.ANSWER_DAYS,
                today=today,
            )
        )
        return [
            (partner_id, recovery.Settlement(float(amount), late, paid, by_itself))
            for partner_id, amount, late, paid, by_itself in self.env.cr.fetchall()
        ]

    @api.model
    def _score(self, action, rates, records, histories, disputed, today):
        record = records[action["partner_id"]]
        amount = sum(
            residual - disputed.get(line_id, 0.0)
            for line_id, residual, _due in action["lines"]
        )
        late = [
            (today - due).days
            for _line_id, residual, due in action["lines"]
            if residual > 0 and due < today
        ]
        response = recovery.response_rate(
            rates, action["profile"], action["level"], action["channel"], record
        )
        days_overdue = max(late, default=0)
        self_pay = recovery.self_pay_rate(
            rates, action["profile"], record, days_overdue
        )
        return (
            action["id"],
            max(amount, 0.0),
            recovery.expected_recovery(amount, response, self_pay),
            100 * response,
            100 * self_pay,
            round(histories[action["partner_id"]].average_days_late),
            record.observations,
            days_overdue,
        )

    @api.model
    def _store_recovery(self, scores, company):
        """Write the scores of many actions in one statement."""
        currency = company.currency_id
        columns = list(zip(*scores, strict=True))
        self.env.cr.execute(
            SQL(
                """
                UPDATE credit_collection_action action
                   SET recoverable_amount = score.amount,
                       expected_recovery = score.expected,
                       recovery_response_rate = score.response,
                       recovery_self_pay_rate = score.self_pay,
                       recovery_days_late = score.days_late,
                       recovery_evidence = score.evidence,
                       days_overdue = score.days_overdue
                  FROM unnest(%s, %s, %s, %s, %s, %s, %s, %s)
                       AS score(id, amount, expected, response, self_pay,
                                days_late, evidence, days_overdue)
                 WHERE action.id = score.id AND action.state = 'todo'
                """,
                sql_array(columns[0], "int4"),
                sql_array([currency.round(amount) for amount in columns[1]], "numeric"),
                sql_array([currency.round(amount) for amount in columns[2]], "numeric"),
                sql_array([round(rate, 1) for rate in columns[3]], "numeric"),
                sql_array([round(rate, 1) for rate in columns[4]], "numeric"),
                sql_array(columns[5], "int4"),
                sql_array(columns[6], "int4"),
                sql_array(columns[7], "int4"),
            ),
            # A reminder sent meanwhile fails this to serialise: the caller
            # tries again (the scheduled ordering) or the request is retried.
            log_exceptions=False,
        )
        self.invalidate_model(RECOVERY_FIELDS)
