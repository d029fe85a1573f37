from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.pg_arrays import sql_array


def open_items_domain(records):
    """Field domain: the open receivable items of the record's customer in
    its company (the ledger's rule)."""
    ledger = records.env["credit.collection.ledger"]
    return ledger._field_domain(
        ledger._open_domain(),
        ("company_id", "=", "company_id"),
        ("partner_id.commercial_partner_id", "=", "partner_id"),
    )


class CreditCollectionCustomerMixin(models.AbstractModel):
    """What a collector records about some open receivable items of one
    customer (a promise to pay, a dispute, a payment plan): the customer, the
    company, the collector, and the collection action it came from. Each
    model adds its own ``move_line_ids`` (its relation table is the
    contract the journal items' inverse fields use)."""

    _name = "credit.collection.customer.mixin"
    _description = "Collection Record about a Customer's Items"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Collector",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    action_id = fields.Many2one(
        "credit.collection.action",
        string="Collection action",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The collection action during which it was agreed or raised.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._refresh_agenda()
        return records

    def write(self, vals):
        result = super().write(vals)
        if {"move_line_ids", "partner_id", "company_id"} & set(vals):
            # New items owe something else: take it and check the record again.
            self._take_items_due()
        if {"move_line_ids", "partner_id", "amount", "state"} & set(vals):
            self._refresh_agenda()
        return result

    def _refresh_agenda(self):
        """What the customer promised, disputed or agreed changes what acting
        on its actions to do may bring in: score them again (unless the
        caller is the daily run, which scores its whole agenda at its
        end)."""
        if not self.env.context.get("collection_score_later"):
            self.env["credit.collection.action"]._refresh_recovery_for(self)

    def _take_items_due(self):
        """Record what the items owe now (the record is measured against it)
        and check the record; at creation and when its items change."""
        raise NotImplementedError

    def _items_due(self):
        """What the record's items still owe, in company currency."""
        self.ensure_one()
        return sum(self.move_line_ids.mapped("amount_residual"))

    def _check_items(self):
        self.ensure_one()
        self.move_line_ids._check_collection_items(self.partner_id, self.company_id)

    def _confirm_in_writing(self, template_xmlid, contact=None):
        """Email the customer what was agreed, from ``template_xmlid``: to the
        contact who agreed it, else the customer's collection recipients. The
        email stays in the record's thread."""
        self.ensure_one()
        recipients = contact if contact and contact.email else None
        if not recipients:
            to, cc = self.env["credit.collection.contact"]._recipients_of(
                self.partner_id
            )[self.partner_id.id]
            recipients = (to | cc).filtered("email")
        if not recipients:
            raise UserError(
                self.env._(
                    "No email address to confirm it to: give one to the contact "
                    "or to %(customer)s.",
                    customer=self.partner_id.display_name,
                )
            )
        return self.message_post_with_source(
            self.env.ref(template_xmlid),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=[Command.set(recipients.ids)],
        )

    def _items_held(self, company, line_ids, condition):
        """Which of ``line_ids`` a record of this model meeting ``condition``
        (an SQL condition on alias ``record``) covers: one query."""
        field = self._fields["move_line_ids"]
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT rel.%(item)s
                  FROM %(relation)s rel
                  JOIN %(table)s record ON record.id = rel.%(record)s
                 WHERE record.company_id = %(company)s AND %(condition)s
                   AND rel.%(item)s = ANY(%(line_ids)s)
                """,
                item=SQL.identifier(field.column2),
                relation=SQL.identifier(field.relation),
                table=SQL.identifier(self._table),
                record=SQL.identifier(field.column1),
                company=company.id,
                condition=condition,
                line_ids=sql_array(line_ids, "int4"),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}
