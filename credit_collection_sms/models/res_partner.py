from odoo import Command, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_collection_send_sms(self):
        """A text message to the customer, by hand: an SMS action on its
        open items (the written evidence) and Odoo's composer to edit and
        send it. Unsent, the action stays on the agenda until cancelled."""
        self.ensure_one()
        customer = self.commercial_partner_id
        company = self.env.company
        items = customer._collection_open_items(company)
        today = fields.Date.context_today(self)
        to, cc = self.env["credit.collection.contact"]._recipients_of(customer)[
            customer.id
        ]
        action = self.env["credit.collection.action"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "channel": "sms",
                "auto": False,
                "date": today,
                "user_id": (
                    customer._collection_collector(company) or self.env.user
                ).id,
                "recipient_ids": [Command.set(to.ids)],
                "recipient_cc_ids": [Command.set(cc.ids)],
                "move_line_ids": [Command.set(items.ids)],
                "amount_due": sum(items.mapped("amount_residual")),
                "amount_overdue": sum(
                    item.amount_residual
                    for item in items
                    if (item.date_maturity or item.date) < today
                ),
            }
        )
        return action.action_send_sms()
