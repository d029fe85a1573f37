from odoo.tests import tagged

from .run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestCustomerStatement(CollectionRunCommon):
    """The statement of a customer's open items (printed from the customer,
    downloaded from the portal) in its language: the title, the columns, the
    due date and the amount written the language's way."""

    EXPECTED = {
        "en_US": ("Statement of account", "Days late", "03/01/2026", "1,234.50"),
        "fr_FR": ("Relevé de compte", "Jours de retard", "01/03/2026", "1\xa0234,50"),
        "es_ES": ("Extracto de cuenta", "Días de retraso", "01/03/2026", "1.234,50"),
        "de_DE": ("Kontoauszug", "Tage im Verzug", "01.03.2026", "1.234,50"),
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in cls.EXPECTED:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], list(cls.EXPECTED), overwrite=True
        )
        cls.customers = {}
        for lang in cls.EXPECTED:
            cls.customers[lang] = cls._customer(f"Statement {lang}", lang=lang)
            cls._invoice_days_late(cls.customers[lang], 1234.5, 10)

    def test_statement_in_the_customers_language(self):
        for lang, texts in self.EXPECTED.items():
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(
                    "credit_collection.action_report_customer_statement",
                    self.customers[lang].ids,
                )[0]
                .decode()
            )
            with self.subTest(lang=lang):
                for text in texts:
                    self.assertIn(text, html)
