from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon

PROMISED = date(2026, 3, 20)


@tagged("post_install", "-at_install")
class TestPromiseReport(CollectionRunCommon):
    """The kept rate on promises worked out by hand, promised on 11 March
    for 20 March and checked by the run of 21 March:

    * Anna promises 1,000 and pays 400 on 18 March: broken, kept for 400.
    * Bruno promises 500 and pays it on 19 March: kept.
    * Carla promises 300, then the promise is cancelled; Dario promises 200
      for 31 March, still open: neither is counted.

    Kept rate (by amount) = (400 + 500) / (1,000 + 500) = 60 %.
    Kept in full (by promise) = 1 of 2 = 50 %.
    By collector: Anna's 400 / 1,000 = 40 %, Bruno's 100 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["credit.collection.promise.report"]
        cls.Promise = cls.env["credit.collection.promise"]
        cls.anna_collector = cls._user(
            "anna.collector", "credit_collection.group_credit_collection_user"
        )
        cls.customers = {}
        cls.invoices = {}
        for name, amount in (("Anna", 1000), ("Bruno", 500), ("Carla", 300)):
            cls.customers[name] = cls._customer(name)
            cls.invoices[name] = cls._invoice_days_late(cls.customers[name], amount, 10)
        cls.customers["Dario"] = cls._customer("Dario")
        cls.invoices["Dario"] = cls._invoice_days_late(cls.customers["Dario"], 200, 10)

    def _promise(self, name, amount, user=None, day=PROMISED):
        with freeze_time(TODAY):
            return self.Promise.create(
                {
                    "partner_id": self.customers[name].id,
                    "date": day,
                    "amount": amount,
                    "user_id": (user or self.env.user).id,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.invoices[name]).ids)
                    ],
                }
            )

    def setUp(self):
        super().setUp()
        self.anna = self._promise("Anna", 1000, user=self.anna_collector)
        self.bruno = self._promise("Bruno", 500)
        self._promise("Carla", 300).action_cancel()
        self.dario = self._promise("Dario", 200, day=date(2026, 3, 31))
        self._pay(self.invoices["Anna"], day=date(2026, 3, 18), amount=400)
        self._pay(self.invoices["Bruno"], day=date(2026, 3, 19))
        with freeze_time(date(2026, 3, 21)):
            self.Promise._check_due_promises(self.company)
        self.env.flush_all()

    def _domain(self):
        return [("partner_id", "in", [c.id for c in self.customers.values()])]

    def test_closed_promises_only(self):
        rows = self.Report.search(self._domain())
        self.assertEqual(rows.promise_id, self.anna | self.bruno)
        self.assertRecordValues(
            rows.sorted(lambda row: row.amount),
            [
                {"state": "kept", "amount": 500, "amount_kept": 500, "kept_rate": 100},
                {
                    "state": "broken",
                    "amount": 1000,
                    "amount_kept": 400,
                    "kept_rate": 40,
                },
            ],
        )
        self.assertEqual(self.dario.state, "open")

    def test_kept_rate_weighs_partial_payments_by_amount(self):
        ((promised, kept, rate, in_full),) = self.Report._read_group(
            self._domain(),
            [],
            ["amount:sum", "amount_kept:sum", "kept_rate:avg", "kept_in_full_rate:avg"],
        )
        self.assertEqual((promised, kept), (1500, 900))
        # The plain average of the rows would be (40 + 100) / 2 = 70 %.
        self.assertAlmostEqual(rate, 60.0)
        self.assertAlmostEqual(in_full, 50.0)

    def test_kept_rate_per_collector_as_the_pivot_reads_it(self):
        groups = self.Report.read_group(
            self._domain(), ["kept_rate", "kept_in_full_rate"], ["user_id"]
        )
        rates = {
            group["user_id"][0]: (group["kept_rate"], group["kept_in_full_rate"])
            for group in groups
        }
        self.assertEqual(
            rates,
            {self.anna_collector.id: (40.0, 0.0), self.env.user.id: (100.0, 100.0)},
        )
