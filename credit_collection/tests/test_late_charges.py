import re
from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestLateCharges(CollectionRunCommon):
    """Statutory interest and recovery indemnity, figures worked out by hand
    at 2.15 + 8 = 10.15 % a year on a 365-day year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Charges = cls.env["credit.collection.late.charges"]
        cls.account = cls.company_data["default_account_revenue"]
        cls.company.write(
            {
                "credit_collection_late_charges": True,
                "credit_collection_reference_rate": 2.15,
                "credit_collection_interest_margin": 8.0,
                "credit_collection_recovery_indemnity": 40.0,
                "credit_collection_charges_account_id": cls.account.id,
            }
        )
        cls.customer = cls._customer("Late Payer")
        cls.invoice_30 = cls._invoice_days_late(cls.customer, 1000, 30)
        cls.invoice_45 = cls._invoice_days_late(cls.customer, 2500, 45)
        cls.invoices = cls.invoice_30 | cls.invoice_45

    def _charges(self, moves, date=TODAY):
        return self.Charges._compute_charges(self._receivable_items(moves), date)

    @staticmethod
    def _figures(charges):
        return [
            (c["move"], c["days_late"], c["interest"], c["indemnity"], c["total"])
            for c in charges
        ]

    def test_interest_and_indemnity_per_invoice(self):
        charges = self._charges(self.invoices)
        # 2,500.00 x 10.15 % x 45 / 365 = 11,418.75 / 365 = 31.2842 -> 31.28
        # 1,000.00 x 10.15 % x 30 / 365 = 3,045.00 / 365 = 8.3425 -> 8.34
        # Earliest due first.
        self.assertEqual(
            self._figures(charges),
            [
                (self.invoice_45, 45, 31.28, 40.0, 71.28),
                (self.invoice_30, 30, 8.34, 40.0, 48.34),
            ],
        )
        first = charges[0]
        self.assertEqual(first["line"], self._receivable_items(self.invoice_45))
        self.assertEqual(first["partner"], self.customer)
        self.assertEqual(first["residual"], 2500)
        self.assertAlmostEqual(first["rate"], 10.15)
        self.assertEqual(first["currency"], self.company.currency_id)
        self.assertEqual(
            self.Charges._totals(charges),
            {"interest": 39.62, "indemnity": 80.0, "total": 119.62},
        )
        self.assertEqual(
            self.Charges._totals([]),
            {"interest": 0.0, "indemnity": 0.0, "total": 0.0},
        )

    def test_several_customers_at_once(self):
        other = self._customer("Other Payer")
        # 500.00 x 10.15 % x 10 / 365 = 507.50 / 365 = 1.3904 -> 1.39
        invoice = self._invoice_days_late(other, 500, 10)
        charges = self._charges(self.invoices | invoice)
        self.assertEqual(
            [(c["partner"], c["move"], c["interest"]) for c in charges],
            [
                (self.customer, self.invoice_45, 31.28),
                (self.customer, self.invoice_30, 8.34),
                (other, invoice, 1.39),
            ],
        )

    def test_partly_paid_invoice_charges_the_residual(self):
        invoice = self._invoice_days_late(self.customer, 1200, 60)
        self._pay(invoice, amount=400)
        # 800.00 x 10.15 % x 60 / 365 = 4,872.00 / 365 = 13.3479 -> 13.35
        charges = self._charges(invoice)
        self.assertEqual(charges[0]["residual"], 800)
        self.assertEqual(self._figures(charges), [(invoice, 60, 13.35, 40.0, 53.35)])
        self._pay(invoice)
        self.assertEqual(self._charges(invoice), [])

    def test_instalments_bear_one_indemnity(self):
        term = self._half_now_half_in_30_days()
        invoice = self._post_invoice(
            self.customer,
            1000,
            invoice_date=TODAY - timedelta(days=50),
            payment_term=term,
        )
        # 500.00 x 10.15 % x 50 / 365 = 2,537.50 / 365 = 6.9521 -> 6.95
        # 500.00 x 10.15 % x 20 / 365 = 1,015.00 / 365 = 2.7808 -> 2.78
        self.assertEqual(
            self._figures(self._charges(invoice)),
            [(invoice, 50, 6.95, 40.0, 46.95), (invoice, 20, 2.78, 0.0, 2.78)],
        )
        # Still one indemnity when only the second instalment is given.
        second = self._receivable_items(invoice).sorted("date_maturity")[1]
        charges = self.Charges._compute_charges(second, TODAY)
        self.assertEqual(charges[0]["indemnity"], 40.0)

    def test_individuals_only_when_the_company_says_so(self):
        person = self._customer("Jane Doe", is_company=False)
        invoice = self._invoice_days_late(person, 1000, 30)
        self.assertEqual(self._charges(invoice), [])
        self.company.credit_collection_charges_individuals = True
        self.assertEqual(
            self._figures(self._charges(invoice)), [(invoice, 30, 8.34, 40.0, 48.34)]
        )

    def test_no_charges_when_the_setting_is_off(self):
        self.company.credit_collection_late_charges = False
        self.assertEqual(self._charges(self.invoices), [])

    def test_no_charges_before_the_day_after_the_due_date(self):
        not_due = self._invoice_days_late(self.customer, 1000, -10)
        due_today = self._invoice_days_late(self.customer, 1000, 0)
        self.assertEqual(self._charges(not_due | due_today), [])
        # One day late: 1,000.00 x 10.15 % x 1 / 365 = 0.2781 -> 0.28
        self.assertEqual(
            self._figures(self._charges(due_today, TODAY + timedelta(days=1))),
            [(due_today, 1, 0.28, 40.0, 40.28)],
        )

    def test_no_charges_on_credit_notes(self):
        refund = self._invoice_days_late(self.customer, 300, 30, move_type="out_refund")
        self.assertEqual(self._charges(refund), [])

    def test_rates_and_indemnity_cannot_be_negative(self):
        for field, label in (
            ("credit_collection_reference_rate", "Reference rate (% a year)"),
            ("credit_collection_interest_margin", "Interest margin (points)"),
            ("credit_collection_recovery_indemnity", "Recovery indemnity"),
        ):
            with (
                self.subTest(field=field),
                self.assertRaisesRegex(ValidationError, re.escape(f"'{label}'")),
            ):
                self.company[field] = -0.5
            # The savepoint is rolled back, but the refused value is still in
            # the cache, waiting to be written: recover as after a failed write.
            self.env.clear()
        # A zero reference rate is allowed: the margin still applies.
        self.company.credit_collection_reference_rate = 0
        # 1,000.00 x 8 % x 30 / 365 = 2,400.00 / 365 = 6.5753 -> 6.58
        self.assertEqual(self._charges(self.invoice_30)[0]["interest"], 6.58)

    def test_query_count_does_not_grow_with_items(self):
        more = self.invoices
        for days in (5, 12, 33, 70):
            more |= self._invoice_days_late(self._customer(f"Payer {days}"), 100, days)
        # Once to warm the registry caches (access rights, record rules).
        self.Charges._compute_charges(self._receivable_items(more), TODAY)
        for moves in (self.invoice_30, more):
            items = self._receivable_items(moves)
            self.env.invalidate_all()
            # The items, their company, its currency, their customers.
            with self.assertQueryCount(4):
                self.assertTrue(self.Charges._compute_charges(items, TODAY))

    def test_invoice_the_charges(self):
        # A default tax on the income account must not apply: no VAT on charges.
        self.account.tax_ids = self.company_data["default_tax_sale"]
        other = self._customer("Other Payer")
        other_invoice = self._invoice_days_late(other, 500, 10)
        charges = self._charges(self.invoices | other_invoice)
        debit_note = self.Charges._invoice_charges(self.customer, charges, TODAY)
        names = f"{self.invoice_45.name}, {self.invoice_30.name}"
        self.assertRecordValues(
            debit_note,
            [
                {
                    "move_type": "out_invoice",
                    "state": "draft",
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "invoice_date": TODAY,
                    "invoice_origin": names,
                    # 31.28 + 8.34 = 39.62 interest, 2 x 40.00 indemnity
                    "amount_untaxed": 119.62,
                    "amount_tax": 0.0,
                    "amount_total": 119.62,
                }
            ],
        )
        self.assertRecordValues(
            debit_note.invoice_line_ids,
            [
                {
                    "name": f"Late-payment interest on {names} (10.15 % a year)",
                    "account_id": self.account.id,
                    "quantity": 1,
                    "price_unit": 39.62,
                    "tax_ids": [],
                },
                {
                    "name": f"Fixed recovery indemnity: 2 invoices × 40.00 ({names})",
                    "account_id": self.account.id,
                    "quantity": 1,
                    "price_unit": 80.0,
                    "tax_ids": [],
                },
            ],
        )

    def test_invoice_the_charges_needs_an_account(self):
        self.company.credit_collection_charges_account_id = False
        charges = self._charges(self.invoices)
        with self.assertRaisesRegex(UserError, "late-payment charges account"):
            self.Charges._invoice_charges(self.customer, charges, TODAY)
        with self.assertRaisesRegex(UserError, "owes no late-payment charges"):
            self.Charges._invoice_charges(self._customer("Nobody"), charges, TODAY)
