from odoo import api, fields, models


class SaleOrder(models.Model):
    """A blocked customer's order shows why, and is confirmed only with a
    release approved by a Collections manager."""

    _inherit = "sale.order"

    collection_block_warning = fields.Text(
        compute="_compute_collection_block_warning",
        help="Why the customer's account is blocked for sales.",
    )
    collection_release_ids = fields.One2many(
        "credit.collection.release", "order_id", string="Releases"
    )
    collection_release_id = fields.Many2one(
        "credit.collection.release",
        string="Release",
        compute="_compute_collection_release_id",
        help="The approved release that lets this order be confirmed.",
    )
    collection_release_pending = fields.Boolean(
        compute="_compute_collection_release_id"
    )

    @api.depends("partner_id", "company_id", "state")
    def _compute_collection_block_warning(self):
        for order in self:
            customer = order.partner_id.commercial_partner_id.with_company(
                order.company_id
            )
            order.collection_block_warning = (
                customer.sudo().collection_block_summary
                if order.state in ("draft", "sent")
                else False
            )

    @api.depends("partner_id", "collection_release_ids.state", "amount_total")
    def _compute_collection_release_id(self):
        for order in self:
            order.collection_release_id = order._collection_release()
            order.collection_release_pending = any(
                release.state == "requested" for release in order.collection_release_ids
            )

    def _collection_release(self):
        """The approved release that lets this order through, if any."""
        self.ensure_one()
        releases = (
            self.env["credit.collection.release"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                    ("state", "=", "approved"),
                ]
            )
        )
        return releases.filtered(lambda release: release._lets_through(self))[:1]

    def _collection_blocked(self):
        self.ensure_one()
        return (
            self.partner_id.commercial_partner_id.with_company(self.company_id)
            .sudo()
            .collection_blocked
        )

    def _confirmation_error_message(self):
        message = super()._confirmation_error_message()
        if message or not self._collection_blocked() or self._collection_release():
            return message
        customer = self.partner_id.commercial_partner_id.with_company(self.company_id)
        return self.env._(
            "%(order)s cannot be confirmed: %(summary)s Ask the Collections "
            "managers for a release (Request a release on the order).",
            order=self.name,
            summary=customer.sudo().collection_block_summary,
        )

    def action_confirm(self):
        # Only a blocked customer's order needs (and uses) a release.
        releases = {
            order: order._collection_release()
            for order in self
            if order._collection_blocked()
        }
        result = super().action_confirm()
        for order, release in releases.items():
            if release:
                release.sudo().confirmed_order_ids = [fields.Command.link(order.id)]
                order.message_post(
                    body=self.env._(
                        "Confirmed for a blocked customer under %(release)s.",
                        release=release.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        # Confirmed orders count in the exposure: the credit limit may be
        # passed (only where the company uses credit limits).
        for company, orders in self.grouped("company_id").items():
            if company.account_use_credit_limit:
                orders.partner_id._collection_refresh_blocking(company)
        return result

    def action_collection_request_release(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a release"),
            "res_model": "credit.collection.release.request",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }
