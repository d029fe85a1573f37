from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.credit_collection.tests.demo_common import DemoDataCase


@tagged("post_install", "-at_install")
class TestSaleDemo(DemoDataCase):
    """The sales user of the demo (the test command installs demo data)
    meets a blocked account on the quotation waiting for confirmation."""

    _demo_module = "credit_collection_sale"

    def test_the_salesperson_meets_a_blocked_account(self):
        salesperson = self.env.ref("credit_collection_sale.user_salesperson")
        self.assertEqual(salesperson.login, "sales")
        self.assertTrue(salesperson.has_group("sales_team.group_sale_salesman"))
        order = self.env.ref(
            "credit_collection_sale.sale_order_blocked_customer"
        ).with_user(salesperson)
        self.assertEqual(order.state, "draft")
        self.assertTrue(order._collection_blocked())
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            order.action_confirm()
