from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, get_lang

from ..tools.amounts import amount_formatter
from ..tools.bulk_create import bulk_create
from ..tools.company_values import write_company_values
from .credit_collection_block_event import BLOCK_CAUSES
from .mail_thread import BULK_INSERT

# What a customer's block is, as the run writes it.
BLOCK_FIELDS = ("collection_blocked", "collection_block_cause", "collection_block_date")


class CreditCollectionAccountBlockMixin(models.AbstractModel):
    """Blocking a customer's account for new sales, per company: by hand (a
    Collections manager, with a reason), when one of its open items reaches
    a stage that blocks sales, or when its exposure exceeds its credit
    limit. The automatic causes lift themselves when they no longer hold
    (paid, credit note); every change is logged. Part of ``res.partner``."""

    _name = "credit.collection.account.block.mixin"
    _description = "Account Blocked for Sales"

    collection_block_manual = fields.Boolean(
        string="Blocked by hand",
        company_dependent=True,
        readonly=True,
        copy=False,
    )
    collection_block_note = fields.Text(
        string="Why blocked by hand", company_dependent=True, readonly=True, copy=False
    )
    collection_block_cause = fields.Selection(
        BLOCK_CAUSES,
        string="Blocked because of",
        company_dependent=True,
        readonly=True,
        copy=False,
    )
    collection_block_reason = fields.Text(
        string="Block reason",
        compute="_compute_collection_block_reason",
        help="Why the account is blocked, as it stands now.",
    )
    collection_block_date = fields.Datetime(
        string="Blocked since", company_dependent=True, readonly=True, copy=False
    )
    collection_block_summary = fields.Text(
        string="Block summary",
        compute="_compute_collection_block_summary",
        help="What sales see on the customer, its orders and draft invoices.",
    )
    collection_block_event_ids = fields.One2many(
        "credit.collection.block.event",
        "partner_id",
        string="Block history",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # By hand
    # ------------------------------------------------------------------

    def _collection_check_manager(self):
        if not self.env.user.has_group(
            "credit_collection.group_credit_collection_manager"
        ):
            raise AccessError(
                self.env._("Only Collections managers block or unblock accounts.")
            )

    def _collection_block_by_hand(self, reason, block=True):
        """Block (or lift the block by hand of) the customers in the current
        company, with the manager's reason."""
        self._collection_check_manager()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why: the reason is kept in the log."))
        customers = self.commercial_partner_id
        customers.sudo().write(
            {"collection_block_manual": block, "collection_block_note": reason}
        )
        customers._collection_refresh_blocking(
            self.env.company, reason=reason, user=self.env.user
        )
        still = customers.filtered("collection_blocked")
        if not block and still:
            raise UserError(
                self.env._(
                    "%(customer)s stays blocked: %(reason)s. It unblocks by "
                    "itself once this no longer holds; meanwhile a release on "
                    "an order lets that sale through.",
                    customer=still[0].display_name,
                    reason=still[0].collection_block_reason,
                )
            )

    @api.model
    def _collection_adopt_legacy_blocks(self):
        """Blocked accounts without a cause (ticked before causes existed)
        become blocks by hand, in each company, and are logged."""
        for company in self.env["res.company"].sudo().search([]):
            legacy = (
                self.sudo()
                .with_company(company)
                .search([("collection_blocked", "=", True)])
                .filtered(lambda partner: not partner.collection_block_cause)
            )
            if not legacy:
                continue
            note = self.env._("Blocked before the block log existed.")
            legacy.with_context(tracking_disable=True).write(
                {"collection_block_manual": True, "collection_block_note": note}
            )
            legacy.write({"collection_blocked": False})
            legacy._collection_refresh_blocking(company, reason=note)

    # ------------------------------------------------------------------
    # Automatic
    # ------------------------------------------------------------------

    @api.model
    def _collection_blocking_stages(self, customers, company):
        """``{customer id: (stage name, overdue amount)}`` for the customers
        with an open item at a stage that blocks sales (one query)."""
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT partner.commercial_partner_id,
                       (array_agg(stage.name ORDER BY stage.days DESC))[1],
                       SUM(line.amount_residual)
                  FROM credit_collection_item_state state
                  JOIN credit_collection_stage stage
                    ON stage.id = state.stage_id AND stage.blocks_sales
                  JOIN %s ON line.id = state.move_line_id
                  JOIN res_partner partner ON partner.id = line.partner_id
                 WHERE line.company_id = %s
                   AND %s
              GROUP BY partner.commercial_partner_id
                """,
                self.env["credit.collection.ledger"]._open_table(),
                company.id,
                self.env["credit.collection.ledger"]._of_customers(customers.ids),
            )
        )
        lang = self.env.lang
        return {
            partner_id: (
                name.get(lang) or name.get("en_US") if isinstance(name, dict) else name,
                amount,
            )
            for partner_id, name, amount in rows
        }

    @api.model
    def _collection_exposures(self, customers, company):
        """``{customer id: (exposure, limit)}`` for the customers over their
        credit limit in ``company`` (when the company uses credit limits):
        open receivables plus confirmed orders not invoiced yet (with the
        sales app), in the company's currency."""
        if not company.account_use_credit_limit:
            return {}
        over = {}
        customers = customers.sudo().with_company(company)
        # Computed without dependencies: drop what an earlier read cached.
        customers.invalidate_recordset(["credit", "credit_to_invoice"])
        for customer in customers:
            limit = customer.credit_limit
            if limit <= 0:
                continue
            exposure = customer.credit + customer.credit_to_invoice
            if company.currency_id.compare_amounts(exposure, limit) > 0:
                over[customer.id] = (exposure, limit)
        return over

    @api.depends_context("company")
    @api.depends("collection_block_cause", "collection_block_note")
    def _compute_collection_block_reason(self):
        company = self.env.company
        customers = self.commercial_partner_id.with_company(company)
        causes = self._collection_block_causes(customers, company)
        for partner in self:
            partner.collection_block_reason = (
                causes.get(partner.commercial_partner_id.id, (False, False))[1]
                if partner.collection_blocked
                else False
            )

    @api.depends_context("company")
    @api.depends("collection_blocked", "collection_block_cause")
    def _compute_collection_block_summary(self):
        """Blocked: why, what is overdue, the furthest collection stage and
        who to talk to, in one sentence."""
        company = self.env.company
        blocked = self.filtered(
            lambda p: p.commercial_partner_id.with_company(company).collection_blocked
        )
        (self - blocked).collection_block_summary = False
        if not blocked:
            return
        customers = blocked.commercial_partner_id.sudo().with_company(company)
        overdue = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT partner.commercial_partner_id, SUM(line.amount_residual)
                      FROM %s
                      JOIN res_partner partner ON partner.id = line.partner_id
                     WHERE line.company_id = %s
                       AND %s
                       AND COALESCE(line.date_maturity, line.date) < %s
                  GROUP BY partner.commercial_partner_id
                    """,
                    self.env["credit.collection.ledger"]._open_table(),
                    company.id,
                    self.env["credit.collection.ledger"]._of_customers(customers.ids),
                    fields.Date.context_today(self),
                )
            )
        )
        format_amount = amount_formatter(get_lang(self.env), company.currency_id)
        for partner in blocked:
            customer = customers.browse(partner.commercial_partner_id.id)
            partner.collection_block_summary = self.env._(
                "%(customer)s is blocked for sales: %(reason)s. Overdue: "
                "%(overdue)s. Collection stage: %(stage)s. Collector: "
                "%(collector)s.",
                customer=customer.display_name,
                reason=(customer.collection_block_reason or "").rstrip("."),
                overdue=format_amount(overdue.get(customer.id, 0.0)),
                stage=customer._collection_furthest_stage(company)
                or self.env._("none"),
                collector=customer._collection_collector(company).name
                or self.env._("none"),
            )

    def _collection_furthest_stage(self, company):
        """The name of the furthest stage the customer's open items reached."""
        self.ensure_one()
        state = (
            self.env["credit.collection.item.state"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("move_line_id.partner_id", "child_of", self.id),
                    (
                        "move_line_id",
                        "any",
                        self.env["credit.collection.ledger"]._open_domain(),
                    ),
                ]
            )
        )
        stages = state.stage_id.sorted(lambda stage: stage.days)
        return stages[-1:].name

    @api.model
    def _collection_block_causes(self, customers, company):
        """``{customer id: (cause, why)}`` of what blocks each customer now:
        its block by hand first, then a stage, then its credit limit."""
        customers = customers.sudo().with_company(company)
        stages = self._collection_blocking_stages(customers, company)
        exposures = self._collection_exposures(customers, company)
        format_amount = amount_formatter(get_lang(self.env), company.currency_id)
        causes = {}
        for customer in customers:
            if customer.collection_block_manual:
                causes[customer.id] = ("manual", customer.collection_block_note)
            elif customer.id in stages:
                stage, overdue = stages[customer.id]
                causes[customer.id] = (
                    "stage",
                    self.env._(
                        "reached the collection stage %(stage)s with %(amount)s "
                        "overdue",
                        stage=stage,
                        amount=format_amount(overdue),
                    ),
                )
            elif customer.id in exposures:
                exposure, limit = exposures[customer.id]
                causes[customer.id] = (
                    "credit_limit",
                    self.env._(
                        "owes or has ordered %(exposure)s, above its credit "
                        "limit of %(limit)s",
                        exposure=format_amount(exposure),
                        limit=format_amount(limit),
                    ),
                )
        return causes

    def _collection_refresh_blocking(self, company, reason=None, user=None):
        """Block or unblock the customers (commercial entities) in
        ``company`` from what holds now, and log each change.

        Written in one statement, logged in one batch: the daily run may
        block thousands of customers at once."""
        customers = self.commercial_partner_id.sudo().with_company(company)
        if not customers:
            return
        # What deciding reads, alone: reading one of them would load every
        # company-dependent field of the customers, with their fallbacks.
        customers.fetch(
            [*BLOCK_FIELDS, "collection_block_manual", "collection_block_note"]
        )
        causes = self._collection_block_causes(customers, company)
        now = fields.Datetime.now()
        rows, events, notes = {}, [], {}
        for customer in customers:
            cause, why = causes.get(customer.id, (False, False))
            if cause == (customer.collection_block_cause or False) and bool(
                cause
            ) == bool(customer.collection_blocked):
                continue
            if not cause:
                values = (False, False, False)
            elif customer.collection_blocked:
                values = (True, cause, customer.collection_block_date or now)
            else:
                values = (True, cause, now)
            rows[customer.id] = dict(zip(BLOCK_FIELDS, values, strict=True))
            events.append(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "user_id": user.id if user else False,
                    "blocked": bool(cause),
                    "cause": cause,
                    "reason": reason or why or self.env._("No cause holds any more."),
                }
            )
            notes[customer.id] = customer._collection_block_message(
                company, bool(cause), why, reason
            )
        # One statement: the run may block thousands of customers at once
        # (changes are logged below, not tracked).
        write_company_values(customers, rows)
        if events:
            bulk_create(self.env["credit.collection.block.event"].sudo(), events)
            customers.browse(list(notes)).with_context(
                **{BULK_INSERT: True}
            )._message_log_batch(notes)

    def _collection_block_message(self, company, blocked, why, reason):
        if blocked:
            return self.env._(
                "Account blocked for sales in %(company)s: %(why)s.",
                company=company.name,
                why=why,
            )
        if reason:
            return self.env._(
                "Account unblocked in %(company)s: %(reason)s",
                company=company.name,
                reason=reason,
            )
        return self.env._(
            "Account unblocked in %(company)s: no cause holds any more.",
            company=company.name,
        )

    @api.model
    def _collection_refresh_for_items(self, lines):
        """Re-check the customers of receivable ``lines`` (after a payment,
        a credit note, an invoice posted or reset)."""
        receivable = (
            self.env["credit.collection.ledger"]
            ._ledger_items(lines)
            .filtered("partner_id")
        )
        for company, company_lines in receivable.grouped("company_id").items():
            company_lines.partner_id._collection_refresh_blocking(company)
