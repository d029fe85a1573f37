from odoo import fields, models
from odoo.exceptions import AccessError, UserError


class CreditCollectionLitigation(models.TransientModel):
    """Hand a customer over to litigation: automatic dunning stops, the
    litigation owner (or the collection agency) takes over, and the dossier
    of the case is built for them."""

    _name = "credit.collection.litigation"
    _inherit = ["credit.collection.customer.wizard.mixin"]
    _description = "Hand Over to Litigation"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Litigation owner",
        required=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    agency_id = fields.Many2one(
        "res.partner",
        string="Collection agency",
        help="The agency or lawyer the file is handed to, if any.",
    )
    note = fields.Text(help="Why the customer goes to litigation.")

    def action_hand_over(self):
        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(
                self.env._(
                    "You cannot hand over customers of %(company)s.",
                    company=self.company_id.name,
                )
            )
        customer = self.partner_id.commercial_partner_id.with_company(self.company_id)
        if customer.collection_litigation_date:
            raise UserError(
                self.env._(
                    "%(customer)s is already in litigation since %(date)s.",
                    customer=customer.display_name,
                    date=customer.collection_litigation_date,
                )
            )
        today = fields.Date.context_today(self)
        # Collections managers need not edit contacts: the wizard's access
        # (managers only) is the check.
        customer.sudo().write(
            {
                "collection_litigation_date": today,
                "collection_litigation_user_id": self.user_id.id,
                "collection_agency_id": self.agency_id.id,
            }
        )
        # Reminders still on the agenda will not go any more.
        open_actions = self.env["credit.collection.action"].search(
            [
                ("partner_id", "=", customer.id),
                ("company_id", "=", self.company_id.id),
                ("state", "in", ("todo", "failed")),
            ]
        )
        open_actions.action_cancel()
        dossier = (
            self.env["credit.collection.dossier"]
            .with_company(self.company_id)
            ._build(customer, self.company_id)
        )
        # Posted for the manager, who need not edit contacts.
        customer.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=self.env._(
                "Handed over to litigation (owner: %(owner)s%(agency)s). %(note)s",
                owner=self.user_id.name,
                agency=self.env._(", agency: %s", self.agency_id.name)
                if self.agency_id
                else "",
                note=self.note or "",
            ),
            attachment_ids=dossier.ids,
        )
        customer.sudo().activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.user_id.id,
            summary=self.env._("Litigation: take over the case"),
            note=self.note or False,
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{dossier.id}?download=true",
            "target": "download",
        }
