from datetime import date, timedelta

from freezegun import freeze_time

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


FOREIGN_LANGUAGES = ["fr_FR", "es_ES", "de_DE"]

# What a Spanish and a German customer read, written by hand: the subject of
# each reminder, the greeting, the invoice's amount (EUR) and dates as the
# language writes them, and the statement's column of days late.
SPANISH_AND_GERMAN = {
    "es_ES": {
        "subjects": {
            "mail_template_pre_dunning": "próximo vencimiento",
            "mail_template_statement": "extracto de cuenta",
            "mail_template_level_1": "recordatorio de pago",
            "mail_template_level_2": "segunda reclamación de pago",
            "mail_template_level_3": "requerimiento formal de pago",
        },
        "greeting": "Estimado/a Client es_ES",
        "amount": "12.345,60\xa0€",
        "due": "03/03/2026",
        "invoice_date": "01/02/2026",
        "days_late": "Días de retraso",
    },
    "de_DE": {
        "subjects": {
            "mail_template_pre_dunning": "bevorstehende Fälligkeit",
            "mail_template_statement": "Kontoauszug",
            "mail_template_level_1": "Zahlungserinnerung",
            "mail_template_level_2": "zweite Mahnung",
            "mail_template_level_3": "letzte Mahnung mit Fristsetzung",
        },
        "greeting": "Guten Tag Client de_DE",
        "amount": "12.345,60\xa0€",
        "due": "03.03.2026",
        "invoice_date": "01.02.2026",
        "days_late": "Tage im Verzug",
    },
}


@tagged("post_install", "-at_install")
class TestTemplatesInTheCustomersLanguage(CreditCollectionCommon):
    """Every default reminder in English, French, Spanish and German, with
    real invoice data formatted for the language (expected strings written
    by hand)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in FOREIGN_LANGUAGES:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], FOREIGN_LANGUAGES, overwrite=True
        )
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.customers = {}
        cls.actions = {}
        for lang in ("en_US", *FOREIGN_LANGUAGES):
            customer = cls.env["res.partner"].create(
                {"name": f"Client {lang}", "lang": lang, "email": f"{lang}@x.example"}
            )
            invoice = cls.init_invoice(
                "out_invoice",
                partner=customer,
                amounts=[12345.6],
                invoice_date=date(2026, 2, 1),
                currency=cls.eur,
                taxes=[],
            )
            invoice.write(
                {"invoice_payment_term_id": False, "invoice_date_due": date(2026, 3, 3)}
            )
            invoice.action_post()
            cls.actions[lang] = cls.env["credit.collection.action"].create(
                {
                    "partner_id": customer.id,
                    "date": date(2026, 3, 13),
                    "move_line_ids": [Command.set(cls._receivable_items(invoice).ids)],
                }
            )
            cls.customers[lang] = (customer, invoice)

    def _render(self, xmlid, lang):
        action = self.actions[lang]
        template = self.env.ref(f"credit_collection.{xmlid}")
        rendered = template._generate_template(action.ids, ("subject", "body_html"))
        return rendered[action.id]["subject"], str(rendered[action.id]["body_html"])

    def test_english(self):
        invoice = self.customers["en_US"][1]
        for xmlid, subject in TEMPLATES.items():
            rendered_subject, body = self._render(xmlid, "en_US")
            self.assertTrue(rendered_subject.endswith(subject), xmlid)
            self.assertIn("Dear Client en_US", body, xmlid)
            self.assertIn(invoice.name, body, xmlid)
            # EUR (symbol after) in English: comma thousands, dot decimals.
            self.assertIn("12,345.60\xa0€", body, xmlid)
            self.assertIn("03/03/2026", body, xmlid)  # due date, month first
            self.assertIn(">10<", body, xmlid)  # days late on 13 March
            self.assertIn("Days late", body, xmlid)

    def test_french(self):
        invoice = self.customers["fr_FR"][1]
        french_subjects = {
            "mail_template_pre_dunning": "échéance",
            "mail_template_statement": "relevé de compte",
            "mail_template_level_1": "rappel",
            "mail_template_level_2": "relance",
            "mail_template_level_3": "mise en demeure",
        }
        for xmlid, word in french_subjects.items():
            rendered_subject, body = self._render(xmlid, "fr_FR")
            self.assertIn(word, rendered_subject.lower(), xmlid)
            self.assertIn("Client fr_FR", body, xmlid)
            self.assertNotIn("Dear ", body, xmlid)
            self.assertIn(invoice.name, body, xmlid)
            # EUR in French: no-break space thousands, comma decimals, symbol
            # after the amount.
            self.assertEqual(body.count("12\xa0345,60\xa0€"), 2, xmlid)  # and total
            self.assertNotIn("12,345.60", body, xmlid)
            self.assertIn("03/03/2026", body, xmlid)  # due date, day first
            self.assertIn("01/02/2026", body, xmlid)  # invoice date
            self.assertIn("Jours de retard", body, xmlid)

    def test_spanish_and_german(self):
        for lang, expected in SPANISH_AND_GERMAN.items():
            invoice = self.customers[lang][1]
            for xmlid, subject in expected["subjects"].items():
                rendered_subject, body = self._render(xmlid, lang)
                with self.subTest(lang=lang, template=xmlid):
                    self.assertTrue(rendered_subject.endswith(subject))
                    self.assertIn(expected["greeting"], " ".join(body.split()))
                    self.assertNotIn("Dear ", body)
                    self.assertIn(invoice.name, body)
                    # The line and the total.
                    self.assertEqual(body.count(expected["amount"]), 2)
                    self.assertNotIn("12,345.60", body)
                    self.assertIn(expected["due"], body)
                    self.assertIn(expected["invoice_date"], body)
                    self.assertIn(expected["days_late"], body)

    def test_written_confirmations_in_each_language(self):
        """The promise and payment plan confirmations, amounts in the
        company's currency (USD: symbol first, decimal comma in French,
        Spanish and German)."""
        expected = {
            "en_US": ("your payment of $\xa0500.00 by 03/20/2026", "your payment plan"),
            "fr_FR": (
                "votre paiement de $\xa0500,00 au plus tard le 20/03/2026",
                "votre plan de paiement",
            ),
            "es_ES": (
                "su pago de $\xa0500,00 a más tardar el 20/03/2026",
                "su plan de pagos",
            ),
            "de_DE": (
                "Ihre Zahlung von $\xa0500,00 bis zum 20.03.2026",
                "Ihre Ratenzahlungsvereinbarung",
            ),
        }
        for lang, (promise_subject, plan_subject) in expected.items():
            customer, invoice = self.customers[lang]
            items = self._receivable_items(invoice)
            with freeze_time("2026-03-13"):
                promise = self.env["credit.collection.promise"].create(
                    {
                        "partner_id": customer.id,
                        "amount": 500,
                        "date": date(2026, 3, 20),
                        "move_line_ids": [Command.set(items.ids)],
                    }
                )
            plan = self.env["credit.collection.plan"].create(
                {"partner_id": customer.id, "move_line_ids": [Command.set(items.ids)]}
            )
            for record, xmlid, subject in (
                (promise, "mail_template_promise_confirmation", promise_subject),
                (plan, "mail_template_plan_confirmation", plan_subject),
            ):
                template = self.env.ref(f"credit_collection.{xmlid}")
                rendered = template._generate_template(
                    record.ids, ("subject", "body_html")
                )[record.id]
                with self.subTest(lang=lang, template=xmlid):
                    self.assertIn(subject, rendered["subject"])
                    self.assertIn(f"Client {lang}", str(rendered["body_html"]))
