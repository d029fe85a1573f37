from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.credit_collection_customer_mixin import open_items_domain
from ..models.selections import OUTCOMES, PROMISE_SOURCES, stage_channels


class CreditCollectionOutcome(models.TransientModel):
    """Log what came of a contact with a customer: from an agenda action, an
    invoice or a customer. The outcome and comment go on the action (done, so
    kept as evidence) and on the invoices; a promise becomes a promise record,
    a wrong contact is replaced among the collection contacts, and the agreed
    next step becomes the next agenda action."""

    _name = "credit.collection.outcome"
    _description = "Log a Collection Outcome"

    action_id = fields.Many2one("credit.collection.action", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    channel = fields.Selection(selection=stage_channels, required=True, default="phone")
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact reached",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    outcome = fields.Selection(OUTCOMES, required=True, default="reached")
    comment = fields.Text()
    move_line_ids = fields.Many2many(
        "account.move.line",
        string="Invoices concerned",
        domain=open_items_domain,
    )
    amount_due = fields.Monetary(compute="_compute_amount_due")
    # promise
    promise_date = fields.Date()
    promise_amount = fields.Monetary()
    send_confirmation = fields.Boolean(
        string="Confirm in writing",
        default=True,
        help="Email the customer what was agreed: every commitment is confirmed "
        "in writing.",
    )
    # dispute
    dispute_type_id = fields.Many2one(
        "credit.collection.dispute.type",
        string="Dispute type",
        domain="[('company_id', 'in', (False, company_id))]",
    )
    dispute_amount = fields.Monetary(string="Disputed amount")
    dispute_responsible_id = fields.Many2one(
        "res.users",
        string="Examined by",
        domain="[('share', '=', False)]",
        help="The internal person who checks the customer's claim.",
    )
    # wrong contact
    right_contact_id = fields.Many2one(
        "res.partner",
        string="Right contact",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    right_contact_name = fields.Char(string="New contact's name")
    right_contact_email = fields.Char(string="New contact's email")
    right_contact_phone = fields.Char(string="New contact's phone")
    # next step
    next_date = fields.Date(string="Next step on")
    next_channel = fields.Selection(selection=stage_channels, string="Next step by")
    next_note = fields.Char(string="Next step")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        record_id = self.env.context.get("active_id")
        if not model or not record_id:
            return values
        record = self.env[model].browse(record_id)
        if model == "credit.collection.action":
            items = record.move_line_ids
            values.update(
                action_id=record.id,
                partner_id=record.partner_id.id,
                company_id=record.company_id.id,
                channel=record.channel,
            )
        elif model == "account.move":
            moves = self.env[model].browse(self.env.context.get("active_ids") or [])
            moves = moves or record
            if len(moves.commercial_partner_id) > 1 or len(moves.company_id) > 1:
                raise UserError(
                    self.env._(
                        "Log an outcome for the invoices of one customer at a time."
                    )
                )
            items = moves.line_ids
            values.update(
                partner_id=moves.commercial_partner_id.id,
                company_id=moves.company_id.id,
            )
        elif model == "res.partner":
            partner = record.commercial_partner_id
            items = partner._collection_open_items(self.env.company)
            values.update(partner_id=partner.id, company_id=self.env.company.id)
        else:
            return values
        open_items = self.env["credit.collection.ledger"]._owed_items(items)
        values["move_line_ids"] = [Command.set(open_items.ids)]
        return values

    @api.depends("move_line_ids")
    def _compute_amount_due(self):
        for wizard in self:
            wizard.amount_due = sum(wizard.move_line_ids.mapped("amount_residual"))

    @api.onchange("outcome", "move_line_ids")
    def _onchange_amounts(self):
        if self.outcome == "promise" and not self.promise_amount:
            self.promise_amount = self.amount_due
        if self.outcome == "dispute" and not self.dispute_amount:
            self.dispute_amount = self.amount_due

    # ------------------------------------------------------------------

    def action_apply(self):
        self.ensure_one()
        self._check_input()
        action = self._record_contact()
        moves = self.move_line_ids.move_id
        if self.comment:
            moves.write({"collection_comment": self.comment})
        if self.outcome == "dispute":
            self._create_dispute(action)
        if self.outcome == "promise":
            promise = self._create_promise(action)
            if self.send_confirmation:
                promise._send_confirmation(self.contact_id)
        if self.outcome == "wrong_contact":
            self._replace_contact()
        if self.next_date:
            self._plan_next_step(action)
        if self.outcome == "plan_requested":
            return self._draft_plan(action)._open_form()
        return {"type": "ir.actions.act_window_close"}

    def _check_input(self):
        if (
            self.outcome in ("promise", "dispute", "plan_requested")
            and not self.move_line_ids
        ):
            raise UserError(self.env._("Choose the invoices concerned."))
        if self.outcome == "promise" and not self.promise_date:
            raise UserError(self.env._("Give the date the customer promises to pay."))
        if self.outcome == "dispute" and not (self.dispute_type_id and self.comment):
            raise UserError(
                self.env._("Give the dispute's type and what the customer claims.")
            )
        if self.outcome == "wrong_contact" and not (
            self.right_contact_id or self.right_contact_name
        ):
            raise UserError(
                self.env._("Give the right contact: choose one or enter a new one.")
            )
        if self.next_date and self.next_date < fields.Date.context_today(self):
            raise UserError(self.env._("The next step cannot be in the past."))

    def _record_contact(self):
        """The action the outcome belongs to, done: the agenda action itself,
        or a new one when it is not on the agenda (logged from an invoice or a
        customer, or the action was already done)."""
        Action = self.env["credit.collection.action"]
        values = {
            "outcome": self.outcome,
            "comment": self.comment,
            "contact_id": self.contact_id.id,
        }
        action = self.action_id
        if action.state == "todo":
            action.write({**values, "channel": self.channel})
            action._mark_done(feedback=self.comment or False)
            return action
        action = Action.create(
            {
                **values,
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "channel": self.channel,
                "stage_id": self.action_id.stage_id.id,
                "scenario_id": self.action_id.scenario_id.id,
                "auto": False,
                "date": fields.Date.context_today(self),
                "move_line_ids": [Command.set(self.move_line_ids.ids)],
                "amount_due": self.amount_due,
            }
        )
        action._mark_done()
        return action

    def _create_promise(self, action):
        sources = dict(PROMISE_SOURCES)
        source = {"registered_letter": "letter", "fax": "letter"}.get(
            self.channel, self.channel
        )
        return self.env["credit.collection.promise"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "action_id": action.id,
                "source": source if source in sources else "phone",
                "date": self.promise_date,
                "amount": self.promise_amount,
                "move_line_ids": [Command.set(self.move_line_ids.ids)],
                "comment": self.comment,
            }
        )

    def _create_dispute(self, action):
        return self.env["credit.collection.dispute"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "action_id": action.id,
                "type_id": self.dispute_type_id.id,
                "description": self.comment,
                "amount": self.dispute_amount or self.amount_due,
                "responsible_id": self.dispute_responsible_id.id,
                "move_line_ids": [Command.set(self.move_line_ids.ids)],
            }
        )

    def _draft_plan(self, action):
        """The plan the customer asks for, to set its terms with them; its
        schedule is emailed when it starts."""
        plan = self.env["credit.collection.plan"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "action_id": action.id,
                "move_line_ids": [Command.set(self.move_line_ids.ids)],
                "send_confirmation": self.send_confirmation,
                "comment": self.comment,
            }
        )
        plan.action_generate_lines()
        return plan

    def _replace_contact(self):
        """The right person becomes a collection contact in place of the one
        reached by mistake."""
        right = self.right_contact_id or self.env["res.partner"].create(
            {
                "parent_id": self.partner_id.id,
                "type": "contact",
                "name": self.right_contact_name,
                "email": self.right_contact_email,
                "phone": self.right_contact_phone,
            }
        )
        Contact = self.env["credit.collection.contact"]
        lines = Contact.search([("partner_id", "=", self.partner_id.id)])
        wrong = lines.filtered(lambda line: line.contact_id == self.contact_id)
        if not lines.filtered(lambda line: line.contact_id == right):
            Contact.create(
                {
                    "partner_id": self.partner_id.id,
                    "contact_id": right.id,
                    "role": wrong[:1].role or "accounts_payable",
                    "recipient_type": "to",
                }
            )
        wrong.unlink()
        self.partner_id.message_post(
            body=self.env._(
                "Collection contact: %(right)s replaces %(wrong)s.",
                right=right.display_name,
                wrong=self.contact_id.display_name or self.env._("nobody"),
            )
        )

    def _plan_next_step(self, action):
        channel = self.next_channel or self.channel
        follow_up = self.env["credit.collection.action"].create(
            {
                "partner_id": self.partner_id.id,
                "company_id": self.company_id.id,
                "channel": channel,
                "stage_id": action.stage_id.id,
                "scenario_id": action.scenario_id.id,
                "auto": False,
                "date": self.next_date,
                "user_id": (action.user_id or self.env.user).id,
                "move_line_ids": [Command.set(self.move_line_ids.ids)],
                "amount_due": self.amount_due,
            }
        )
        follow_up._schedule_collector_activity()
        if self.next_note:
            follow_up.activity_ids.write({"note": self.next_note})
        return follow_up
