import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .credit_collection_customer_mixin import open_items_domain
from .selections import PROMISE_SOURCES, PROMISE_STATES

_logger = logging.getLogger(__name__)


class CreditCollectionPromise(models.Model):
    """A customer's promise to pay some of its invoices by a date.

    While open and not yet due, it suspends the dunning of its items. The daily
    run checks it first: paid in full → kept; its date passed without full
    payment → broken (kept for what was paid), the collector gets an activity
    and the customer escalates to its next stage at once.
    """

    _name = "credit.collection.promise"
    _description = "Promise to Pay"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "credit.collection.customer.mixin",
        "credit.collection.escalation.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    source = fields.Selection(
        PROMISE_SOURCES, required=True, default="phone", tracking=True
    )
    date = fields.Date(string="Promised date", required=True, tracking=True)
    amount = fields.Monetary(
        string="Promised amount",
        required=True,
        tracking=True,
        currency_field="currency_id",
    )
    move_line_ids = fields.Many2many(
        "account.move.line",
        "credit_collection_promise_move_line_rel",
        "promise_id",
        "move_line_id",
        string="Receivable items",
        required=True,
        domain=open_items_domain,
    )
    amount_due_at_promise = fields.Monetary(
        string="Due when promised",
        readonly=True,
        currency_field="currency_id",
        help="What the items still owed when the customer promised; payments "
        "are counted from there.",
    )
    amount_paid = fields.Monetary(
        string="Paid since",
        compute="_compute_amount_paid",
        currency_field="currency_id",
        help="What has been paid (or credited) on the items since the promise.",
    )
    amount_kept = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="The part of the promise paid by its date, when it was closed.",
    )
    state = fields.Selection(
        PROMISE_STATES, required=True, default="open", index=True, tracking=True
    )
    closed_date = fields.Date(readonly=True, copy=False)
    comment = fields.Text()

    @api.depends("partner_id", "amount", "date")
    def _compute_name(self):
        for promise in self:
            promise.name = self.env._(
                "%(customer)s: %(amount)s by %(date)s",
                customer=promise.partner_id.display_name or "",
                amount=promise.currency_id.format(promise.amount or 0.0),
                date=fields.Date.to_string(promise.date) if promise.date else "",
            )

    @api.depends("move_line_ids.amount_residual", "amount_due_at_promise")
    def _compute_amount_paid(self):
        for promise in self:
            residual = promise._items_due()
            promise.amount_paid = max(promise.amount_due_at_promise - residual, 0.0)

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        promises._take_items_due()
        return promises

    def _take_items_due(self):
        for promise in self:
            promise.amount_due_at_promise = promise._items_due()
        self._check_promise()

    def _check_promise(self):
        """What a collector (or a customer on the portal) may promise."""
        today = fields.Date.context_today(self)
        for promise in self:
            lines = promise.move_line_ids
            if not lines:
                raise ValidationError(
                    self.env._("Choose the invoices the customer promises to pay.")
                )
            promise._check_items()
            if promise.date < today:
                raise ValidationError(
                    self.env._(
                        "The promised date %(date)s is in the past.",
                        date=promise.date,
                    )
                )
            promise._check_not_above_due()

    @api.constrains("date", "amount")
    def _check_amount(self):
        for promise in self:
            if promise.currency_id.compare_amounts(promise.amount, 0) <= 0:
                raise ValidationError(
                    self.env._("A promise to pay is for an amount greater than zero.")
                )
        # At creation what is due is not known yet: create() checks it.
        for promise in self.filtered(
            lambda p: p.state == "open" and p.amount_due_at_promise
        ):
            promise._check_not_above_due()

    def _check_not_above_due(self):
        self.ensure_one()
        due = self.amount_due_at_promise
        if self.currency_id.compare_amounts(self.amount, due) > 0:
            raise ValidationError(
                self.env._(
                    "%(customer)s cannot promise %(amount)s: the chosen "
                    "invoices only owe %(due)s.",
                    customer=self.partner_id.display_name,
                    amount=self.currency_id.format(self.amount),
                    due=self.currency_id.format(due),
                )
            )

    def write(self, vals):
        if {"move_line_ids", "partner_id", "company_id"} & set(vals) and any(
            promise.state != "open" for promise in self
        ):
            raise ValidationError(
                self.env._("A closed promise is evidence: its invoices cannot change.")
            )
        return super().write(vals)

    def action_cancel(self):
        """Withdraw an open promise (entered by mistake): dunning resumes."""
        if any(promise.state != "open" for promise in self):
            raise ValidationError(self.env._("Only an open promise can be cancelled."))
        self.write(
            {"state": "cancelled", "closed_date": fields.Date.context_today(self)}
        )

    def _send_confirmation(self, contact=None):
        return self._confirm_in_writing(
            "credit_collection.mail_template_promise_confirmation", contact
        )

    # ------------------------------------------------------------------
    # The daily check
    # ------------------------------------------------------------------

    @api.model
    def _check_due_promises(self, company, today=None):
        """Close the open promises of ``company`` that are paid, or whose date
        has passed. Called by the daily run before it plans. Returns the
        promises broken."""
        today = today or fields.Date.context_today(self)
        promises = self.search(
            [("company_id", "=", company.id), ("state", "=", "open")]
        )
        kept, broken = self.browse(), self.browse()
        for promise in promises:
            paid = promise.amount_paid
            if promise.currency_id.compare_amounts(paid, promise.amount) >= 0:
                kept |= promise
            elif promise.date < today:
                broken |= promise
        for promise in kept:
            promise.write(
                {"state": "kept", "closed_date": today, "amount_kept": promise.amount}
            )
        done = self.browse()
        for promise in broken:
            try:
                with self.env.cr.savepoint():
                    promise._break(today)
                done |= promise
            except (UserError, ValidationError, psycopg2.Error):
                # One promise that cannot be closed must not stop the run.
                _logger.warning(
                    "Promise %s could not be broken", promise.id, exc_info=True
                )
        return done

    def _break(self, today):
        self.ensure_one()
        paid = min(self.amount_paid, self.amount)
        if self.currency_id.is_zero(paid):
            body = self.env._("Nothing was paid by %(date)s.", date=self.date)
        else:
            body = self.env._(
                "Kept for %(kept)s, broken for %(rest)s.",
                kept=self.currency_id.format(paid),
                rest=self.currency_id.format(self.amount - paid),
            )
        self._record_broken(
            today,
            {"amount_kept": paid},
            body,
            self.env._(
                "Broken promise: call %(customer)s",
                customer=self.partner_id.display_name,
            ),
        )

    @api.model
    def _closed_counts(self, company, partner_ids, since):
        """``{customer: {"kept": n, "broken": m}}``: its promises closed
        since ``since``, in one query."""
        self.flush_model(["state", "closed_date", "partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id,
                       COUNT(*) FILTER (WHERE state = 'kept'),
                       COUNT(*) FILTER (WHERE state = 'broken')
                  FROM credit_collection_promise
                 WHERE company_id = %s AND state IN ('kept', 'broken')
                   AND closed_date >= %s AND partner_id = ANY(%s)
                 GROUP BY partner_id
                """,
                company.id,
                since,
                list(partner_ids),
            )
        )
        return {
            partner_id: {"kept": kept, "broken": broken}
            for partner_id, kept, broken in self.env.cr.fetchall()
        }

    @api.model
    def _suspended_line_ids(self, company, line_ids, today):
        """Items under an open promise not yet due: their dunning waits."""
        return self._items_held(
            company,
            line_ids,
            SQL("record.state = 'open' AND record.date >= %s", today),
        )
