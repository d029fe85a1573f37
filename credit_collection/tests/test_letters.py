import io
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestLetters(CollectionRunCommon):
    """Letters printed in batch and kept as evidence; registered letters and
    the formal notice's deadline counted from their receipt."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stages["level_3"].notice_days = 8
        cls.customer = cls._customer("Formal notice")
        # 45 days late: level 3, a registered letter on the agenda.
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 45)

    def _letter_html(self, action):
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "credit_collection.action_report_collection_letter", action.ids
            )[0]
            .decode()
        )

    def _notice(self):
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(
            (action.channel, action.state, action.level),
            ("registered_letter", "todo", "level_3"),
        )
        return action

    def test_letters_of_the_day_print_and_stay_on_their_actions(self):
        other = self._customer("Plain letter")
        self._invoice_days_late(other, 700, 62)  # litigation: a letter
        notice = self._notice()
        letter = self._actions(other)
        self.assertEqual(letter.channel, "letter")
        with freeze_time(TODAY):
            printed = (notice | letter).action_print_letters()
        # A company without a document layout yet is asked for one first.
        printed = printed["context"].get("report_action", printed)
        self.assertEqual(
            printed["report_name"], "credit_collection.report_collection_letter"
        )
        self.assertEqual(printed["context"]["active_ids"], (notice | letter).ids)
        for action in notice | letter:
            self.assertEqual((action.state, action.sent_date), ("done", TODAY))
            [kept] = action.message_ids.attachment_ids
            self.assertIn(action.partner_id.name, kept.raw.decode())
        with self.assertRaisesRegex(UserError, "still to do"):
            notice.action_print_letters()

    def test_letter_text_follows_the_stage_and_language(self):
        notice = self._notice()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "credit_collection.action_report_collection_letter", notice.ids
            )[0]
            .decode()
        )
        self.assertIn("Formal notice to pay", html)
        self.assertIn("Registered letter with acknowledgment of receipt", html)
        self.assertIn("to pay the amount due within 8 days of receipt", html)
        self.assertIn(self.invoice.name, html)
        self.assertIn("1 rue de la Paix", html)

    def test_letter_to_a_contact_goes_to_the_customers_address(self):
        accountant = self.env["res.partner"].create(
            {"name": "Jeanne Compta", "parent_id": self.customer.id, "type": "other"}
        )
        self._set_contacts(self.customer, [(accountant, "to")])
        notice = self._notice()
        self.assertEqual(notice.recipient_ids, accountant)
        self.assertEqual(
            (notice.letter_partner_id, notice.letter_attention_id),
            (self.customer, accountant),
        )
        html = self._letter_html(notice)
        self.assertIn("1 rue de la Paix", html)
        self.assertIn("For the attention of <span>Jeanne Compta</span>", html)

    def test_letter_in_the_customers_language(self):
        """The formal notice in French, Spanish and German: its title, the
        registered letter's mention, the notice period in its sentence, the
        letter's date and the amount as the language writes them."""
        expected = {
            "fr_FR": (
                "Mise en demeure de payer",
                "Lettre recommandée avec accusé de réception",
                "dans un délai de 8 jours à compter de la réception",
                "11/03/2026",
                "1\xa0000,00",
            ),
            "es_ES": (
                "Requerimiento formal de pago",
                "Carta certificada con acuse de recibo",
                "en un plazo de 8 días a partir de la recepción",
                "11/03/2026",
                "1.000,00",
            ),
            "de_DE": (
                "Letzte Mahnung mit Fristsetzung",
                "Einschreiben mit Rückschein",
                "innerhalb von 8 Tagen nach Erhalt dieses Schreibens",
                "11.03.2026",
                "1.000,00",
            ),
        }
        for lang in expected:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], list(expected), overwrite=True
        )
        notice = self._notice()
        for lang, texts in expected.items():
            self.customer.lang = lang
            html = self._letter_html(notice)
            with self.subTest(lang=lang):
                for text in texts:
                    self.assertIn(text, html)
                self.assertNotIn("Formal notice to pay", html)
                self.assertNotIn("1,000.00", html)

    def test_every_letter_in_each_language(self):
        """The title and greeting of each letter (before the due date, levels
        1 to 3, litigation) for a French, a Spanish and a German customer."""
        titles = {
            "fr_FR": {
                "pre_dunning": "Échéance prochaine",
                "level_1": "Rappel de paiement",
                "level_2": "Deuxième relance",
                "level_3": "Mise en demeure de payer",
                "litigation": "Dernier avis avant poursuites judiciaires",
            },
            "es_ES": {
                "pre_dunning": "Próximo vencimiento",
                "level_1": "Recordatorio de pago",
                "level_2": "Segunda reclamación de pago",
                "level_3": "Requerimiento formal de pago",
                "litigation": "Último aviso antes de emprender acciones judiciales",
            },
            "de_DE": {
                "pre_dunning": "Bevorstehende Fälligkeit",
                "level_1": "Zahlungserinnerung",
                "level_2": "Zweite Mahnung",
                "level_3": "Letzte Mahnung mit Fristsetzung",
                "litigation": "Letzte Mahnung vor Einleitung rechtlicher Schritte",
            },
        }
        for lang in titles:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], list(titles), overwrite=True
        )
        letter = self._notice()
        for lang, by_level in titles.items():
            self.customer.lang = lang
            for level, title in by_level.items():
                letter.stage_id = self.stages[level]
                html = self._letter_html(letter)
                with self.subTest(lang=lang, level=level):
                    self.assertIn(title, html)
                    self.assertNotIn("Dear Sir or Madam", html)

    def test_formal_notice_claims_late_payment_charges(self):
        self.company.write(
            {
                "credit_collection_late_charges": True,
                "credit_collection_reference_rate": 2.15,
                "credit_collection_charges_account_id": self.company_data[
                    "default_account_revenue"
                ].id,
            }
        )
        notice = self._notice()
        html = self._letter_html(notice)
        # 1,000.00 x (2.15 + 8) % x 45 / 365 = 12.51 (12.5137), and 40.00.
        self.assertIn("late-payment", html)
        self.assertIn("10.15</span> %", html)
        self.assertIn("12.51", html)
        self.assertIn("40.00", html)
        opened = notice.action_invoice_late_charges()
        debit_note = self.env["account.move"].browse(opened["res_id"])
        self.assertEqual(
            (debit_note.move_type, debit_note.state, debit_note.amount_total),
            ("out_invoice", "draft", 52.51),
        )
        self.assertIn(debit_note.name or "", notice.message_ids[0].body)

    def test_other_letters_claim_no_charges(self):
        self.company.credit_collection_late_charges = True
        customer = self._customer("Litigant")
        self._invoice_days_late(customer, 700, 62)
        self._run()
        letter = self._actions(customer)
        self.assertNotIn("late-payment", self._letter_html(letter))
        with self.assertRaisesRegex(UserError, "claims no late-payment charges"):
            letter.action_invoice_late_charges()

    def test_the_next_stage_waits_for_the_notice_period_after_receipt(self):
        notice = self._notice()
        notice.action_print_letters()
        # 65 days late: litigation is due, but the receipt is not known yet.
        later = TODAY + timedelta(days=20)
        run = self._run(later)
        self.assertEqual(self._actions(self.customer), notice)
        self.assertEqual(run.skip_stats, {"notice_period": 1})
        # Received on day 21: the customer has until day 29.
        notice.write(
            {
                "tracking_number": "1A 234 567 8901 2",
                "receipt_date": later + timedelta(days=1),
            }
        )
        self.assertEqual(notice.notice_deadline, TODAY + timedelta(days=29))
        self._run(TODAY + timedelta(days=28))
        self.assertEqual(self._actions(self.customer), notice)
        self._run(TODAY + timedelta(days=29))
        litigation = self._actions(self.customer) - notice
        self.assertEqual(litigation.stage_id, self.stages["litigation"])

    def test_proofs_are_recorded_once_on_a_done_action(self):
        notice = self._notice()
        notice.action_print_letters()
        notice.tracking_number = "1A 234 567 8901 2"
        notice.receipt_date = TODAY + timedelta(days=2)
        with self.assertRaisesRegex(UserError, "evidence"):
            notice.receipt_date = TODAY + timedelta(days=3)
        with self.assertRaisesRegex(UserError, "evidence"):
            notice.tracking_number = "something else"
        self.assertEqual(notice.tracking_number, "1A 234 567 8901 2")


@tagged("post_install", "-at_install")
class TestLetterPdf(CollectionRunCommon, HttpCase):
    """The letter as a real PDF: wkhtmltopdf fetches the report's styles from
    the test server."""

    def test_printed_letters_are_pdfs_merged_for_printing(self):
        customers = self._customer("Paper") | self._customer("Ink")
        for customer in customers:
            self._invoice_days_late(customer, 700, 62)
        self._run()
        letters = self._actions(customers)
        download = letters.with_context(
            force_report_rendering=True
        ).action_print_letters()
        for letter in letters:
            [kept] = letter.message_ids.attachment_ids
            self.assertTrue(kept.name.endswith(".pdf"))
            self.assertEqual(kept.mimetype, "application/pdf")
            self.assertTrue(kept.raw.startswith(b"%PDF"))
            # Debian's wkhtmltopdf draws the text as shapes: the words are
            # checked on the HTML rendering (TestLetters).
            self.assertEqual(len(PdfFileReader(io.BytesIO(kept.raw)).pages), 1)
        merged = self.env["ir.attachment"].browse(
            int(download["url"].split("/")[-1].split("?")[0])
        )
        self.assertEqual(len(PdfFileReader(io.BytesIO(merged.raw)).pages), 2)
