from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestPaymentPlan(CollectionRunCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Plan = cls.env["credit.collection.plan"]
        cls.company.write(
            {
                "credit_collection_plan_down_payment": 20,
                "credit_collection_plan_approval_amount": 5000,
            }
        )
        cls.collector = cls._collector_user("plan-collector")
        cls.manager = cls._user(
            "plan-manager",
            "account.group_account_invoice,"
            "credit_collection.group_credit_collection_manager",
        )
        cls.customer = cls._customer("Struggling")
        # 25 days late: level 2.
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 25)
        cls.items = cls._receivable_items(cls.invoice)

    def _plan(self, user=None, **vals):
        with freeze_time(TODAY):
            plan = (
                self.Plan.with_user(user or self.collector)
                .create(
                    {
                        "partner_id": self.customer.id,
                        "move_line_ids": [Command.set(self.items.ids)],
                        "instalment_count": 3,
                        "frequency": "monthly",
                        "first_date": date(2026, 4, 11),
                        **vals,
                    }
                )
                .sudo(False)
            )
            plan.action_generate_lines()
            return plan

    def _confirm(self, plan):
        with freeze_time(TODAY):
            plan.action_confirm()

    def _check(self, day):
        with freeze_time(day):
            self.Plan._check_running_plans(self.company)

    def test_schedule_down_payment_then_instalments(self):
        plan = self._plan()
        self.assertEqual(plan.amount_total, 1000)
        self.assertEqual(plan.down_payment_amount, 200)
        self.assertEqual(
            [(line.name, line.date, line.amount) for line in plan.line_ids],
            [
                ("Down payment", TODAY, 200),
                ("Instalment 1", date(2026, 4, 11), 266.67),
                ("Instalment 2", date(2026, 5, 11), 266.67),
                ("Instalment 3", date(2026, 6, 11), 266.66),
            ],
        )
        weekly = self._plan(frequency="weekly", down_payment_percent=0)
        self.assertEqual(
            weekly.line_ids.mapped("date"),
            [date(2026, 4, 11), date(2026, 4, 18), date(2026, 4, 25)],
        )

    def test_draft_plan_takes_the_new_total_of_its_items(self):
        plan = self._plan()
        more = self._receivable_items(self._invoice_days_late(self.customer, 500, 2))
        plan.move_line_ids = [Command.link(more.id)]
        self.assertEqual(plan.amount_total, 1500)
        # The schedule made for 1000 no longer adds up.
        with self.assertRaisesRegex(UserError, "add up to"):
            self._confirm(plan)
        stranger = self._receivable_items(
            self._invoice_days_late(self._customer("Bystander"), 100, 3)
        )
        with self.assertRaisesRegex(ValidationError, "not receivable items"):
            plan.move_line_ids = [Command.link(stranger.id)]

    def test_schedule_is_checked_before_confirming(self):
        plan = self._plan()
        plan.line_ids[-1].amount = 100
        with self.assertRaisesRegex(UserError, "add up to"):
            self._confirm(plan)
        with freeze_time(TODAY):
            plan.action_generate_lines()
        plan.line_ids[0].amount = 100
        plan.line_ids[1].amount = 366.67
        with self.assertRaisesRegex(UserError, "below the required down payment"):
            self._confirm(plan)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            plan.down_payment_percent = 120
        self._pay(self.invoice)
        with self.assertRaisesRegex(ValidationError, "already paid"):
            self._plan()

    def test_small_plan_runs_at_once_and_holds_back_dunning(self):
        plan = self._plan()
        self._confirm(plan)
        self.assertEqual(plan.state, "active")
        # The schedule is confirmed in writing.
        confirmation = plan.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(confirmation.partner_ids, self.customer)
        self.assertIn("Instalment 3", str(confirmation.body))
        self.assertIn("your payment plan", confirmation.subject)
        self.assertEqual(self.invoice.collection_status, "payment_plan")
        self.assertEqual(self.invoice.collection_plan_ids, plan)
        run = self._run()
        self.assertFalse(self._actions(self.customer))
        self.assertEqual(run.skip_stats, {"nothing_owed": 1})
        with self.assertRaisesRegex(ValidationError, "keeps its schedule"):
            plan.line_ids[0].amount = 10

    def test_plan_above_the_threshold_waits_for_a_manager(self):
        big = self._invoice_days_late(self.customer, 6000, 25)
        plan = self._plan(move_line_ids=[Command.set(self._receivable_items(big).ids)])
        self._confirm(plan)
        self.assertEqual(plan.state, "to_approve")
        self.assertIn(self.manager, plan.activity_ids.user_id)
        # It already holds back the dunning of its invoice.
        self.assertEqual(big.collection_status, "payment_plan")
        with self.assertRaisesRegex(AccessError, "Only a Collections manager"):
            plan.with_user(self.collector).action_approve()
        plan.with_user(self.manager).action_approve()
        self.assertRecordValues(
            plan, [{"state": "active", "approved_by_id": self.manager.id}]
        )
        # A manager's own plan needs no second approval.
        other = self._plan(
            user=self.manager,
            move_line_ids=[
                Command.set(
                    self._receivable_items(
                        self._invoice_days_late(self.customer, 7000, 10)
                    ).ids
                )
            ],
        )
        self._confirm(other.with_user(self.manager))
        self.assertEqual(other.state, "active")

    def test_payments_are_matched_to_instalments_in_order(self):
        plan = self._plan()
        self._confirm(plan)
        self._pay(self.invoice, TODAY, amount=300)
        with freeze_time(TODAY):
            plan.line_ids.invalidate_recordset()
            self.assertEqual(
                [(line.amount_paid, line.state) for line in plan.line_ids],
                [(200, "paid"), (100, "pending"), (0, "pending"), (0, "pending")],
            )

    def test_missed_instalment_breaks_the_plan_and_escalates(self):
        plan = self._plan()
        self._confirm(plan)
        self._pay(self.invoice, TODAY, amount=200)
        self._check(date(2026, 4, 11))
        self.assertEqual(plan.state, "active")
        # The first instalment is not paid by the next day: broken.
        day = date(2026, 4, 12)
        run = self._run(day)
        self.assertEqual(plan.state, "broken")
        self.assertIn("Instalment 1", plan.message_ids[0].body)
        self.assertEqual(
            plan.activity_ids.activity_type_id,
            self.env.ref("mail.mail_activity_data_call"),
        )
        self.assertEqual(self.invoice.collection_status, "normal")
        # Dunning resumes with the escalation: 57 days late would be level 3
        # anyway; the item had no stage yet, so the run asks level 3 and the
        # plan is marked escalated.
        self.assertEqual(run.action_ids.partner_id, self.customer)
        self.assertTrue(plan.escalated)

    def test_broken_plan_escalates_past_the_interval(self):
        self._run()
        first = self._actions(self.customer)
        self.assertEqual(first.stage_id, self.stages["level_2"])
        first.action_done()
        plan = self._plan()
        self._confirm(plan)
        # Nothing paid: the down payment due today is missed tomorrow.
        run = self._run(TODAY + timedelta(days=1))
        self.assertEqual(plan.state, "broken")
        self.assertEqual(run.action_ids.stage_id, self.stages["level_3"])

    def test_completed_plan_closes_itself(self):
        plan = self._plan()
        self._confirm(plan)
        self._pay(self.invoice, TODAY)
        self._check(TODAY + timedelta(days=1))
        self.assertRecordValues(
            plan, [{"state": "completed", "closed_date": TODAY + timedelta(days=1)}]
        )
        self.assertEqual(self.invoice.collection_status, "normal")

    def test_cancel(self):
        plan = self._plan()
        self._confirm(plan)
        plan.action_cancel()
        self.assertEqual(
            (plan.state, self.invoice.collection_status), ("cancelled", "normal")
        )
        with self.assertRaisesRegex(UserError, "closed plan cannot be cancelled"):
            plan.action_cancel()

    def test_confirmation_needs_an_address_unless_declined(self):
        self.customer.email = False
        plan = self._plan()
        with self.assertRaisesRegex(UserError, "No email address to confirm"):
            self._confirm(plan)
        plan.send_confirmation = False
        self._confirm(plan)
        self.assertEqual(plan.state, "active")
