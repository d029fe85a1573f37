from odoo import api, fields, models

from .selections import CHANNELS

ACTION_STATES = [
    ("todo", "To do"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
    ("failed", "Failed"),
]


class CreditCollectionAction(models.Model):
    """One collection action for one customer: an agenda entry, then evidence."""

    _name = "credit.collection.action"
    _description = "Collection Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    scenario_id = fields.Many2one(
        "credit.collection.scenario", ondelete="restrict", check_company=True
    )
    stage_id = fields.Many2one(
        "credit.collection.stage",
        ondelete="restrict",
        check_company=True,
        tracking=True,
    )
    level = fields.Selection(related="stage_id.level", store=True)
    channel = fields.Selection(CHANNELS, required=True, default="email", tracking=True)
    date = fields.Date(
        string="Planned date",
        required=True,
        index=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        ACTION_STATES, required=True, default="todo", index=True, tracking=True
    )
    failure_reason = fields.Text()
    move_line_ids = fields.Many2many(
        "account.move.line",
        string="Receivable items",
        check_company=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(
        currency_field="currency_id",
        help="What the customer owed on the items concerned when the action "
        "was planned, in company currency.",
    )
    amount_overdue = fields.Monetary(currency_field="currency_id")
    statement_html = fields.Html(
        compute="_compute_statement_html",
        sanitize=False,
        help="The statement of the items concerned, as shown in reminders.",
    )

    @api.depends("partner_id", "stage_id", "date")
    def _compute_name(self):
        for action in self:
            parts = [action.partner_id.display_name, action.stage_id.name]
            action.name = " - ".join(part for part in parts if part)

    @api.depends("move_line_ids", "date")
    def _compute_statement_html(self):
        for action in self:
            lang = action.partner_id.lang or self.env.lang
            lines = action.with_context(lang=lang)._statement_lines()
            action.statement_html = (
                self.env["ir.qweb"]
                .with_context(lang=lang)
                ._render(
                    "credit_collection.collection_statement_table",
                    {"lines": lines, "totals": self._statement_totals(lines)},
                )
            )

    @api.model
    def _statement_totals(self, lines):
        """Amount due per currency, in the order currencies first appear."""
        totals = {}
        for row in lines:
            totals[row["currency"]] = totals.get(row["currency"], 0.0) + row["residual"]
        return [
            {"currency": currency, "amount": amount}
            for currency, amount in totals.items()
        ]

    def _statement_lines(self):
        """Rows of the statement: one per receivable item, oldest due first."""
        self.ensure_one()
        today = self.date or fields.Date.context_today(self)
        statuses = dict(
            self.env["account.move"]
            ._fields["collection_status"]
            ._description_selection(self.env)
        )
        rows = []
        for line in self.move_line_ids.sorted(
            lambda l: (l.date_maturity or l.date, l.id)
        ):
            due = line.date_maturity or line.date
            rows.append(
                {
                    "line": line,
                    "number": line.move_id.name,
                    "date": line.date,
                    "due": due,
                    "days_late": max((today - due).days, 0),
                    "residual": line.amount_residual_currency,
                    "currency": line.currency_id,
                    "status": statuses[line.move_id.collection_status],
                }
            )
        return rows
