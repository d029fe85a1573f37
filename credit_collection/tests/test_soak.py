"""Thirty collection days in a row, with what arrives between runs:
payments in full and in part, promises, disputes opened and resolved, an
invoice excluded. After each day's run the invariants are checked.

Reduced size by default (CI); the full size is named in the README:
``CC_SOAK_CUSTOMERS=1000 bash tools/test.sh -k soak``."""

import os
import random
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
        cls.random = random.Random(20261125)
        cls.customers = cls.env["res.partner"]
        for number in range(CUSTOMERS):
            customer = cls._customer(f"Soak {number:04d}")
            cls.customers |= customer
            for _item in range(3):
                amount = cls.random.choice((150, 400, 900, 2500))
                days_late = cls.random.randint(-15, 50)
                cls._invoice_days_late(customer, amount, days_late)
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
        """A day's worth of events, about one customer in ten paying."""
        for _share in range(max(1, CUSTOMERS // 12)):
            self._some_events(day)

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
                        "date": day + timedelta(days=self.random.randint(1, 6)),
                        "amount": invoice.amount_residual,
                        "move_line_ids": [
                            Command.set(self._receivable_items(invoice).ids)
                        ],
                    }
                )
        if invoices and self.random.random() < 0.3:
            invoice = pick(invoices)
            self._dispute_invoice(invoice, invoice.amount_residual)
        disputes = self.env["credit.collection.dispute"].search(
            [("state", "=", "open"), ("partner_id", "in", self.customers.ids)]
        )
        if disputes and self.random.random() < 0.3:
            pick(disputes).action_resolve()
        if invoices and self.random.random() < 0.1:
            pick(invoices).collection_excluded = True

    # The invariants ---------------------------------------------------------

    def _check_day(self, day, run):
        actions = self.Action.search(
            [("run_date", "=", day), ("partner_id", "in", self.customers.ids)]
        )
        self.assertEqual(len(actions), len(actions.partner_id), "two actions a day")
        self.assertIn(actions.run_id, (run, run.browse()))
        Dispute = self.env["credit.collection.dispute"]
        for action in actions.filtered(lambda a: a.state != "failed"):
            debts = action.move_line_ids.filtered(lambda line: line.balance > 0)
            disputed = Dispute._disputed_amounts(self.company, debts.ids)
            for line in debts:
                with self.subTest(day=str(day), item=line.id):
                    self.assertFalse(line.reconciled, "an action for a paid item")
                    self.assertFalse(line.move_id.collection_excluded)
                    self.assertFalse(line.partner_id.collection_excluded)
                    self.assertGreater(
                        line.amount_residual - disputed.get(line.id, 0.0),
                        0,
                        "an action for a wholly disputed item",
                    )
        # What the reports say is what the ledger owes.
        self.env.flush_all()
        ledger = sum(
            self.env["account.move.line"]
            .search(
                [
                    ("partner_id", "in", self.customers.ids),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ]
            )
            .mapped("amount_residual")
        )
        ((aged,),) = self.env["credit.collection.aged.balance"]._read_group(
            [("partner_id", "in", self.customers.ids)], [], ["amount_residual:sum"]
        )
        self.assertAlmostEqual(aged or 0.0, ledger, places=2)

    def test_thirty_days(self):
        for offset in range(DAYS):
            day = TODAY + timedelta(days=offset)
            self._events(day)
            run = self._run(day)
            self._check_day(day, run)
        done = self.Action.search(
            [("partner_id", "in", self.customers.ids), ("state", "=", "done")]
        )
        self.assertTrue(done, "thirty days and nothing sent")
