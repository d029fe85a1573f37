from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.run_common import TODAY, CollectionRunCommon
from odoo.addons.mail.tests.common import MailCase

from .common import csrf_token


@tagged("post_install", "-at_install")
class TestCollectionPortalLanguage(CollectionRunCommon, MailCase, HttpCase):
    """The reminder's link opens the page in the customer's language (French,
    Spanish, German, English), and what the customer does there reaches the
    collector in theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("fr_FR", "es_ES", "de_DE"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["credit_collection", "credit_collection_portal"],
            ["fr_FR", "es_ES", "de_DE"],
            overwrite=True,
        )
        cls.collector = cls._collector_user("lang-collector")
        cls.collector.lang = "en_US"
        cls.french = cls._customer("Dupont SARL", lang="fr_FR")
        cls.english = cls._customer("Smith Ltd", lang="en_US")
        cls.spanish = cls._customer("García SL", lang="es_ES")
        cls.german = cls._customer("Müller GmbH", lang="de_DE")
        for customer in cls.french | cls.english | cls.spanish | cls.german:
            customer.with_company(cls.company).collection_user_id = cls.collector
        cls.french_invoice = cls._invoice_days_late(cls.french, 12345.6, 10)
        cls.english_invoice = cls._invoice_days_late(cls.english, 12345.6, 10)
        for customer in cls.spanish | cls.german:
            cls._invoice_days_late(customer, 12345.6, 10)

    def setUp(self):
        super().setUp()
        with self.mock_mail_gateway():
            self._run()

    def _link(self, customer):
        """The path of the link in the customer's reminder."""
        action = self._actions(customer)
        [(_label, url)] = action._reminder_links()
        return action, url.removeprefix(action.get_base_url())

    def test_french_customer_gets_the_page_in_french(self):
        action, link = self._link(self.french)
        self.assertEqual(
            link, f"/fr/my/collection/{action.id}?access_token={action.access_token}"
        )
        with freeze_time(TODAY):
            page = self.url_open(link)
        self.assertEqual(page.status_code, 200)
        text = page.text
        for french in (
            "Relevé de compte",
            "Je m'engage à payer",
            "Je conteste une facture",
            "Jours de retard",
            "Documents (10 Mo maximum chacun)",
        ):
            self.assertIn(french, text)
        self.assertNotIn("I promise to pay", text)
        self.assertIn("01/03/2026", text, "the due date, day first")
        self.assertRegex(text, r"12\s345,60")

    def test_spanish_and_german_customers_get_their_page(self):
        expected = {
            self.spanish: (
                "es_ES",
                (
                    "Extracto de cuenta",
                    "Me comprometo a pagar",
                    "No estoy conforme con una factura",
                    "Días de retraso",
                    "01/03/2026",
                    "12.345,60",
                ),
            ),
            self.german: (
                "de_DE",
                (
                    "Kontoauszug",
                    "Ich sage die Zahlung zu",
                    "Ich beanstande eine Rechnung",
                    "Tage im Verzug",
                    "01.03.2026",
                    "12.345,60",
                ),
            ),
        }
        for customer, (lang, texts) in expected.items():
            action, link = self._link(customer)
            url_code = self.env["res.lang"]._get_data(code=lang).url_code
            with self.subTest(lang=lang):
                self.assertTrue(
                    link.startswith(f"/{url_code}/my/collection/{action.id}?"), link
                )
                with freeze_time(TODAY):
                    page = self.url_open(link)
                self.assertEqual(page.status_code, 200)
                for text in texts:
                    self.assertIn(text, page.text)
                self.assertNotIn("I promise to pay", page.text)

    def test_english_link_opens_the_page_in_english(self):
        action, link = self._link(self.english)
        self.assertTrue(link.startswith(f"/en/my/collection/{action.id}?"), link)
        with freeze_time(TODAY):
            page = self.url_open(link)
        self.assertEqual(page.status_code, 200, "redirected with its token")
        self.assertIn("I promise to pay", page.text)
        self.assertIn(self.english_invoice.name, page.text)

    def test_the_collector_hears_in_their_own_language(self):
        action, link = self._link(self.french)
        with freeze_time(TODAY):
            page = self.url_open(link)
            csrf = csrf_token(page.text)
            response = self.url_open(
                f"/fr/my/collection/{action.id}/answer/promise",
                data={
                    "csrf_token": csrf,
                    "access_token": action.access_token,
                    "line_ids": self._receivable_items(self.french_invoice).id,
                    "amount": "12345,60",
                    "date": "2026-03-20",
                },
                allow_redirects=False,
            )
        self.assertIn("done=promise", response.headers["Location"])
        promise = self.env["credit.collection.promise"].search(
            [("partner_id", "=", self.french.id)]
        )
        self.assertEqual(promise.amount, 12345.6)
        activity = promise.activity_ids.filtered(lambda a: a.user_id == self.collector)
        self.assertEqual(
            activity.summary,
            "Dupont SARL promised $\xa012,345.60 by 03/20/2026 on the portal.",
        )

    def test_a_french_salesperson_gets_the_dispute_in_french(self):
        salesperson = self._user("lang-salesperson", "base.group_user")
        salesperson.lang = "fr_FR"
        with self.mock_mail_gateway():
            dispute = self._dispute_invoice(self.english_invoice, 100, "delivery")
            dispute.responsible_id = salesperson
        mail = self._find_mail_mail_wpartners(salesperson.partner_id, None)
        self.assertEqual(mail.subject, "Examiner le litige de Smith Ltd")
        self.assertIn("Lire le litige et y répondre", mail.body_html)
        self.assertIn(
            f"/fr/collection/dispute/{dispute.id}?access_token=", mail.body_html
        )
        with freeze_time(TODAY):
            page = self.url_open(
                f"/fr/collection/dispute/{dispute.id}?access_token={dispute.access_token}"
            )
        self.assertIn("Litige de Smith Ltd", page.text)
        self.assertIn("Votre réponse", page.text)
