import gc
from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon

# Four past invoices of 1,000, each with a call at level 2 twenty days after
# its due date.
PAST_DUES = [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)]
NOW_DUE = TODAY - timedelta(days=25)


@tagged("post_install", "-at_install")
class TestExpectedRecovery(CollectionRunCommon):
    """The agenda's order, on histories worked out by hand (all customers
    negligent payers, in one company, on 11 March 2026).

    * Reliable paid each of its four past invoices five days after the
      call: 25 days late every time. Erratic paid two of them five days
      after the call, the two others 60 days after it (80 days late).
      The company's calls at level 2 to negligent payers brought in 6,000
      of 8,000 within 30 days: 75 %, the profile's and the company's rate
      too. No past invoice was paid without a call: nothing pays by itself.
    * Reliable's rate: 75 % x (4 + 3 x 0.75) / (4 x 0.75 + 3 x 0.75) =
      89.3 %; Erratic's: 75 % x (2 + 2.25) / (3 + 2.25) = 60.7 %.
    * Thin has no history: its profile's 75 %.
    * Netted owes an invoice of 1,000, a credit note of 300 and an invoice
      of 500 wholly disputed: 700 to collect.
    Each now owes an invoice of 1,000 due 25 days ago, with a call to make.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.call = cls.stages["level_2"]
        cls.reliable, cls.erratic, cls.thin, cls.netted = (
            cls._customer(name, payer_profile="negligent")
            for name in ("Reliable", "Erratic", "Thin", "Netted")
        )
        for customer, late_payments in ((cls.reliable, ()), (cls.erratic, (1, 2))):
            for index, due in enumerate(PAST_DUES):
                invoice = cls._post_invoice(
                    customer, 1000, due=due, invoice_date=due - timedelta(days=30)
                )
                called = due + timedelta(days=20)
                cls._action(customer, invoice, called, state="done")
                paid = called + timedelta(days=60 if index in late_payments else 5)
                cls._pay_on(invoice, paid)
        cls.now = {
            customer: cls._post_invoice(
                customer, 1000, due=NOW_DUE, invoice_date=NOW_DUE - timedelta(30)
            )
            for customer in (cls.reliable, cls.erratic, cls.thin, cls.netted)
        }
        cls.credit_note = cls._post_invoice(
            cls.netted, 300, invoice_date=NOW_DUE, move_type="out_refund"
        )
        cls.disputed = cls._post_invoice(
            cls.netted, 500, due=NOW_DUE, invoice_date=NOW_DUE - timedelta(30)
        )
        cls.todo = {
            customer: cls._action(customer, invoice, TODAY)
            for customer, invoice in cls.now.items()
        }
        cls.todo[cls.netted].move_line_ids = [
            Command.link(line.id)
            for line in cls._receivable_items(cls.credit_note | cls.disputed)
        ]

    @classmethod
    def _action(cls, customer, invoice, day, state="todo"):
        return cls.Action.create(
            {
                "partner_id": customer.id,
                "stage_id": cls.call.id,
                "channel": "phone",
                "date": day,
                "state": state,
                "done_date": f"{day} 10:00:00" if state == "done" else False,
                "move_line_ids": [Command.set(cls._receivable_items(invoice).ids)],
            }
        )

    @classmethod
    def _pay_on(cls, invoice, day):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day})._create_payments()

    def setUp(self):
        super().setUp()
        with freeze_time(TODAY):
            self._dispute_invoice(self.disputed, 500)
            self._refresh()

    def _refresh(self, day=TODAY):
        with freeze_time(day):
            self.Action._refresh_recovery(self.company)

    def _agenda(self):
        """The actions to do in the agenda list's own default order."""
        view = self.env.ref("credit_collection.credit_collection_action_view_list")
        order = etree.fromstring(view.arch).get("default_order")
        return self.Action.search(
            [("state", "=", "todo"), ("id", "in", [a.id for a in self.todo.values()])],
            order=order,
        )

    def test_a_reliable_late_payer_outranks_an_erratic_one(self):
        reliable, erratic = self.todo[self.reliable], self.todo[self.erratic]
        self.assertAlmostEqual(reliable.recovery_response_rate, 89.3)
        self.assertAlmostEqual(erratic.recovery_response_rate, 60.7)
        self.assertEqual(reliable.expected_recovery, 892.86)
        self.assertEqual(erratic.expected_recovery, 607.14)
        self.assertEqual(reliable.recovery_self_pay_rate, 0.0)
        self.assertEqual(
            self._agenda().partner_id[:4],
            self.reliable | self.thin | self.erratic | self.netted,
        )

    def test_list_and_kanban_open_in_that_order(self):
        for xmlid in ("view_list", "view_kanban"):
            view = self.env.ref(f"credit_collection.credit_collection_action_{xmlid}")
            self.assertTrue(
                etree.fromstring(view.arch)
                .get("default_order", "")
                .startswith("expected_recovery desc"),
                xmlid,
            )

    def test_the_reason_says_why_in_the_users_words(self):
        reliable = self.todo[self.reliable].with_context(lang="en_US")
        self.assertEqual(
            reliable.recovery_reason,
            "$\xa01,000.00 to collect; pays 25 days late on average; 89 % paid "
            "within 30 days after a call at this stage; from its own record "
            "of 4 actions and promises.",
        )
        self.assertIn(
            "pays 47 days late on average", self.todo[self.erratic].recovery_reason
        )
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], ["fr_FR"], overwrite=True
        )
        french = self.todo[self.reliable].with_context(lang="fr_FR")
        self.assertIn(
            "paie avec 25 jours de retard en moyenne; 89 % payé sous 30 jours "
            "après un appel à ce stade",
            french.recovery_reason,
        )

    def test_a_customer_without_history_is_scored_as_its_profile(self):
        thin = self.todo[self.thin]
        self.assertEqual(thin.recovery_evidence, 0)
        self.assertAlmostEqual(thin.recovery_response_rate, 75.0)
        self.assertEqual(thin.expected_recovery, 750.0)
        self.assertIn("from its payer profile", thin.recovery_reason)

    def test_credit_notes_and_disputed_amounts_are_not_recoverable(self):
        netted = self.todo[self.netted]
        self.assertEqual(netted.recoverable_amount, 700.0)
        self.assertEqual(netted.expected_recovery, 525.0)

    def test_a_payment_a_dispute_or_a_broken_promise_scores_again(self):
        netted, thin = self.todo[self.netted], self.todo[self.thin]
        with freeze_time(TODAY):
            self._pay(self.now[self.netted], amount=400)
        self.assertEqual(netted.recoverable_amount, 300.0)
        with freeze_time(TODAY):
            self._dispute_invoice(self.now[self.netted], 600)
        self.assertEqual(netted.expected_recovery, 0.0)
        self.assertEqual(
            netted.recovery_reason,
            "Nothing left to collect: paid, credited or disputed.",
        )
        with freeze_time(TODAY):
            promise = self.env["credit.collection.promise"].create(
                {
                    "partner_id": self.thin.id,
                    "date": TODAY + timedelta(days=1),
                    "amount": 500,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.now[self.thin]).ids)
                    ],
                }
            )
        with freeze_time(TODAY + timedelta(days=2)):
            promise._break(TODAY + timedelta(days=2))
        # One promise broken: 75 % x (0 + 2.25) / (0.75 + 2.25).
        self.assertEqual(thin.recovery_evidence, 1)
        self.assertAlmostEqual(thin.recovery_response_rate, 56.25, delta=0.05)

    def test_an_action_done_leaves_the_order(self):
        reliable = self.todo[self.reliable]
        reliable.action_done()
        self.assertEqual(reliable.expected_recovery, 0.0)
        self.assertFalse(reliable.recovery_reason)

    def test_scoring_takes_the_same_queries_whatever_the_agenda_size(self):
        def queries():
            self.env.flush_all()
            before = self.env.cr.sql_log_count
            self._refresh()
            return self.env.cr.sql_log_count - before

        few = queries()
        for index in range(12):
            customer = self._customer(f"More {index}", payer_profile="bad")
            self._action(
                customer,
                self._post_invoice(customer, 100 + index, due=NOW_DUE),
                TODAY,
            )
        self.assertEqual(queries(), few)
        self.assertEqual(self.Action.search_count([("state", "=", "todo")]), 16)

    def test_history_stays_in_its_company_and_amounts_in_its_currency(self):
        europe = self._euro_company("Recovery Europe")
        customer = self._customer("Abroad", payer_profile="negligent")
        invoice = self._post_invoice(customer, 800, due=NOW_DUE, company=europe)
        action = self.Action.with_company(europe).create(
            {
                "partner_id": customer.id,
                "company_id": europe.id,
                "channel": "phone",
                "date": TODAY,
                "move_line_ids": [Command.set(self._receivable_items(invoice).ids)],
            }
        )
        with freeze_time(TODAY):
            self.Action._refresh_recovery(europe)
        # No history in that company: an even chance, not this one's 75 %.
        self.assertAlmostEqual(action.recovery_response_rate, 50.0)
        self.assertEqual(action.expected_recovery, 400.0)
        # An invoice in another currency counts in the company's.
        chf = self.setup_other_currency("CHF", rates=[("2025-01-01", 2.0)])
        foreign = self._post_invoice(self.thin, 1000, due=NOW_DUE, currency=chf)
        self.todo[self.thin].move_line_ids = [
            Command.link(self._receivable_items(foreign).id)
        ]
        self._refresh()
        self.assertEqual(self.todo[self.thin].recoverable_amount, 1500.0)


