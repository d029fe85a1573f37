from datetime import date

from freezegun import freeze_time

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
        cls._post_invoice(
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
