"""Thirty collection days in a row, in two companies and two currencies
(each customer owes both), with what arrives between runs: payments in full
and in part, promises, disputes opened and resolved, an invoice excluded,
the collectors doing about half of their agenda.
After each day's runs the invariants are checked.

Reduced size by default (CI); the full size is named in the README:
``CC_SOAK_CUSTOMERS=1000 bash tools/test.sh -k soak``."""

import os
import random
import time
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon

CUSTOMERS = int(os.environ.get("CC_SOAK_CUSTOMERS", "12"))
DAYS = 30


@tagged("post_install", "-at_install", "soak")
class TestSoak(CollectionRunCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._euro_company("Soak B")
        cls.companies = cls.company | cls.company_b
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.companies.ids)
        )
        cls.random = random.Random(20261125)
        cls.customers = cls.env["res.partner"]
        for number in range(CUSTOMERS):
            customer = cls._customer(f"Soak {number:04d}")
            cls.customers |= customer
            for company, count in ((cls.company, 3), (cls.company_b, 2)):
                for _item in range(count):
                    amount = cls.random.choice((150, 400, 900, 2500))
                    days_late = cls.random.randint(-15, 50)
                    cls._invoice_days_late(customer, amount, days_late, company=company)
        cls.quality = cls.env.ref("credit_collection.dispute_type_quality")

    # What arrives between two runs ----------------------------------------

    def _open_invoices(self):
        return self.env["account.move"].search(
            [
                ("partner_id", "in", self.customers.ids),
                ("move_type", "=", "out_invoice"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("state", "=", "posted"),
            ],
            order="id",
        )

    def _events(self, day):
        """A day's worth of events, about one customer in ten paying, and
        the collectors doing about half of their agenda."""
        for _share in range(max(1, CUSTOMERS // 12)):
            self._some_events(day)
        agenda = self.Action.search(
            [("state", "=", "todo"), ("partner_id", "in", self.customers.ids)]
        )
        with freeze_time(day):
            agenda.filtered(lambda _a: self.random.random() < 0.5).action_done()

    def _some_events(self, day):
        invoices = self._open_invoices()
        if not invoices:
            return
        pick = self.random.choice
        for _payment in range(self.random.randint(0, 2)):
            invoice = pick(invoices)
            if self.random.random() < 0.5:
                self._pay(invoice, day=day)
            else:
                self._pay(
                    invoice, day=day, amount=round(invoice.amount_residual / 2, 2)
                )
        invoices = self._open_invoices()
        if invoices and self.random.random() < 0.4:
            invoice = pick(invoices)
            with freeze_time(day):
                self.env["credit.collection.promise"].create(
                    {
                        "partner_id": invoice.partner_id.id,
                        "company_id": invoice.company_id.id,
                        "date": day + timedelta(days=self.random.randint(1, 6)),
                        "amount": invoice.amount_residual,
                        "move_line_ids": [
                            Command.set(self._receivable_items(invoice).ids)
                        ],
                    }
                )
        if invoices and self.random.random() < 0.3:
            invoice = pick(invoices)
            self.env["credit.collection.dispute"].create(
                {
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "type_id": self.quality.id,
                    "description": "Damaged",
                    "amount": invoice.amount_residual,
                    "move_line_ids": [Command.set(self._receivable_items(invoice).ids)],
                }
            )
        disputes = self.env["credit.collection.dispute"].search(
            [("state", "=", "open"), ("partner_id", "in", self.customers.ids)]
        )
        if disputes and self.random.random() < 0.3:
            pick(disputes).action_resolve()
        if invoices and self.random.random() < 0.1:
            pick(invoices).collection_excluded = True

    # The invariants ---------------------------------------------------------

    def _check_day(self, day, runs):
        actions = self.Action.search(
            [("run_date", "=", day), ("partner_id", "in", self.customers.ids)]
        )
        for company, run in zip(self.companies, runs, strict=True):
            own = actions.filtered(lambda a, c=company: a.company_id == c)
            self.assertEqual(len(own), len(own.partner_id), "two actions a day")
            self.assertIn(own.run_id, (run, run.browse()))
        Dispute = self.env["credit.collection.dispute"]
        for action in actions.filtered(lambda a: a.state != "failed"):
            debts = action.move_line_ids.filtered(lambda line: line.balance > 0)
            disputed = Dispute._disputed_amounts(action.company_id, debts.ids)
            for line in debts:
                with self.subTest(day=str(day), item=line.id):
                    self.assertEqual(line.company_id, action.company_id)
                    self.assertFalse(line.reconciled, "an action for a paid item")
                    self.assertFalse(line.move_id.collection_excluded)
                    self.assertFalse(line.partner_id.collection_excluded)
                    self.assertGreater(
                        line.amount_residual - disputed.get(line.id, 0.0),
                        0,
                        "an action for a wholly disputed item",
                    )
        # What the reports say is what each company's ledger owes, in its
        # own currency.
        self.env.flush_all()
        for company in self.companies:
            ledger = sum(
                self.env["account.move.line"]
                .search(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "in", self.customers.ids),
                        ("account_type", "=", "asset_receivable"),
                        ("parent_state", "=", "posted"),
                        ("reconciled", "=", False),
                    ]
                )
                .mapped("amount_residual")
            )
            ((aged,),) = self.env["credit.collection.aged.balance"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", self.customers.ids),
                ],
                [],
                ["amount_residual:sum"],
            )
            self.assertAlmostEqual(aged or 0.0, ledger, places=2)

    def _run_both(self, day):
        """Each company's run of the day, and its automatic messages."""
        runs = []
        for company in self.companies:
            with freeze_time(day):
                runs.append(self.Run._run_company(company))
                self.Action._send_due(company)
        return runs

    def test_thirty_days(self):
        started = time.perf_counter()
        for offset in range(DAYS):
            day = TODAY + timedelta(days=offset)
            self._events(day)
            self._check_day(day, self._run_both(day))
        elapsed = time.perf_counter() - started
        for company in self.companies:
            done = self.Action.search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", self.customers.ids),
                    ("state", "=", "done"),
                ]
            )
            self.assertTrue(done, f"thirty days and nothing sent in {company.name}")
        self._print_figures(elapsed)

    def _print_figures(self, elapsed):
        """What the thirty days did, printed: the test run's summary repeats
        the lines starting with "figures: " (logging below WARNING is off in
        the tests)."""
        # pylint: disable=print-used
        print(
            f"figures: {DAYS} days, {CUSTOMERS} customers owing "
            f"{len(self.companies)} companies: {elapsed:.1f} s, invariants "
            "checked each day"
        )
        mine = [("partner_id", "in", self.customers.ids)]
        for company in self.companies:
            own = [*mine, ("company_id", "=", company.id)]
            states = dict(self.Action._read_group(own, ["state"], ["__count"]))
            counts = {
                model: self.env[f"credit.collection.{model}"].search_count(own)
                for model in ("promise", "dispute")
            }
            print(
                f"figures:   {company.name} ({company.currency_id.name}): "
                + ", ".join(f"{count} {state}" for state, count in states.items())
                + f" actions; {counts['promise']} promises, "
                f"{counts['dispute']} disputes"
            )
