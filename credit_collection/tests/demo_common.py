from odoo.tests import TransactionCase


class DemoDataCase(TransactionCase):
    """Tests of what the demo data shows (the test command installs it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search(
            [("name", "=", "credit_collection")]
        )
        if not module.demo:
            cls.skipTest(cls, "credit_collection was installed without demo data")
