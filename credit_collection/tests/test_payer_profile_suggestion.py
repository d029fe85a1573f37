from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestPayerProfileSuggestion(CollectionRunCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Advisor = cls.env["credit.collection.profile.advisor"]

    def _paid_invoice(self, customer, amount, due_days_ago, paid_days_late):
        invoice = self._invoice_days_late(customer, amount, due_days_ago)
        if paid_days_late is not None:
            self._pay(invoice, TODAY - timedelta(days=due_days_ago - paid_days_late))
        return invoice

    def _suggest(self, day=TODAY):
        with freeze_time(day):
            self.Advisor._suggest_company(self.company)

    def _suggestion(self, customer):
        customer = customer.with_company(self.company)
        return (
            customer.payer_profile_suggestion,
            customer.payer_profile_suggestion_reason,
        )

    def test_profiles_from_the_last_twelve_months(self):
        cases = {
            "good": [(1000, 100, 0), (1000, 70, -2), (1000, 40, 1)],
            "negligent": [(1000, 100, 10), (1000, 70, 12), (1000, 40, 8)],
            "bad": [(1000, 150, 45), (1000, 100, 40), (1000, 70, 35)],
        }
        customers = {}
        for profile, invoices in cases.items():
            customers[profile] = self._customer(f"Pays {profile}")
            for amount, due_days_ago, paid_late in invoices:
                self._paid_invoice(customers[profile], amount, due_days_ago, paid_late)
        self._suggest()
        self.assertEqual(
            self._suggestion(customers["good"]),
            (
                "good",
                (
                    "Pays on time: paid 0 days late on average (weighted by amount) "
                    "over 3 invoices in the last 12 months."
                ),
            ),
        )
        profile, reason = self._suggestion(customers["negligent"])
        self.assertEqual(profile, "negligent")
        self.assertIn("paid 10 days late on average", reason)
        profile, reason = self._suggestion(customers["bad"])
        self.assertEqual(profile, "bad")
        self.assertIn("paid 40 days late on average", reason)

    def test_days_late_are_weighted_by_amount(self):
        customer = self._customer("Big invoices on time")
        self._paid_invoice(customer, 9000, 100, 0)
        self._paid_invoice(customer, 1000, 80, 50)
        self._paid_invoice(customer, 1000, 60, 0)
        self._suggest()
        # 50 days on 1000 of 11000: 4.5 days on average, on time. Counted per
        # invoice it would be 16.7 days, a negligent payer.
        profile, reason = self._suggestion(customer)
        self.assertEqual(profile, "good")
        self.assertIn("paid 5 days late", reason)

    def test_open_invoices_count_until_today(self):
        customer = self._customer("Still unpaid")
        for due_days_ago in (60, 50, 45):
            self._paid_invoice(customer, 1000, due_days_ago, None)
        self._suggest()
        self.assertEqual(self._suggestion(customer)[0], "bad")

    def test_disputes_and_insolvency(self):
        disputer = self._customer("Disputes")
        invoices = [self._paid_invoice(disputer, 500, d, 0) for d in (90, 60, 30)]
        disputed = self._invoice_days_late(disputer, 500, 10)
        self._dispute_invoice(disputed, 100, "price")
        insolvent = self._customer("Insolvent")
        for due_days_ago in (200, 150, 120):
            self._paid_invoice(insolvent, 2000, due_days_ago, None)
        self._paid_invoice(insolvent, 500, 20, None)
        self._suggest()
        self.assertEqual(
            self._suggestion(disputer),
            ("dispute", "1 of 4 invoices disputed in the last 12 months."),
        )
        self.assertEqual(len(invoices), 3)
        self.assertEqual(self._suggestion(insolvent)[0], "insolvent")

    def test_direct_debit_customer_is_automatic(self):
        # What the SEPA Direct Debit addon (Odoo Enterprise) installs.
        method = (
            self.env["account.payment.method"]
            .sudo()
            .create(
                {"name": "SEPA Direct Debit", "code": "sdd", "payment_type": "inbound"}
            )
        )
        line = self.env["account.payment.method.line"].create(
            {
                "payment_method_id": method.id,
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        customer = self._customer("Direct debit")
        customer.with_company(
            self.company
        ).property_inbound_payment_method_line_id = line
        self._paid_invoice(customer, 500, 10, 0)
        self._suggest()
        self.assertEqual(
            self._suggestion(customer), ("automatic", "Pays by direct debit.")
        )

    def test_too_little_history_suggests_nothing(self):
        customer = self._customer("New customer")
        self._paid_invoice(customer, 1000, 40, 30)
        self._paid_invoice(customer, 1000, 20, 15)
        self._suggest()
        self.assertEqual(self._suggestion(customer), (False, False))

    def test_apply_the_suggestion_by_hand(self):
        customer = self._customer("Apply by hand")
        customer.with_company(self.company).payer_profile = "good"
        for due_days_ago in (100, 70, 40):
            self._paid_invoice(customer, 1000, due_days_ago, 40)
        self._suggest()
        partner = customer.with_company(self.company)
        partner.action_apply_payer_profile_suggestion()
        self.assertEqual(partner.payer_profile, "bad")
        self.assertTrue(
            partner.message_ids.filtered(
                lambda message: (
                    "Payer profile set to Bad payer as suggested: Pays "
                    "late: paid 40 days late" in message.body
                )
            )
        )

    def test_automatic_mode_waits_for_a_stable_suggestion(self):
        self.company.write(
            {
                "credit_collection_profile_auto": True,
                "credit_collection_profile_stable_days": 10,
            }
        )
        customer = self._customer("Automatic mode").with_company(self.company)
        customer.payer_profile = "good"
        administrative = self._customer("Public body").with_company(self.company)
        administrative.payer_profile = "administrative"
        for partner in (customer, administrative):
            for due_days_ago in (100, 70, 40):
                self._paid_invoice(partner, 1000, due_days_ago, 40)
        self._suggest()
        self.assertEqual(customer.payer_profile_suggestion_date, TODAY)
        self.assertEqual(customer.payer_profile, "good")
        # Seen again the next days: the suggestion keeps its first date.
        self._suggest(TODAY + timedelta(days=5))
        self.assertEqual(customer.payer_profile_suggestion_date, TODAY)
        self.assertEqual(customer.payer_profile, "good")
        self._suggest(TODAY + timedelta(days=10))
        self.assertEqual(customer.payer_profile, "bad")
        self.assertTrue(
            customer.message_ids.filtered(
                lambda message: (
                    "set to Bad payer automatically, as suggested since" in message.body
                )
            )
        )
        # Paying late through a long approval circuit is what administrative
        # payers do: their profile is never changed automatically.
        self.assertEqual(administrative.payer_profile_suggestion, "bad")
        self.assertEqual(administrative.payer_profile, "administrative")

    def test_a_changed_suggestion_starts_counting_again(self):
        customer = self._customer("Flapping").with_company(self.company)
        for due_days_ago in (100, 70, 40):
            self._paid_invoice(customer, 1000, due_days_ago, 0)
        self._suggest()
        self.assertEqual(
            (customer.payer_profile_suggestion, customer.payer_profile_suggestion_date),
            ("good", TODAY),
        )
        later = TODAY + timedelta(days=20)
        for _n in range(3):
            self._post_invoice(customer, 3000, due=later - timedelta(days=15))
        self._suggest(later)
        self.assertEqual(customer.payer_profile_suggestion, "negligent")
        self.assertEqual(customer.payer_profile_suggestion_date, later)

    def test_stable_days_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.credit_collection_profile_stable_days = -1
