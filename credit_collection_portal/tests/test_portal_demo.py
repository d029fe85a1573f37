from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.demo_common import DemoDataCase


@tagged("post_install", "-at_install")
class TestPortalDemo(DemoDataCase, HttpCase):
    """The demo's portal customer (the test command installs demo data)
    logs in and meets her company's collection page."""

    _demo_module = "credit_collection_portal"

    def test_the_portal_customer_sees_her_collection_page(self):
        user = self.env.ref("credit_collection_portal.user_portal_customer")
        self.assertTrue(user.has_group("base.group_portal"))
        customer = user.partner_id.commercial_partner_id
        self.assertEqual(
            customer, self.env.ref("credit_collection.res_partner_negligent_1")
        )
        pending = self.env["credit.collection.action"].search(
            [("partner_id", "=", customer.id), ("state", "=", "todo")]
        )
        self.assertTrue(pending, "a reminder waits to be sent")
        self.authenticate("customer", "customer")
        page = self.url_open("/my/collection")
        self.assertEqual(page.status_code, 200)
        invoice = pending.move_line_ids.move_id[:1]
        self.assertIn(invoice.name, page.text)
