from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestReleaseTour(CreditCollectionCommon, HttpCase):
    """In Chromium, a salesperson sees the banner of a blocked customer on
    the quotation and requests a release."""

    def test_salesperson_sees_the_banner_and_requests_a_release(self):
        company = self.company_data["company"]
        salesperson = self._user("tour-salesperson", "sales_team.group_sale_salesman")
        manager = self._user(
            "tour-collection-manager",
            "credit_collection.group_credit_collection_manager",
        )
        customer = self.env["res.partner"].create(
            {"name": "Blocked Tour Retail", "is_company": True}
        )
        self.env["credit.collection.block"].with_user(manager).with_context(
            active_model="res.partner", active_id=customer.id
        ).create({"reason": "Cheque bounced.", "block": True}).action_confirm()
        product = self.env["product.product"].create(
            {"name": "Pallet of tiles", "list_price": 100.0}
        )
        order = (
            self.env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "order_line": [Command.create({"product_id": product.id})],
                }
            )
        )
        self.start_tour(
            f"/odoo/sale.order/{order.id}",
            "credit_collection_sale_release_request",
            login="tour-salesperson",
        )
        # What the server wrote, not what this test's cache remembers.
        self.env.invalidate_all()
        release = order.collection_release_ids
        self.assertEqual(release.state, "requested")
        self.assertEqual(release.requested_by_id, salesperson)
        self.assertEqual(
            release.request_note, "Long-standing customer: they pay on Friday."
        )
        self.assertIn(manager, release.sudo().activity_ids.user_id)
