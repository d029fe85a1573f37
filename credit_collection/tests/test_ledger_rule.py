from contextlib import contextmanager
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.osv.expression import AND
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestLedgerRule(CollectionRunCommon):
    """The receivable ledger's rule is written once: an addon that overrides
    ``credit.collection.ledger._ledger_domain`` (here: factored invoices,
    kept in their own journal, left out of collection) is followed by the
    run, the customer's open items, the forms' item choices, the checks of
    promises, the aged balance view, the KPIs and the blocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.factored = cls.env["account.journal"].create(
            {
                "name": "Factored sales",
                "code": "FACT",
                "type": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.customer = cls._customer("Ledger Rule Customer")
        cls.kept = cls._invoice_days_late(cls.customer, 700.0, 10)
        cls.factored_invoice = cls._invoice_days_late(
            cls.customer, 300.0, 10, journal=cls.factored
        )
        cls.kept_items = cls._receivable_items(cls.kept)
        cls.factored_items = cls._receivable_items(cls.factored_invoice)

    @contextmanager
    def _factored_left_out(self):
        """What an addon overriding the rule does: every model sees the
        override, and the ledger's database views are rebuilt on it (as its
        install would)."""
        ledger_class = type(self.env["credit.collection.ledger"])
        original = ledger_class._ledger_domain

        def _ledger_domain(ledger):
            return AND([original(ledger), [("journal_id", "!=", self.factored.id)]])

        with patch.object(ledger_class, "_ledger_domain", _ledger_domain):
            self.env["credit.collection.ledger"].init()
            yield
        self.env["credit.collection.ledger"].init()

    def test_open_items_of_the_customer_follow_the_rule(self):
        items = self.customer._collection_open_items(self.company)
        self.assertEqual(items, self.kept_items | self.factored_items)
        with self._factored_left_out():
            items = self.customer._collection_open_items(self.company)
            self.assertEqual(items, self.kept_items)

    def test_the_run_follows_the_rule(self):
        with self._factored_left_out():
            self._run(send=False)
        action = self._actions(self.customer)
        self.assertEqual(len(action), 1)
        self.assertEqual(action.move_line_ids, self.kept_items)
        self.assertEqual(action.amount_due, 700.0)
        self.assertTrue(self.kept_items.collection_stage_id)
        self.assertFalse(self.factored_items.collection_stage_id)

    def test_the_forms_offer_only_the_ledger_items(self):
        for model in (
            "credit.collection.promise",
            "credit.collection.dispute",
            "credit.collection.plan",
            "credit.collection.outcome",
        ):
            with self.subTest(model=model), self._factored_left_out():
                domain = self.env[model].fields_get(["move_line_ids"])["move_line_ids"][
                    "domain"
                ]
                domain = safe_eval(
                    domain,
                    {"company_id": self.company.id, "partner_id": self.customer.id},
                )
                offered = self.env["account.move.line"].search(domain)
                self.assertEqual(offered, self.kept_items)

    def test_a_promise_cannot_cover_an_item_left_out(self):
        with self._factored_left_out(), self.assertRaises(ValidationError):
            self.env["credit.collection.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "date": TODAY,
                    "amount": 300.0,
                    "move_line_ids": [(6, 0, self.factored_items.ids)],
                }
            )

    def test_the_aged_balance_view_is_rebuilt_on_the_rule(self):
        aged = self.env["credit.collection.aged.balance"]
        domain = [("partner_id", "=", self.customer.id)]
        self.assertEqual(
            aged.search(domain).move_line_id, self.kept_items | self.factored_items
        )
        with self._factored_left_out():
            self.assertEqual(aged.search(domain).move_line_id, self.kept_items)

    def test_the_kpis_follow_the_rule(self):
        kpi = self.env["credit.collection.kpi"]
        start = self.kept.date.replace(day=1)
        with self._factored_left_out():
            receivables = kpi._receivables_at(self.company, TODAY)
            sales = sum(kpi._credit_sales(self.company, start, TODAY).values())
        self.assertAlmostEqual(
            kpi._receivables_at(self.company, TODAY) - receivables, 300.0
        )
        self.assertAlmostEqual(
            sum(kpi._credit_sales(self.company, start, TODAY).values()) - sales,
            300.0,
        )

    def test_the_blocks_follow_the_rule(self):
        self._run(send=False)
        self.stages["level_1"].blocks_sales = True
        Partner = self.env["res.partner"]
        blocking = Partner._collection_blocking_stages(self.customer, self.company)
        self.assertAlmostEqual(blocking[self.customer.id][1], 1000.0)
        with self._factored_left_out():
            blocking = Partner._collection_blocking_stages(self.customer, self.company)
        self.assertAlmostEqual(blocking[self.customer.id][1], 700.0)
