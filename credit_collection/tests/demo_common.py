from odoo.tests import TransactionCase


class DemoDataCase(TransactionCase):
    """Tests of what the demo data of ``_demo_module`` shows (the test
    command installs it)."""

    _demo_module = "credit_collection"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", cls._demo_module)])
        if not module.demo:
            cls.skipTest(cls, f"{cls._demo_module} was installed without demo data")
