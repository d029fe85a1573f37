from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CreditCollectionPlanLine(models.Model):
    """One instalment of a payment plan (the first one is the down payment)."""

    _name = "credit.collection.plan.line"
    _description = "Payment Plan Instalment"
    _order = "plan_id, date, sequence, id"

    plan_id = fields.Many2one(
        "credit.collection.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Instalment", required=True)
    date = fields.Date(string="Due", required=True)
    amount = fields.Monetary(required=True, currency_field="currency_id")
    amount_paid = fields.Monetary(
        string="Paid", compute="_compute_payment", currency_field="currency_id"
    )
    state = fields.Selection(
        [("pending", "To pay"), ("paid", "Paid"), ("missed", "Missed")],
        compute="_compute_payment",
    )

    @api.depends("plan_id.amount_paid", "plan_id.line_ids.amount", "date", "amount")
    def _compute_payment(self):
        today = fields.Date.context_today(self)
        for plan in self.plan_id:
            paid = plan._paid_per_line()
            for line in plan.line_ids & self:
                line.amount_paid = paid.get(line.id, 0.0)
                if plan.currency_id.compare_amounts(line.amount_paid, line.amount) >= 0:
                    line.state = "paid"
                elif line.date < today:
                    line.state = "missed"
                else:
                    line.state = "pending"
        for line in self - self.plan_id.line_ids:
            line.amount_paid, line.state = 0.0, "pending"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_plan_draft()
        return lines

    def write(self, vals):
        self._check_plan_draft()
        return super().write(vals)

    def unlink(self):
        self._check_plan_draft()
        return super().unlink()

    def _check_plan_draft(self):
        if any(plan.state != "draft" for plan in self.plan_id):
            raise ValidationError(
                self.env._(
                    "A confirmed payment plan keeps its schedule; cancel it and "
                    "make a new one to change it."
                )
            )