@tagged("post_install", "-at_install")
class TestRunScoresItsAgenda(CollectionRunCommon):
    def test_the_daily_run_has_the_actions_it_plans_scored(self):
        customer = self._customer("Scored")
        self._invoice_days_late(customer, 1000, 25)
        order = self.env.ref("credit_collection.ir_cron_collection_order")
        self._run()
        # The run ends by starting the scheduled ordering of the agenda.
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", order.id)])
        )
        action = self._actions(customer)
        self.assertEqual(action.expected_recovery, 0.0)
        with freeze_time(TODAY):
            order.method_direct_trigger()
        self.assertEqual(action.channel, "phone")
        # A company without history: an even chance that a call brings it in.
        self.assertEqual(action.recoverable_amount, 1000.0)
        self.assertEqual(action.expected_recovery, 500.0)
        self.assertEqual(action.days_overdue, 25)

    def test_the_agendas_are_ordered_with_the_long_lived_heap_frozen(self):
        customer = self._customer("Ordered frozen")
        self._invoice_days_late(customer, 1000, 25)
        self._run()
        Action = type(self.Action)
        order, frozen = Action._recovery_actions, []

        def recording(model, company, partner_ids):
            frozen.append(gc.get_freeze_count())
            return order(model, company, partner_ids)

        self.patch(Action, "_recovery_actions", recording)
        self.assertEqual(gc.get_freeze_count(), 0)
        with freeze_time(TODAY):
            self.Action._cron_refresh_recovery()
        self.assertTrue(frozen)
        self.assertTrue(all(frozen))
        self.assertEqual(gc.get_freeze_count(), 0)
        self.assertEqual(self._actions(customer).expected_recovery, 500.0)

    def test_one_company_failing_leaves_the_others_ordered(self):
        europe = self._euro_company("Ordering Europe")
        customer = self._customer("Ordered")
        self._invoice_days_late(customer, 1000, 25)
        self._run()
        Action = type(self.Action)
        order = Action._recovery_actions

        def fails_in_europe(model, company, partner_ids):
            if company == europe:
                raise ValueError("A broken ledger")
            return order(model, company, partner_ids)

        self.patch(Action, "_recovery_actions", fails_in_europe)
        with (
            freeze_time(TODAY),
            self.assertLogs(
                "odoo.addons.credit_collection.models.credit_collection_action_recovery",
                "ERROR",
            ),
        ):
            self.Action._cron_refresh_recovery()
        self.assertEqual(self._actions(customer).expected_recovery, 500.0)
