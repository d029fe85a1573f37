from odoo import fields, models
from odoo.exceptions import UserError


class CreditCollectionReleaseRequest(models.TransientModel):
    """Sales ask the Collections managers to let a blocked customer's order
    through, and say why."""

    _name = "credit.collection.release.request"
    _description = "Request a Release"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    note = fields.Text(string="Why", required=True)

    def action_request(self):
        self.ensure_one()
        order = self.order_id
        if not (self.note or "").strip():
            raise UserError(self.env._("Say why the order should go through."))
        if order.collection_release_pending:
            raise UserError(
                self.env._(
                    "A release is already requested for %(order)s.", order=order.name
                )
            )
        release = (
            self.env["credit.collection.release"]
            .sudo()
            .create(
                {
                    "order_id": order.id,
                    "request_note": self.note,
                    "requested_by_id": self.env.user.id,
                }
            )
        )
        # Sales may not list the groups' users: read as superuser.
        managers = (
            self.env.ref("credit_collection.group_credit_collection_manager")
            .sudo()
            .users
        ).filtered(
            lambda user: (
                order.company_id in user.company_ids
                and user != self.env.user
                and not user.share
            )
        )
        summary = self.env._(
            "Release requested for %(order)s (%(customer)s) by %(user)s",
            order=order.name,
            customer=release.partner_id.name,
            user=self.env.user.name,
        )
        for manager in managers:
            release.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=summary,
                note=self.note,
            )
        release.message_post(
            body=self.env._("%(summary)s: %(note)s", summary=summary, note=self.note),
            partner_ids=managers.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )
        order.message_post(
            body=self.env._(
                "Release requested from the Collections managers: %(note)s",
                note=self.note,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {"type": "ir.actions.act_window_close"}
