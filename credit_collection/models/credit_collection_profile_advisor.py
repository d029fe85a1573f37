import logging
from dataclasses import dataclass
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, split_every

from ..tools import transactions

_logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
HISTORY_DAYS = 365
# Below this many invoices in the last 12 months, history says too little.
MIN_INVOICES = 3
DISPUTE_SHARE = 0.2
BAD_DAYS_LATE = 30
NEGLIGENT_DAYS_LATE = 5
INSOLVENT_SHARE_90 = 0.5
BROKEN_PROMISES_BAD = 2


@dataclass
class PaymentHistory:
    """One customer's last 12 months, amounts in company currency."""

    invoices: int = 0
    amount: float = 0.0
    weighted_days_late: float = 0.0  # sum of amount x days late
    disputed: int = 0
    open_amount: float = 0.0
    open_over_90: float = 0.0
    plan_or_litigation: int = 0
    kept_promises: int = 0
    broken_promises: int = 0
    direct_debit: bool = False

    @property
    def average_days_late(self):
        return self.weighted_days_late / self.amount if self.amount else 0.0


class CreditCollectionProfileAdvisor(models.AbstractModel):
    """Suggests each customer's payer profile from how it paid lately.

    The suggestion sits beside the profile the credit manager chose, with its
    reason; it is applied by hand, or automatically once it has stayed the same
    for the company's number of days (so that one late payment does not flip a
    customer back and forth).
    """

    _name = "credit.collection.profile.advisor"
    _description = "Payer profile suggestions"

    @api.model
    def _cron_suggest(self):
        done = 0
        for company in self.env["res.company"].search([]):
            done += self._suggest_company(company)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)

    @api.model
    def _suggest_company(self, company):
        """Refresh the suggestions of every customer of ``company`` that was
        invoiced in the last 12 months, then apply the stable ones if the
        company asks for it. Returns the number of customers seen."""
        today = fields.Date.context_today(self)
        partner_ids = self._customers_with_history(company, today)
        for batch in split_every(BATCH_SIZE, partner_ids):
            self._suggest_batch(company, list(batch), today)
            transactions.commit(self.env)
        if company.credit_collection_profile_auto:
            self._apply_stable(company, today)
        return len(partner_ids)

    @api.model
    def _customers_with_history(self, company, today):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT move.commercial_partner_id
                  FROM account_move move
                 WHERE move.company_id = %(company)s
                   AND move.move_type = 'out_invoice'
                   AND move.state = 'posted'
                   AND move.invoice_date >= %(since)s
                 ORDER BY 1
                """,
                company=company.id,
                since=today - timedelta(days=HISTORY_DAYS),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _suggest_batch(self, company, partner_ids, today):
        histories = self._payment_histories(company, partner_ids, today)
        partners = self.env["res.partner"].with_company(company).browse(partner_ids)
        for partner in partners:
            profile, reason = self._suggest(histories.get(partner.id, PaymentHistory()))
            if (
                profile == partner.payer_profile_suggestion
                and reason == partner.payer_profile_suggestion_reason
            ):
                continue
            values = {"payer_profile_suggestion_reason": reason or False}
            if profile != partner.payer_profile_suggestion:
                values.update(
                    payer_profile_suggestion=profile or False,
                    payer_profile_suggestion_date=today if profile else False,
                )
            partner.write(values)

    @api.model
    def _payment_histories(self, company, partner_ids, today):
        """Payment history of each customer in one query: invoices of the last
        12 months, days late weighted by amount (paid items count until the
        day they were settled, open ones until today), disputes, and what is
        more than 90 days overdue."""
        self.env.cr.execute(
            SQL(
                """
                WITH items AS (
                    %(items)s
                )
                SELECT partner_id,
                       COUNT(DISTINCT move_id),
                       SUM(amount),
                       SUM(amount * GREATEST(COALESCE(settled, due) - due, 0)),
                       COUNT(DISTINCT move_id) FILTER (WHERE disputed),
                       SUM(residual),
                       SUM(residual) FILTER (WHERE %(today)s - due > 90),
                       COUNT(DISTINCT move_id) FILTER (
                           WHERE status IN ('payment_plan', 'litigation'))
                  FROM items
                 GROUP BY partner_id
                """,
                items=self._items_sql(company, partner_ids, today),
                today=today,
            )
        )
        histories = {
            row[0]: PaymentHistory(
                invoices=row[1],
                amount=float(row[2] or 0),
                weighted_days_late=float(row[3] or 0),
                disputed=row[4],
                open_amount=float(row[5] or 0),
                open_over_90=float(row[6] or 0),
                plan_or_litigation=row[7],
            )
            for row in self.env.cr.fetchall()
        }
        promises = self._closed_promises(company, partner_ids, today)
        direct_debit = self._direct_debit_partner_ids(company, partner_ids)
        for partner_id in partner_ids:
            history = histories.setdefault(partner_id, PaymentHistory())
            closed = promises.get(partner_id, {})
            history.kept_promises = closed.get("kept", 0)
            history.broken_promises = closed.get("broken", 0)
            history.direct_debit = partner_id in direct_debit
        return histories

    @api.model
    def _items_sql(self, company, partner_ids, today):
        """The receivable items of the customers' invoices of the last 12
        months, one row each: customer, invoice, its collection status,
        whether disputed, amount, residual, due date, and the day it was
        settled (today while open)."""
        return SQL(
            """
            SELECT move.commercial_partner_id AS partner_id,
                   move.id AS move_id,
                   move.collection_status AS status,
                   EXISTS (
                       SELECT 1 FROM credit_collection_dispute_move_line_rel rel
                        WHERE rel.move_line_id = line.id
                   ) AS disputed,
                   line.id AS line_id,
                   line.balance AS amount,
                   line.amount_residual AS residual,
                   COALESCE(line.date_maturity, line.date) AS due,
                   CASE WHEN line.reconciled THEN (
                        SELECT MAX(partial.max_date)
                          FROM account_partial_reconcile partial
                         WHERE partial.debit_move_id = line.id)
                   ELSE %(today)s END AS settled
              FROM %(receivable)s
              JOIN account_move move ON move.id = line.move_id
             WHERE move.company_id = %(company)s
               AND move.move_type = 'out_invoice'
               AND move.invoice_date >= %(since)s
               AND move.commercial_partner_id = ANY(%(partners)s)
            """,
            company=company.id,
            since=today - timedelta(days=HISTORY_DAYS),
            today=today,
            partners=list(partner_ids),
            receivable=self.env["credit.collection.ledger"]._receivable_table(),
        )

    @api.model
    def _closed_promises(self, company, partner_ids, today):
        """Promises to pay kept and broken per customer in the last 12
        months."""
        return self.env["credit.collection.promise"]._closed_counts(
            company, partner_ids, today - timedelta(days=HISTORY_DAYS)
        )

    @api.model
    def _direct_debit_codes(self):
        """Payment method codes that collect invoices without the customer
        acting (SEPA direct debit)."""
        return {"sdd"}

    @api.model
    def _direct_debit_partner_ids(self, company, partner_ids):
        partners = self.env["res.partner"].with_company(company).browse(partner_ids)
        codes = self._direct_debit_codes()
        return {
            partner.id
            for partner in partners
            if partner.property_inbound_payment_method_line_id.payment_method_id.code
            in codes
        }

    @api.model
    def _suggest(self, history):
        """The profile a payment history points to, and why (in words)."""
        _ = self.env._
        if history.direct_debit:
            return "automatic", _("Pays by direct debit.")
        if history.invoices < MIN_INVOICES:
            return None, None
        days = round(history.average_days_late)
        late = _(
            "paid %(days)s days late on average (weighted by amount) over "
            "%(count)s invoices in the last 12 months",
            days=days,
            count=history.invoices,
        )
        if history.disputed / history.invoices >= DISPUTE_SHARE:
            return "dispute", _(
                "%(disputed)s of %(count)s invoices disputed in the last 12 months.",
                disputed=history.disputed,
                count=history.invoices,
            )
        if history.plan_or_litigation or (
            history.open_amount > 0
            and history.open_over_90 / history.open_amount >= INSOLVENT_SHARE_90
        ):
            return "insolvent", _(
                "Under a payment plan or in litigation, or most of what it owes "
                "is more than 90 days overdue; %(late)s.",
                late=late,
            )
        if history.broken_promises >= BROKEN_PROMISES_BAD:
            return "bad", _(
                "%(count)s promises to pay broken in the last 12 months.",
                count=history.broken_promises,
            )
        if days > BAD_DAYS_LATE:
            return "bad", _("Pays late: %(late)s.", late=late)
        if days > NEGLIGENT_DAYS_LATE:
            return "negligent", _("Pays a little late: %(late)s.", late=late)
        return "good", _("Pays on time: %(late)s.", late=late)

    @api.model
    def _apply_stable(self, company, today):
        """Apply suggestions unchanged for the company's number of days.

        An administrative profile is never changed automatically: paying late
        through a long approval circuit is what it means.
        """
        stable_since = today - timedelta(
            days=company.credit_collection_profile_stable_days
        )
        Partner = self.env["res.partner"].with_company(company)
        partners = Partner.search(
            [
                ("payer_profile_suggestion", "!=", False),
                ("payer_profile_suggestion_date", "<=", stable_since),
            ]
        ).filtered(
            lambda partner: (
                partner.payer_profile != partner.payer_profile_suggestion
                and partner.payer_profile != "administrative"
            )
        )
        partners._apply_payer_profile_suggestion(automatic=True)
