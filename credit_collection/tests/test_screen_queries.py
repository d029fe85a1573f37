from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon
from .screens import PAGE, SCREENS, open_screen, time_screen


@tagged("post_install", "-at_install")
class TestScreenQueries(CollectionRunCommon):
    """Each screen a collector or credit manager opens after the run (the
    benchmark's list, opened as the web client opens it) costs the same
    number of queries whatever the size of the ledger: no query per
    customer, action or item behind any of them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._user(
            "screen.manager",
            "account.group_account_invoice,"
            "credit_collection.group_credit_collection_manager",
        )

    def _ledger(self, name, customers, invoices, day):
        """``customers`` customers owing ``invoices`` late invoices each (the
        oldest 81 days late: every ledger reaches the same stages, and the
        agenda the same columns), run and sent on ``day``; a promise and a
        dispute on the first one."""
        # Two payer profiles: the scenario each follows is its profile's.
        partners = [
            self._customer(f"{name} {n}", payer_profile=("negligent", "bad")[n % 2])
            for n in range(customers)
        ]
        for partner in partners:
            for days_late in range(invoices):
                self._invoice_days_late(partner, 300 + days_late, 81 - days_late * 15)
        run = self._run(day)
        self.assertEqual(len(run.action_ids.partner_id), customers)
        action = run.action_ids.filtered(lambda a: a.partner_id == partners[0])
        invoices = action.move_line_ids.move_id
        self.assertTrue(invoices)
        with freeze_time(day):
            self.env["credit.collection.promise"].create(
                {
                    "partner_id": partners[0].id,
                    "date": day + timedelta(days=5),
                    "amount": 100,
                    "move_line_ids": [
                        Command.set(self._receivable_items(invoices[:1]).ids)
                    ],
                }
            )
        self._dispute_invoice(invoices[-1:], 50)
        return partners[0], run

    def _queries(self, customer, run):
        env = self.env(user=self.manager)
        counts = {}
        for label, *screen in SCREENS:
            record = customer if "customer" in label else run
            if "form" not in label and "tab" not in label:
                record = None
            _seconds, queries, _rows = time_screen(env, *screen, record=record)
            counts[label] = queries
        return counts

    def test_screens_cost_the_same_queries_at_any_size(self):
        # A first ledger warms what every later screen finds warm (caches).
        self._queries(*self._ledger("Warm", 1, 1, TODAY - timedelta(days=2)))
        small = self._queries(*self._ledger("Small", 2, 2, TODAY - timedelta(days=1)))
        large = self._queries(*self._ledger("Large", 12, 6, TODAY))
        for label, *_screen in SCREENS:
            with self.subTest(screen=label):
                # 12 customers owing 6 invoices each instead of 2 owing 2.
                self.assertLessEqual(large[label], small[label])

    def test_customers_by_profile_load_a_profile_when_opened(self):
        """The collection customers list shows each payer profile and its
        count; a profile's customers load when it is opened (expanded, it
        read a page of every profile's: 0.66 s at 10,000 customers)."""
        for n in range(3):
            self._customer(f"Folded {n}", payer_profile="negligent", customer_rank=1)
        env = self.env(user=self.manager)
        groups = env["res.partner"].read_group(
            [("customer_rank", ">", 0), ("is_company", "=", True)],
            ["payer_profile"],
            ["payer_profile"],
        )
        largest = max(group["payer_profile_count"] for group in groups)
        self.assertGreaterEqual(largest, 3)
        screens = {label: screen for label, *screen in SCREENS}
        self.assertEqual(
            open_screen(env, *screens["customers by payer profile"]), len(groups)
        )
        self.assertEqual(
            open_screen(env, *screens["customers, a profile opened"]),
            len(groups) + min(largest, PAGE),
        )
