from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools import formatLang

from .common import CreditCollectionCommon

TEMPLATES = {
    "mail_template_pre_dunning": "upcoming due date",
    "mail_template_statement": "statement of account",
    "mail_template_level_1": "payment reminder",
    "mail_template_level_2": "second payment reminder",
    "mail_template_level_3": "formal notice to pay",
}


@tagged("post_install", "-at_install")
class TestMailTemplates(CreditCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        cls.invoice = cls.init_invoice(
            "out_invoice",
            amounts=[1234.5],
            invoice_date=today - timedelta(days=40),
            taxes=[],
        )
        cls.invoice.write(
            {
                "invoice_payment_term_id": False,
                "invoice_date_due": today - timedelta(days=10),
            }
        )
        cls.invoice.action_post()
        cls.receivable = cls.invoice.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        cls.action = cls.env["credit.collection.action"].create(
            {
                "partner_id": cls.invoice.partner_id.id,
                "move_line_ids": [Command.set(cls.receivable.ids)],
                "date": today,
            }
        )

    def test_statement_lists_the_items_with_days_late_and_total(self):
        [row] = self.action._statement_lines()
        self.assertEqual(row["number"], self.invoice.name)
        self.assertEqual(row["days_late"], 10)
        self.assertAlmostEqual(row["residual"], 1234.5)
        html = str(self.action.statement_html)
        self.assertIn(self.invoice.name, html)
        self.assertIn("1,234.50", html)
        self.assertIn("Total", html)
        self.assertIn("Normal", html)

    def test_statement_totals_per_currency(self):
        other = self.setup_other_currency("EUR")
        rows = [
            {"currency": self.env.company.currency_id, "residual": 10.0},
            {"currency": other, "residual": 5.0},
            {"currency": self.env.company.currency_id, "residual": 2.5},
        ]
        company_currency = self.env.company.currency_id
        self.assertEqual(
            self.action._statement_totals(rows),
            [
                {
                    "currency": company_currency,
                    "amount": 12.5,
                    "amount_text": formatLang(
                        self.env, 12.5, currency_obj=company_currency
                    ),
                },
                {
                    "currency": other,
                    "amount": 5.0,
                    "amount_text": formatLang(self.env, 5.0, currency_obj=other),
                },
            ],
        )
        self.assertIn("12.50", self.action._statement_totals(rows)[0]["amount_text"])

    def test_each_default_template_renders_for_an_action(self):
        for xmlid, subject in TEMPLATES.items():
            template = self.env.ref(f"credit_collection.{xmlid}")
            self.assertEqual(template.model, "credit.collection.action")
            rendered_subject = template._render_field("subject", self.action.ids)[
                self.action.id
            ]
            self.assertEqual(
                rendered_subject, f"{self.env.company.name}: {subject}", xmlid
            )
            body = str(
                template._render_field("body_html", self.action.ids)[self.action.id]
            )
            self.assertIn(f"Dear {self.invoice.partner_id.name}", body, xmlid)
            self.assertIn(self.invoice.name, body, xmlid)
            self.assertIn("1,234.50", body, xmlid)
            recipients = template._render_field("partner_to", self.action.ids)[
                self.action.id
            ]
            self.assertEqual(recipients, str(self.invoice.partner_id.id))
