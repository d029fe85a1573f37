from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..tools.pg_arrays import sql_array
from .credit_collection_customer_mixin import open_items_domain
from .selections import DISPUTE_ACTIVE_STATES, DISPUTE_STATES


class CreditCollectionDispute(models.Model):
    """A customer disputes (part of) some invoices.

    While open or in progress, the disputed amount is taken out of what the
    daily run asks for, only that amount: the rest of the items is dunned as
    usual. An internal person (salesperson, quality, logistics) examines it
    without Collections rights; a credit note reconciled with a disputed item
    resolves it.
    """

    _name = "credit.collection.dispute"
    _description = "Collection Dispute"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "credit.collection.customer.mixin",
    ]
    _order = "raised_on desc, id desc"
    _check_company_auto = True
    # Internal actors answer in the thread with read access only.
    _mail_post_access = "read"

    name = fields.Char(compute="_compute_name", store=True)
    type_id = fields.Many2one(
        "credit.collection.dispute.type",
        required=True,
        tracking=True,
        check_company=True,
    )
    description = fields.Text(required=True)
    move_line_ids = fields.Many2many(
        "account.move.line",
        "credit_collection_dispute_move_line_rel",
        "dispute_id",
        "move_line_id",
        string="Receivable items",
        required=True,
        domain=open_items_domain,
    )
    amount = fields.Monetary(
        string="Disputed amount",
        required=True,
        tracking=True,
        currency_field="currency_id",
        help="Part of the items or all of them; only this amount waits.",
    )
    amount_due_at_dispute = fields.Monetary(
        string="Due when raised", readonly=True, currency_field="currency_id"
    )
    responsible_id = fields.Many2one(
        "res.users",
        tracking=True,
        domain="[('share', '=', False)]",
        help="The internal person who examines the dispute; they get an "
        "activity and an email, and may answer without Collections rights.",
    )
    state = fields.Selection(
        DISPUTE_STATES, required=True, default="open", index=True, tracking=True
    )
    resolution = fields.Text(tracking=True)
    credit_note_id = fields.Many2one(
        "account.move",
        string="Credit note",
        readonly=True,
        domain="[('move_type', '=', 'out_refund')]",
        help="The credit note that settled the dispute.",
    )
    raised_on = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        help="When the customer raised it (the resolution time counts from here).",
    )
    closed_date = fields.Datetime(readonly=True, copy=False)
    resolution_days = fields.Float(
        string="Days to resolve",
        compute="_compute_resolution_days",
        store=True,
        digits=(16, 1),
        aggregator="avg",
    )

    @api.depends("partner_id", "type_id")
    def _compute_name(self):
        for dispute in self:
            dispute.name = self.env._(
                "%(customer)s: %(type)s",
                customer=dispute.partner_id.display_name or "",
                type=dispute.type_id.name or "",
            )

    @api.depends("closed_date", "raised_on")
    def _compute_resolution_days(self):
        for dispute in self:
            if dispute.closed_date and dispute.raised_on:
                delta = dispute.closed_date - dispute.raised_on
                dispute.resolution_days = delta.total_seconds() / 86400
            else:
                dispute.resolution_days = 0.0

    # ------------------------------------------------------------------
    # Creation and validation
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("responsible_id") and vals.get("type_id"):
                kind = self.env["credit.collection.dispute.type"].browse(
                    vals["type_id"]
                )
                vals["responsible_id"] = kind.responsible_id.id
        disputes = super().create(vals_list)
        disputes._take_items_due()
        disputes._notify_responsible()
        return disputes

    def _take_items_due(self):
        for dispute in self:
            dispute.amount_due_at_dispute = dispute._items_due()
        self._check_dispute()

    def write(self, vals):
        if {"move_line_ids", "partner_id", "company_id", "amount"} & set(vals) and any(
            dispute.state not in DISPUTE_ACTIVE_STATES for dispute in self
        ):
            raise ValidationError(
                self.env._(
                    "A closed dispute is evidence: its invoices and amount "
                    "cannot change."
                )
            )
        previous = {dispute.id: dispute.responsible_id for dispute in self}
        result = super().write(vals)
        if "amount" in vals and not {"move_line_ids", "partner_id"} & set(vals):
            self._check_dispute()
        if "responsible_id" in vals:
            self.filtered(
                lambda d: d.responsible_id and d.responsible_id != previous[d.id]
            )._notify_responsible()
        return result

    def _check_dispute(self):
        for dispute in self:
            lines = dispute.move_line_ids
            if not lines:
                raise ValidationError(self.env._("Choose the disputed invoices."))
            dispute._check_items()
            currency = dispute.currency_id
            if currency.compare_amounts(dispute.amount, 0) <= 0:
                raise ValidationError(
                    self.env._("The disputed amount must be greater than zero.")
                )
            if (
                currency.compare_amounts(dispute.amount, dispute.amount_due_at_dispute)
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(amount)s cannot be disputed: the chosen invoices only "
                        "owe %(due)s.",
                        amount=currency.format(dispute.amount),
                        due=currency.format(dispute.amount_due_at_dispute),
                    )
                )

    def _notify_responsible(self):
        """The responsible person gets an activity (and, through it, an email
        with a link to the dispute) and follows the thread."""
        for dispute in self.filtered("responsible_id"):
            dispute.message_subscribe(partner_ids=dispute.responsible_id.partner_id.ids)
            dispute.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=dispute.responsible_id.id,
                summary=dispute._responsible_summary(),
                note=dispute.description,
            )

    def _responsible_summary(self):
        self.ensure_one()
        return self.env._(
            "Examine the dispute of %(customer)s",
            customer=self.partner_id.display_name,
        )

    # ------------------------------------------------------------------
    # States
    # ------------------------------------------------------------------

    def action_start(self):
        self._check_state(("open",))
        self.write({"state": "in_progress"})

    def action_resolve(self):
        self._check_state(DISPUTE_ACTIVE_STATES)
        self._close("resolved")

    def action_reject(self):
        self._check_state(DISPUTE_ACTIVE_STATES)
        if any(not dispute.resolution for dispute in self):
            raise UserError(
                self.env._("Say why the dispute is rejected in its resolution.")
            )
        self._close("rejected")

    def action_reopen(self):
        self._check_state(("resolved", "rejected"))
        self.write({"state": "open", "closed_date": False})

    def _check_state(self, states):
        wrong = self.filtered(lambda dispute: dispute.state not in states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(dispute)s is %(state)s: this step does not apply.",
                    dispute=wrong[0].display_name,
                    state=labels[wrong[0].state].lower(),
                )
            )

    def _close(self, state, credit_note=None):
        values = {"state": state, "closed_date": fields.Datetime.now()}
        if credit_note:
            values["credit_note_id"] = credit_note.id
        self.write(values)
        self.activity_ids.action_feedback(
            feedback=self.env._(
                "Dispute %(state)s.",
                state=dict(self._fields["state"]._description_selection(self.env))[
                    state
                ].lower(),
            )
        )

    @api.model
    def _resolve_by_credit_notes(self, partials):
        """Open disputes whose items a credit note was just reconciled with
        are resolved, the credit note linked."""
        for partial in partials:
            credit_note = partial.credit_move_id.move_id
            if credit_note.move_type != "out_refund":
                continue
            disputes = self.search(
                [
                    ("move_line_ids", "in", partial.debit_move_id.ids),
                    ("state", "in", DISPUTE_ACTIVE_STATES),
                ]
            )
            for dispute in disputes:
                dispute._close("resolved", credit_note)
                dispute.message_post(
                    body=self.env._(
                        "Resolved by the credit note %(credit_note)s.",
                        credit_note=credit_note.name,
                    )
                )

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    @api.model
    def _disputed_amounts(self, company, line_ids):
        """Per item, the amount under an open dispute: each dispute's amount
        spread over its items, oldest due first, up to what each still owes."""
        self.flush_model(["state", "amount", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT dispute.id, dispute.amount, line.id, line.amount_residual
                  FROM credit_collection_dispute dispute
                  JOIN credit_collection_dispute_move_line_rel rel
                    ON rel.dispute_id = dispute.id
                  JOIN account_move_line line ON line.id = rel.move_line_id
                 WHERE dispute.company_id = %s
                   AND dispute.state IN %s
                   AND dispute.id IN (
                       SELECT dispute_id FROM credit_collection_dispute_move_line_rel
                        WHERE move_line_id = ANY(%s))
                 ORDER BY dispute.id, COALESCE(line.date_maturity, line.date), line.id
                """,
                company.id,
                DISPUTE_ACTIVE_STATES,
                sql_array(line_ids, "int4"),
            )
        )
        disputed, left = {}, {}
        for dispute_id, amount, line_id, residual in self.env.cr.fetchall():
            remaining = left.setdefault(dispute_id, amount)
            taken = max(min(remaining, residual - disputed.get(line_id, 0.0)), 0.0)
            disputed[line_id] = disputed.get(line_id, 0.0) + taken
            left[dispute_id] = remaining - taken
        return disputed
