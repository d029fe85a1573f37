from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

RELEASE_STATES = [
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]
RELEASE_SCOPES = [
    ("order", "This order only"),
    ("period", "Every order until a date"),
    ("amount", "Orders up to an amount, until a date"),
]


class CreditCollectionRelease(models.Model):
    """A Collections manager lets sales confirm orders of a customer whose
    account is blocked: this order, every order until a date, or orders up
    to an amount until a date. Requested from an order by sales; decided
    by a manager who is not the requester; visible in the order's thread."""

    _name = "credit.collection.release"
    _description = "Release of a Blocked Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    order_id = fields.Many2one(
        "sale.order",
        string="Requested for",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="order_id.partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    requested_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user
    )
    request_note = fields.Text(string="Why", required=True, readonly=True)
    state = fields.Selection(
        RELEASE_STATES, required=True, default="requested", tracking=True
    )
    scope = fields.Selection(RELEASE_SCOPES, default="order", tracking=True)
    valid_until = fields.Date(
        default=lambda self: fields.Date.context_today(self) + timedelta(days=30),
        tracking=True,
        help="The release lets orders be confirmed until this day included.",
    )
    max_amount = fields.Monetary(
        string="Up to",
        currency_field="currency_id",
        tracking=True,
        help="Total of the orders (in the company's currency) it lets through.",
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    decision_comment = fields.Text(string="Comment")
    confirmed_order_ids = fields.Many2many(
        "sale.order",
        string="Orders confirmed with it",
        readonly=True,
        copy=False,
    )

    @api.depends("order_id.name", "partner_id.name")
    def _compute_name(self):
        for release in self:
            release.name = self.env._(
                "Release of %(customer)s for %(order)s",
                customer=release.partner_id.name,
                order=release.order_id.name,
            )

    # ------------------------------------------------------------------
    # Decision
    # ------------------------------------------------------------------

    def _check_decider(self):
        if not self.env.user.has_group(
            "credit_collection.group_credit_collection_manager"
        ):
            raise AccessError(
                self.env._("Only Collections managers decide on releases.")
            )
        for release in self:
            if release.state != "requested":
                raise UserError(
                    self.env._("%(release)s is already decided.", release=release.name)
                )
            if release.requested_by_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You asked for %(release)s: another Collections manager "
                        "decides on it.",
                        release=release.name,
                    )
                )

    def action_approve(self):
        self._check_decider()
        today = fields.Date.context_today(self)
        for release in self:
            if release.valid_until and release.valid_until < today:
                raise UserError(self.env._("The release cannot end in the past."))
            if release.scope == "amount" and release.max_amount <= 0:
                raise UserError(
                    self.env._("Say up to which amount orders may be confirmed.")
                )
            if release.scope != "order" and not release.valid_until:
                raise UserError(self.env._("Say until when the release holds."))
        self._decide("approved")

    def action_refuse(self):
        self._check_decider()
        if any(not (release.decision_comment or "").strip() for release in self):
            raise UserError(self.env._("Say why the release is refused."))
        self._decide("refused")

    def _decide(self, state):
        self.sudo().write(
            {
                "state": state,
                "decided_by_id": self.env.user.id,
                "decision_date": fields.Datetime.now(),
            }
        )
        for release in self:
            body = release._decision_message()
            release.activity_ids.action_feedback(feedback=body)
            # Managers may have no sales rights: the decision is theirs,
            # written in the order's thread in their name.
            release.order_id.sudo().message_post(
                body=body,
                author_id=self.env.user.partner_id.id,
                partner_ids=release.requested_by_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    def _decision_message(self):
        self.ensure_one()
        if self.state == "refused":
            return self.env._(
                "Release refused by %(manager)s: %(comment)s",
                manager=self.decided_by_id.name,
                comment=self.decision_comment,
            )
        scope = dict(self._fields["scope"]._description_selection(self.env))[self.scope]
        if self.scope == "amount":
            return self.env._(
                "Release approved by %(manager)s: %(scope)s (%(amount)s, until "
                "%(until)s). %(comment)s",
                manager=self.decided_by_id.name,
                scope=scope,
                amount=self.currency_id.format(self.max_amount),
                until=self.valid_until,
                comment=self.decision_comment or "",
            )
        return self.env._(
            "Release approved by %(manager)s: %(scope)s (until %(until)s). %(comment)s",
            manager=self.decided_by_id.name,
            scope=scope,
            until=self.valid_until,
            comment=self.decision_comment or "",
        )

    # ------------------------------------------------------------------
    # What it lets through
    # ------------------------------------------------------------------

    def _amount_used(self):
        self.ensure_one()
        return sum(
            order.currency_id._convert(
                order.amount_total,
                self.currency_id,
                self.company_id,
                order.date_order.date(),
            )
            for order in self.confirmed_order_ids
        )

    def _lets_through(self, order):
        """Whether this approved release lets ``order`` be confirmed today."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.state != "approved" or (self.valid_until and self.valid_until < today):
            return False
        if self.scope == "order":
            return self.order_id == order
        if self.partner_id != order.partner_id.commercial_partner_id:
            return False
        if self.scope == "amount":
            amount = order.currency_id._convert(
                order.amount_total, self.currency_id, self.company_id, today
            )
            return (
                self.currency_id.compare_amounts(
                    self._amount_used() + amount, self.max_amount
                )
                <= 0
            )
        return True
