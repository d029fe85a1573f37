import subprocess
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger

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

    def test_statements_do_not_wait_for_scripts(self):
        # Odoo has wkhtmltopdf wait "report.print_delay" (1 s) once a page is
        # loaded, for reports with scripts; the statement sent with each
        # reminder has none: rendered with no delay, Odoo's invoice as usual.
        customer = self.customers["en_US"]
        action = self.env["credit.collection.action"].create(
            {"partner_id": customer.id, "channel": "email"}
        )
        invoice = customer.invoice_ids[:1]
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        delays = {}
        for report, record in (
            ("credit_collection.report_collection_statement", action),
            ("account.report_invoice", invoice),
        ):
            with (
                patch.object(subprocess, "Popen", wraps=subprocess.Popen) as popen,
                mute_logger("odoo.addons.base.models.ir_actions_report"),
            ):
                content, _format = Report._render_qweb_pdf(report, record.ids)
            self.assertTrue(content.startswith(b"%PDF"))
            command = popen.call_args.args[0]
            delays[report] = command[command.index("--javascript-delay") + 1]
        self.assertEqual(
            delays,
            {
                "credit_collection.report_collection_statement": "0",
                "account.report_invoice": "1000",
            },
        )
