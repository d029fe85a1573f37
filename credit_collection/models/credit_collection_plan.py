from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .credit_collection_customer_mixin import open_items_domain
from .selections import PLAN_FREQUENCIES, PLAN_HOLDING_STATES, PLAN_STATES


class CreditCollectionPlan(models.Model):
    """A payment schedule agreed with a customer who cannot pay at once: a
    down payment now, then instalments.

    Plans above the company's threshold wait for a Collections manager's
    approval. While it waits or runs, the plan holds back the dunning of its
    items. Payments are matched to the instalments in order; a missed
    instalment breaks the plan (the collector is told and the customer
    escalates at the next run); a plan paid in full closes itself.
    """

    _name = "credit.collection.plan"
    _description = "Payment Plan"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "credit.collection.customer.mixin",
        "credit.collection.escalation.mixin",
    ]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    move_line_ids = fields.Many2many(
        "account.move.line",
        "credit_collection_plan_move_line_rel",
        "plan_id",
        "move_line_id",
        string="Receivable items",
        required=True,
        domain=open_items_domain,
    )
    amount_total = fields.Monetary(
        string="Total",
        readonly=True,
        currency_field="currency_id",
        help="What the items owed when the plan was made.",
    )
    down_payment_percent = fields.Float(
        string="Down payment (%)",
        default=lambda self: self.env.company.credit_collection_plan_down_payment,
    )
    down_payment_amount = fields.Monetary(
        string="Required down payment",
        compute="_compute_down_payment_amount",
        currency_field="currency_id",
    )
    instalment_count = fields.Integer(string="Instalments", default=3)
    frequency = fields.Selection(PLAN_FREQUENCIES, required=True, default="monthly")
    first_date = fields.Date(
        string="First instalment",
        default=lambda self: fields.Date.context_today(self) + relativedelta(months=1),
    )
    line_ids = fields.One2many(
        "credit.collection.plan.line", "plan_id", string="Schedule", copy=True
    )
    amount_paid = fields.Monetary(
        string="Paid",
        compute="_compute_amount_paid",
        currency_field="currency_id",
        help="Paid (or credited) on the items since the plan was made.",
    )
    state = fields.Selection(
        PLAN_STATES, required=True, default="draft", index=True, tracking=True
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closed_date = fields.Date(readonly=True, copy=False)
    send_confirmation = fields.Boolean(
        string="Confirm in writing",
        default=True,
        help="Email the schedule to the customer when the plan starts: every "
        "commitment is confirmed in writing.",
    )
    comment = fields.Text()

    @api.depends("partner_id", "amount_total")
    def _compute_name(self):
        for plan in self:
            plan.name = self.env._(
                "Payment plan of %(customer)s",
                customer=plan.partner_id.display_name or "",
            )

    @api.depends("amount_total", "down_payment_percent")
    def _compute_down_payment_amount(self):
        for plan in self:
            plan.down_payment_amount = plan.currency_id.round(
                plan.amount_total * plan.down_payment_percent / 100
            )

    @api.depends("move_line_ids.amount_residual", "amount_total")
    def _compute_amount_paid(self):
        for plan in self:
            residual = plan._items_due()
            plan.amount_paid = max(plan.amount_total - residual, 0.0)

    def _paid_per_line(self):
        """What has been paid, given to the instalments in date order."""
        self.ensure_one()
        left, paid = self.amount_paid, {}
        for line in self.line_ids.sorted(
            lambda line: (line.date, line.sequence, line.id)
        ):
            paid[line.id] = min(line.amount, max(left, 0.0))
            left -= paid[line.id]
        return paid

    # ------------------------------------------------------------------
    # Creation and the schedule
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        plans = super().create(vals_list)
        plans._take_items_due()
        return plans

    def _take_items_due(self):
        for plan in self:
            plan._check_items()
            plan.amount_total = plan._items_due()
            if plan.currency_id.compare_amounts(plan.amount_total, 0) <= 0:
                raise ValidationError(
                    self.env._("The chosen invoices owe nothing: no plan to make.")
                )

    def write(self, vals):
        frozen = {"move_line_ids", "partner_id", "company_id", "line_ids"}
        if frozen & set(vals) and any(plan.state != "draft" for plan in self):
            raise ValidationError(
                self.env._(
                    "A confirmed payment plan keeps its invoices and schedule; "
                    "cancel it and make a new one to change them."
                )
            )
        return super().write(vals)

    @api.constrains("down_payment_percent", "instalment_count")
    def _check_terms(self):
        for plan in self:
            if not 0 <= plan.down_payment_percent <= 100:
                raise ValidationError(
                    self.env._("The down payment is a percentage between 0 and 100.")
                )
            if plan.instalment_count < 1:
                raise ValidationError(self.env._("A plan has at least one instalment."))

    def action_generate_lines(self):
        """The down payment today, then the instalments from the first date,
        the rest split evenly (the last one takes the rounding)."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan's schedule can change."))
            if not plan.first_date:
                raise UserError(self.env._("Give the date of the first instalment."))
            today = fields.Date.context_today(self)
            rest = plan.amount_total - plan.down_payment_amount
            share = plan.currency_id.round(rest / plan.instalment_count)
            step = (
                relativedelta(weeks=1)
                if plan.frequency == "weekly"
                else relativedelta(months=1)
            )
            lines = []
            if plan.down_payment_amount:
                lines.append(
                    {
                        "sequence": 0,
                        "name": self.env._("Down payment"),
                        "date": today,
                        "amount": plan.down_payment_amount,
                    }
                )
            for index in range(plan.instalment_count):
                last = index == plan.instalment_count - 1
                lines.append(
                    {
                        "sequence": index + 1,
                        "name": self.env._("Instalment %(number)s", number=index + 1),
                        "date": plan.first_date + step * index,
                        "amount": rest - share * index if last else share,
                    }
                )
            plan.line_ids = [Command.clear()] + [Command.create(v) for v in lines]

    def _check_schedule(self):
        for plan in self:
            currency = plan.currency_id
            if not plan.line_ids:
                raise UserError(self.env._("Generate or enter the instalments first."))
            scheduled = sum(plan.line_ids.mapped("amount"))
            if currency.compare_amounts(scheduled, plan.amount_total):
                raise UserError(
                    self.env._(
                        "The instalments add up to %(scheduled)s, the plan's total "
                        "is %(total)s.",
                        scheduled=currency.format(scheduled),
                        total=currency.format(plan.amount_total),
                    )
                )
            if any(
                currency.compare_amounts(line.amount, 0) <= 0 for line in plan.line_ids
            ):
                raise UserError(self.env._("Every instalment is for an amount."))
            first = plan.line_ids.sorted(lambda line: (line.date, line.sequence))[0]
            if currency.compare_amounts(first.amount, plan.down_payment_amount) < 0:
                raise UserError(
                    self.env._(
                        "The first payment (%(first)s) is below the required down "
                        "payment (%(required)s).",
                        first=currency.format(first.amount),
                        required=currency.format(plan.down_payment_amount),
                    )
                )

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------

    def action_confirm(self):
        """Start the plan, or send it to a manager when it is over the
        company's approval threshold."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan can be confirmed."))
            plan._check_schedule()
            threshold = plan.company_id.credit_collection_plan_approval_amount
            needs_approval = (
                plan.currency_id.compare_amounts(plan.amount_total, threshold) > 0
            )
            if needs_approval and not plan._is_manager():
                plan.state = "to_approve"
                plan._ask_approval()
            else:
                plan._start()

    def action_approve(self):
        if not self._is_manager():
            raise AccessError(
                self.env._("Only a Collections manager approves payment plans.")
            )
        if any(plan.state != "to_approve" for plan in self):
            raise UserError(self.env._("Only plans waiting for approval are approved."))
        self.activity_ids.action_feedback(feedback=self.env._("Approved."))
        for plan in self:
            plan._start()

    def _start(self):
        self.ensure_one()
        if self.send_confirmation:
            # First: a plan that cannot be confirmed in writing does not start.
            self._confirm_in_writing(
                "credit_collection.mail_template_plan_confirmation"
            )
        self.write({"state": "active", "approved_by_id": self.env.uid})

    def action_cancel(self):
        if any(plan.state not in ("draft", "to_approve", "active") for plan in self):
            raise UserError(self.env._("A closed plan cannot be cancelled."))
        self.activity_ids.unlink()
        self.write(
            {"state": "cancelled", "closed_date": fields.Date.context_today(self)}
        )

    def _open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def _is_manager(self):
        return self.env.user.has_group(
            "credit_collection.group_credit_collection_manager"
        )

    def _ask_approval(self):
        managers = self.env.ref(
            "credit_collection.group_credit_collection_manager"
        ).users.filtered(
            lambda user: (
                not user.share
                and self.company_id in user.company_ids
                and user != self.env.ref("base.user_root")
            )
        )
        for manager in managers:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._(
                    "Approve the payment plan of %(customer)s (%(total)s)",
                    customer=self.partner_id.display_name,
                    total=self.currency_id.format(self.amount_total),
                ),
            )

    # ------------------------------------------------------------------
    # The daily check
    # ------------------------------------------------------------------

    @api.model
    def _check_running_plans(self, company):
        """Close the plans paid in full; break those with a missed
        instalment. Called by the daily run before it plans."""
        today = fields.Date.context_today(self)
        for plan in self.search(
            [("company_id", "=", company.id), ("state", "=", "active")]
        ):
            if (
                plan.currency_id.compare_amounts(plan.amount_paid, plan.amount_total)
                >= 0
            ):
                plan.write({"state": "completed", "closed_date": today})
                plan.message_post(
                    body=self.env._("Paid in full: the plan is completed.")
                )
            elif plan._missed_lines(today):
                plan._break(today)

    def _missed_lines(self, today):
        """Instalments due before ``today`` and not paid in full."""
        self.ensure_one()
        paid = self._paid_per_line()
        return self.line_ids.filtered(
            lambda line: (
                line.date < today
                and self.currency_id.compare_amounts(paid[line.id], line.amount) < 0
            )
        ).sorted(lambda line: (line.date, line.sequence))

    def _break(self, today):
        self.ensure_one()
        missed = self._missed_lines(today)
        self._record_broken(
            today,
            {},
            self.env._(
                "%(instalment)s, due %(date)s, was not paid: the plan is broken.",
                instalment=missed[0].name,
                date=missed[0].date,
            ),
            self.env._(
                "Payment plan broken: call %(customer)s",
                customer=self.partner_id.display_name,
            ),
        )

    @api.model
    def _held_line_ids(self, company, line_ids):
        """Items under a plan waiting for approval or running."""
        return self._items_held(
            company, line_ids, SQL("record.state IN %s", PLAN_HOLDING_STATES)
        )
