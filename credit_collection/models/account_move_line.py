from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    collection_promise_ids = fields.Many2many(
        "credit.collection.promise",
        "credit_collection_promise_move_line_rel",
        "move_line_id",
        "promise_id",
        string="Promises to pay",
        readonly=True,
        copy=False,
    )
    collection_dispute_ids = fields.Many2many(
        "credit.collection.dispute",
        "credit_collection_dispute_move_line_rel",
        "move_line_id",
        "dispute_id",
        string="Disputes",
        readonly=True,
        copy=False,
    )
    collection_plan_ids = fields.Many2many(
        "credit.collection.plan",
        "credit_collection_plan_move_line_rel",
        "move_line_id",
        "plan_id",
        string="Payment plans",
        readonly=True,
        copy=False,
    )
    collection_state_ids = fields.One2many(
        "credit.collection.item.state", "move_line_id", readonly=True
    )
    # The stage each open receivable item has reached, written by the daily
    # run; an invoice paid in instalments has one per instalment.
    collection_stage_id = fields.Many2one(
        "credit.collection.stage",
        compute="_compute_collection_stage_id",
        search="_search_collection_stage_id",
    )

    @api.depends("collection_state_ids.stage_id")
    def _compute_collection_stage_id(self):
        for line in self:
            line.collection_stage_id = line.collection_state_ids[:1].stage_id

    def _search_collection_stage_id(self, operator, value):
        return [("collection_state_ids.stage_id", operator, value)]

    def _check_collection_items(self, partner, company):
        """Promises, disputes and plans cover open receivable items of their
        customer in their company, nothing else."""
        ledger = self.env["credit.collection.ledger"]._ledger_items(self)
        strangers = self.filtered(
            lambda line: (
                line.partner_id.commercial_partner_id != partner.commercial_partner_id
                or line.company_id != company
                or line not in ledger
            )
        )
        if strangers:
            raise ValidationError(
                self.env._(
                    "%(items)s: not receivable items of %(customer)s in %(company)s.",
                    items=", ".join(strangers.move_id.mapped("display_name")),
                    customer=partner.display_name,
                    company=company.name,
                )
            )
        settled = self.filtered("reconciled")
        if settled:
            raise ValidationError(
                self.env._(
                    "%(items)s: already paid.",
                    items=", ".join(settled.move_id.mapped("display_name")),
                )
            )
