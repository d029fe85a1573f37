from odoo import api, fields, models
from odoo.exceptions import ValidationError

CONTACT_ROLES = [
    ("accounts_payable", "Accounts payable"),
    ("purchasing", "Purchasing"),
    ("validator", "Invoice validator"),
    ("management", "Management"),
    ("other", "Other"),
]


class CreditCollectionContact(models.Model):
    """A person of the customer who receives collection reminders."""

    _name = "credit.collection.contact"
    _description = "Collection Contact"
    _order = "partner_id, sequence, id"
    _rec_name = "contact_id"

    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    contact_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True, precompute=True
    )
    role = fields.Selection(CONTACT_ROLES, required=True, default="accounts_payable")
    recipient_type = fields.Selection(
        [("to", "To"), ("cc", "Cc")],
        string="Receives as",
        required=True,
        default="to",
    )
    email = fields.Char(related="contact_id.email")
    phone = fields.Char(related="contact_id.phone")
    mobile = fields.Char(related="contact_id.mobile")
    note = fields.Char()

    @api.constrains("partner_id", "contact_id")
    def _check_contact_of_customer(self):
        for line in self:
            if line.partner_id != line.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Collection contacts belong to the customer's commercial "
                        "entity (%(entity)s), not to %(partner)s.",
                        entity=line.partner_id.commercial_partner_id.display_name,
                        partner=line.partner_id.display_name,
                    )
                )
            if line.contact_id.commercial_partner_id != line.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(customer)s: only the "
                        "customer's own contacts can receive its reminders.",
                        contact=line.contact_id.display_name,
                        customer=line.partner_id.display_name,
                    )
                )
            if self.search_count(
                [
                    ("id", "!=", line.id),
                    ("partner_id", "=", line.partner_id.id),
                    ("contact_id", "=", line.contact_id.id),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "%(contact)s is already a collection contact of %(customer)s.",
                        contact=line.contact_id.display_name,
                        customer=line.partner_id.display_name,
                    )
                )

    @api.model
    def _recipients_of(self, partners):
        """Who receives the reminders of each customer, as ``{customer id: (to,
        cc)}``: its active collection contacts; when none of them is a "To",
        its invoice address, else the customer itself. Three queries for the
        whole batch."""
        Partner = self.env["res.partner"]
        result = {}
        for line in self.search([("partner_id", "in", partners.ids)]):
            if not line.contact_id.active:
                continue
            to, cc = result.get(line.partner_id.id, (Partner, Partner))
            if line.recipient_type == "cc":
                cc |= line.contact_id
            else:
                to |= line.contact_id
            result[line.partner_id.id] = (to, cc)
        missing = partners.filtered(
            lambda partner: not result.get(partner.id, (None,))[0]
        )
        invoice_address = {}
        for address in Partner.search(
            [("parent_id", "in", missing.ids), ("type", "=", "invoice")],
            order="id desc",
        ):
            # Ordered newest first: the oldest invoice address wins.
            invoice_address[address.parent_id.id] = address
        for partner in missing:
            cc = result.get(partner.id, (Partner, Partner))[1]
            result[partner.id] = (invoice_address.get(partner.id, partner), cc)
        return result
