from datetime import date
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestCollectionKpi(CollectionRunCommon):
    """DSO (count-back) and CEI of a small ledger worked out by hand.

    January: invoice of 1,000 (10 Jan, due 9 Feb), paid 20 Feb.
    February: invoice of 2,000 (10 Feb, due 12 Mar), 500 paid 15 Mar.
    March: invoice of 1,500 (10 Mar, due 9 Apr); a credit note of 100 on
    20 March, left open.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("KPI Ltd")
        january = cls._post_invoice(
            cls.customer, 1000, due=date(2026, 2, 9), invoice_date=date(2026, 1, 10)
        )
        february = cls._post_invoice(
            cls.customer, 2000, due=date(2026, 3, 12), invoice_date=date(2026, 2, 10)
        )
        cls.march = cls._post_invoice(
            cls.customer, 1500, due=date(2026, 4, 9), invoice_date=date(2026, 3, 10)
        )
        cls._post_invoice(
            cls.customer,
            100,
            due=date(2026, 3, 20),
            invoice_date=date(2026, 3, 20),
            move_type="out_refund",
        )
        cls.january, cls.february = january, february

    def setUp(self):
        super().setUp()
        self._pay(self.january, day=date(2026, 2, 20))
        self._pay(self.february, day=date(2026, 3, 15), amount=500)
        self.Kpi = self.env["credit.collection.kpi"]

    def test_february(self):
        """Opening (31 Jan) 1,000; sales 2,000; closing (28 Feb) 2,000, all
        of it the February invoice, not due yet.
        CEI = (1,000 + 2,000 - 2,000) / (1,000 + 2,000 - 2,000) = 100 %.
        DSO: 2,000 owed, February sold 2,000: 28 days."""
        values = self.Kpi._month_values(self.company, date(2026, 2, 1))
        self.assertEqual(values["receivables_start"], 1000)
        self.assertEqual(values["credit_sales"], 2000)
        self.assertEqual(values["receivables_end"], 2000)
        self.assertEqual(values["current_end"], 2000)
        self.assertAlmostEqual(values["cei"], 100.0)
        self.assertAlmostEqual(values["dso"], 28.0)

    def test_march(self):
        """Opening 2,000; sales 1,500 - 100 = 1,400; closing
        2,000 + 1,400 - 500 = 2,900; not due at 31 March: the March invoice,
        1,500 (the February one fell due on 12 March).
        CEI = (2,000 + 1,400 - 2,900) / (2,000 + 1,400 - 1,500) = 500 / 1,900
        = 26.3 %.
        DSO: 2,900 owed; March sold 1,400 (31 days), 1,500 left; February
        sold 2,000: 1,500 / 2,000 of its 28 days is 21; 52 days."""
        values = self.Kpi._month_values(self.company, date(2026, 3, 1))
        self.assertEqual(values["receivables_start"], 2000)
        self.assertEqual(values["credit_sales"], 1400)
        self.assertEqual(values["receivables_end"], 2900)
        self.assertEqual(values["current_end"], 1500)
        self.assertAlmostEqual(values["cei"], 500 / 1900 * 100)
        self.assertAlmostEqual(values["dso"], 52.0)

    def test_payment_made_after_the_month_end_does_not_count(self):
        """At 28 February the February invoice had not been paid at all:
        the 500 of 15 March does not reduce what was not due then."""
        self.assertEqual(self.Kpi._current_at(self.company, date(2026, 2, 28)), 2000)
        self.assertEqual(
            self.Kpi._current_at(self.company, date(2026, 3, 11)), 1500 + 2000
        )

    def test_months_are_recorded_once_and_refreshed(self):
        self.Kpi._record_months(self.company, [date(2026, 2, 1), date(2026, 3, 1)])
        self.Kpi._record_months(self.company, [date(2026, 3, 1)])
        kpis = self.Kpi.search([("company_id", "=", self.company.id)])
        self.assertEqual(kpis.mapped("month"), [date(2026, 3, 1), date(2026, 2, 1)])
        self.assertAlmostEqual(kpis[0].dso, 52.0)

    def test_monthly_cron_records_the_month_just_ended(self):
        with freeze_time("2026-04-01 03:00:00"):
            self.Kpi._cron_record()
        kpi = self.Kpi.search([("company_id", "=", self.company.id)])
        self.assertEqual(kpi.month, date(2026, 3, 1))
        self.assertAlmostEqual(kpi.cei, 26.3)  # stored to one decimal

    # The monthly email ------------------------------------------------------

    def _managers(self):
        group = "credit_collection.group_credit_collection_manager"
        english = self._user("kpi.manager.en", group)
        french = self._user("kpi.manager.fr", group)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], ["fr_FR"], overwrite=True
        )
        french.lang = "fr_FR"
        elsewhere = self._user(
            "kpi.manager.elsewhere", group, self.setup_other_company()["company"]
        )
        return english, french, elsewhere

    def _mails_to(self, users):
        return self.env["mail.mail"].search(
            [("recipient_ids", "in", users.partner_id.ids)]
        )

    def test_monthly_email_goes_to_the_managers_who_asked(self):
        english, french, elsewhere = self._managers()
        self.company.credit_collection_kpi_email = True
        with freeze_time("2026-04-01 03:00:00"):
            self.Kpi._cron_record()
        mail = self._mails_to(english)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, english.partner_id)
        self.assertEqual(
            mail.subject, f"{self.company.name}: collection figures of March 2026"
        )
        body = str(mail.body_html)
        self.assertIn("DSO (days)", body)
        self.assertIn("52.0", body)
        self.assertIn("26.3 %", body)
        self.assertIn("Promises to pay closed in the month", body)
        self.assertIn(
            "/odoo/action-credit_collection.credit_collection_dashboard_action", body
        )
        french_mail = self._mails_to(french)
        self.assertIn("mars 2026", french_mail.subject)
        self.assertIn("26,3 %", str(french_mail.body_html))
        self.assertIn("DSO (jours)", str(french_mail.body_html))
        self.assertFalse(self._mails_to(elsewhere), "another company's manager")

    def test_monthly_email_in_spanish_and_german(self):
        group = "credit_collection.group_credit_collection_manager"
        managers = {}
        for lang in ("es_ES", "de_DE"):
            self.env["res.lang"]._activate_lang(lang)
            managers[lang] = self._user(f"kpi.manager.{lang}", group)
            managers[lang].lang = lang
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], list(managers), overwrite=True
        )
        self.company.credit_collection_kpi_email = True
        with freeze_time("2026-04-01 03:00:00"):
            self.Kpi._cron_record()
        expected = {
            "es_ES": ("cifras de cobros de marzo", "DSO (días)", "Promesas de pago"),
            "de_DE": (
                "Kennzahlen Forderungsmanagement März",
                "DSO (Tage)",
                "Zahlungszusagen",
            ),
        }
        for lang, (subject, dso, promises) in expected.items():
            mail = self._mails_to(managers[lang])
            body = str(mail.body_html)
            with self.subTest(lang=lang):
                self.assertIn(subject, mail.subject)
                self.assertIn(dso, body)
                self.assertIn(promises, body)
                self.assertIn("52,0", body)
                self.assertIn("26,3 %", body)

    def test_no_email_unless_the_company_asks(self):
        english, _french, _elsewhere = self._managers()
        with freeze_time("2026-04-01 03:00:00"):
            self.Kpi._cron_record()
        self.assertTrue(self.Kpi.search([("company_id", "=", self.company.id)]))
        self.assertFalse(self._mails_to(english))

    def test_email_sections_count_the_months_promises_disputes_and_actions(self):
        """March: a promise of 300 on the March invoice, paid 18 March, kept
        on 21 March; a quality dispute of 200 raised on 2 March and resolved
        on 4 March (2 days); a call done on 10 March."""
        with freeze_time("2026-03-12"):
            promise = self.env["credit.collection.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "date": date(2026, 3, 20),
                    "amount": 300,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.march).ids)
                    ],
                }
            )
        self._pay(self.march, day=date(2026, 3, 18), amount=300)
        with freeze_time("2026-03-21"):
            self.env["credit.collection.promise"]._check_due_promises(self.company)
        self.assertEqual(promise.state, "kept")
        with freeze_time("2026-03-02 09:00:00"):
            dispute = self._dispute_invoice(self.february, 200)
        with freeze_time("2026-03-04 09:00:00"):
            dispute.action_resolve()
        self.Action.create(
            {
                "partner_id": self.customer.id,
                "channel": "phone",
                "date": date(2026, 3, 10),
                "state": "done",
                "done_date": "2026-03-10 10:00:00",
            }
        )
        (kpi,) = self.Kpi._record_months(self.company, [date(2026, 3, 1)])
        sections = dict(kpi._email_sections())
        self.assertEqual(
            dict(sections["Promises to pay closed in the month"]),
            {
                "Promises": "1",
                "Kept rate (by amount)": "100.0 %",
                "Kept in full": "100.0 %",
            },
        )
        disputes = dict(sections["Disputes"])
        self.assertEqual(disputes["Raised in the month"], "1")
        self.assertEqual(disputes["Closed in the month"], "1")
        self.assertEqual(disputes["Mean days to resolve"], "2.0")
        self.assertEqual(dict(sections["Actions done in the month"])["Phone call"], "1")

    def test_a_failing_company_does_not_stop_the_others(self):
        """The email of the first company fails (a row it needs is locked):
        its figures stay recorded, and the other company gets its figures
        and its email."""
        other = self.setup_other_company()["company"]
        manager = self._user(
            "kpi.manager.other",
            "credit_collection.group_credit_collection_manager",
            other,
        )
        (self.company | other).credit_collection_kpi_email = True
        Kpi = type(self.Kpi)
        send = Kpi._send_to_managers

        def fail_for_the_first(kpi):
            if kpi.company_id == self.company:
                raise psycopg2.errors.LockNotAvailable("could not obtain lock")
            return send(kpi)

        with (
            patch.object(Kpi, "_send_to_managers", fail_for_the_first),
            freeze_time("2026-04-01 03:00:00"),
            self.assertLogs(
                "odoo.addons.credit_collection.report.credit_collection_kpi", "ERROR"
            ) as logged,
        ):
            self.Kpi._cron_record()
        self.assertIn(self.company.name, logged.output[0])
        recorded = self.Kpi.sudo().search(
            [("company_id", "in", (self.company | other).ids)]
        )
        self.assertEqual(recorded.company_id, self.company | other)
        self.assertEqual(len(self._mails_to(manager)), 1)
