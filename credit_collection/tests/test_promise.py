from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestPromise(CollectionRunCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Promise = cls.env["credit.collection.promise"]
        cls.customer = cls._customer("Promising")
        # 10 days late: level 1 (5 days), level 2 falls due in 10 days.
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 10)
        cls.items = cls._receivable_items(cls.invoice)

    def _promise(self, amount=1000, date=None, items=None, **vals):
        with freeze_time(TODAY):
            return self.Promise.create(
                {
                    "partner_id": self.customer.id,
                    "date": date or TODAY + timedelta(days=5),
                    "amount": amount,
                    "move_line_ids": [Command.set((items or self.items).ids)],
                    **vals,
                }
            )

    def _check(self, day):
        with freeze_time(day):
            return self.Promise._check_due_promises(self.company)

    # Validation -------------------------------------------------------

    def test_bad_promises_are_refused_with_their_reason(self):
        cases = [
            ({"amount": 1500}, "only owe"),
            ({"date": TODAY - timedelta(days=1)}, "in the past"),
            (
                {
                    "items": self._receivable_items(
                        self._invoice_days_late(self._customer("Other"), 300, 3)
                    )
                },
                "not receivable items of Promising",
            ),
        ]
        for vals, message in cases:
            with (
                self.subTest(message=message),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self._promise(**vals)
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            self._promise(amount=0)
        self._pay(self.invoice)
        with self.assertRaisesRegex(ValidationError, "already paid"):
            self._promise()

    def test_the_promise_keeps_what_was_due_and_marks_the_invoice(self):
        self._pay(self.invoice, amount=200)
        promise = self._promise(amount=800)
        self.assertEqual(promise.amount_due_at_promise, 800)
        self.assertEqual(promise.amount_paid, 0)
        self.assertEqual(self.invoice.collection_status, "promised")
        self.assertEqual(self.invoice.collection_promise_ids, promise)
        self.assertIn("Promising", promise.name)

    # The daily check --------------------------------------------------

    def test_paid_in_full_before_the_date_is_kept(self):
        promise = self._promise(date=TODAY + timedelta(days=5))
        self._pay(self.invoice, TODAY + timedelta(days=2))
        self._check(TODAY + timedelta(days=2))
        self.assertRecordValues(
            promise,
            [
                {
                    "state": "kept",
                    "closed_date": TODAY + timedelta(days=2),
                    "amount_kept": 1000,
                }
            ],
        )
        self.assertEqual(self.invoice.collection_status, "normal")

    def test_not_paid_by_the_date_is_broken_and_the_collector_is_told(self):
        promise = self._promise(
            date=TODAY + timedelta(days=5), user_id=self.env.user.id
        )
        # On the promised day it is still open: the customer has the day.
        self.assertFalse(self._check(TODAY + timedelta(days=5)))
        self.assertEqual(promise.state, "open")
        broken = self._check(TODAY + timedelta(days=6))
        self.assertEqual(broken, promise)
        self.assertRecordValues(
            promise, [{"state": "broken", "amount_kept": 0, "escalated": False}]
        )
        activity = promise.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.user_id, self.env.user)
        self.assertIn("Broken promise", activity.summary)
        self.assertIn("Nothing was paid", promise.message_ids[0].body)
        self.assertEqual(self.invoice.collection_status, "normal")

    def test_partial_payment_is_kept_for_the_paid_part_broken_for_the_rest(self):
        promise = self._promise(amount=600)
        self._pay(self.invoice, TODAY + timedelta(days=3), amount=250)
        self._check(TODAY + timedelta(days=6))
        self.assertRecordValues(
            promise, [{"state": "broken", "amount_paid": 250, "amount_kept": 250}]
        )
        body = promise.message_ids[0].body
        self.assertIn("Kept for", body)
        self.assertIn("broken for", body)

    def test_payment_between_the_run_and_the_check_keeps_the_promise(self):
        promise = self._promise(date=TODAY + timedelta(days=1))
        self._run(TODAY + timedelta(days=1))
        # Paid the evening after the run, before the next morning's run.
        self._pay(self.invoice, TODAY + timedelta(days=1))
        self._run(TODAY + timedelta(days=2))
        self.assertEqual(promise.state, "kept")
        self.assertFalse(self._actions(self.customer))

    def test_cancelled_promise_lets_dunning_resume(self):
        promise = self._promise()
        promise.action_cancel()
        self.assertEqual(promise.state, "cancelled")
        self.assertEqual(self.invoice.collection_status, "normal")
        with self.assertRaisesRegex(ValidationError, "Only an open promise"):
            promise.action_cancel()
        self._run()
        self.assertEqual(self._actions(self.customer).stage_id, self.stages["level_1"])

    def test_open_promise_edits_are_checked_again(self):
        promise = self._promise(amount=1000)
        with self.assertRaisesRegex(ValidationError, "only owe"):
            promise.amount = 1001
        other = self._receivable_items(self._invoice_days_late(self.customer, 50, 2))
        with freeze_time(TODAY):
            promise.move_line_ids = [Command.link(other.id)]
        self.assertEqual(promise.amount_due_at_promise, 1050)
        promise.amount = 1050
        with freeze_time(TODAY), self.assertRaisesRegex(ValidationError, "only owe"):
            promise.move_line_ids = [Command.unlink(other.id)]

    def test_closed_promise_items_cannot_change(self):
        promise = self._promise()
        promise.action_cancel()
        other = self._receivable_items(self._invoice_days_late(self.customer, 50, 2))
        with self.assertRaisesRegex(ValidationError, "evidence"):
            promise.move_line_ids = [Command.link(other.id)]

    # The run ----------------------------------------------------------

    def test_open_promise_suspends_its_items_only(self):
        other = self._invoice_days_late(self.customer, 400, 25)
        self._promise(amount=500)
        self._run()
        action = self._actions(self.customer)
        # The promised invoice waits; the other one (level 2) is chased.
        self.assertEqual(action.stage_id, self.stages["level_2"])
        self.assertEqual(action.move_line_ids, self._receivable_items(other))
        self.assertEqual(action.amount_due, 400)
        self.assertFalse(self.items.collection_stage_id)

    def test_broken_promise_escalates_at_the_next_run_interval_ignored(self):
        self._run()
        first = self._actions(self.customer)
        self.assertEqual(first.stage_id, self.stages["level_1"])
        promise = self._promise(date=TODAY + timedelta(days=1))
        # Two days later the promise is broken: the run checks it first, then
        # asks the next stage at once, although level 2 is 8 days away and
        # the scenario's 3-day interval has not passed.
        day = TODAY + timedelta(days=2)
        run = self._run(day)
        self.assertEqual(promise.state, "broken")
        action = run.action_ids
        self.assertRecordValues(
            action,
            [{"partner_id": self.customer.id, "stage_id": self.stages["level_2"].id}],
        )
        self.assertEqual(self.items.collection_stage_id, self.stages["level_2"])
        self.assertTrue(promise.escalated)
        # Escalated once: the next day nothing more happens.
        self.assertFalse(self._run(day + timedelta(days=1)).action_ids)

    def test_broken_promises_feed_the_suggested_profile(self):
        self._promise(date=TODAY + timedelta(days=1))
        self._check(TODAY + timedelta(days=2))
        Advisor = self.env["credit.collection.profile.advisor"]
        with freeze_time(TODAY + timedelta(days=2)):
            closed = Advisor._closed_promises(
                self.company, [self.customer.id], TODAY + timedelta(days=2)
            )
        self.assertEqual(closed, {self.customer.id: {"kept": 0, "broken": 1}})

    # From the agenda ---------------------------------------------------

    def test_promise_from_an_action_defaults_to_its_customer_and_items(self):
        other = self._invoice_days_late(self.customer, 300, 25)
        self._run()
        action = self._actions(self.customer)
        with freeze_time(TODAY):
            form = Form(
                self.Promise.with_context(**action.action_new_promise()["context"])
            )
            form.date = TODAY + timedelta(days=7)
            promise = form.save()
        self.assertRecordValues(
            promise,
            [
                {
                    "partner_id": self.customer.id,
                    "action_id": action.id,
                    "source": "phone",
                    "amount": 1300,
                }
            ],
        )
        self.assertEqual(
            promise.move_line_ids, self.items | self._receivable_items(other)
        )

    # Access ------------------------------------------------------------

    def test_collectors_record_promises_of_their_companies_only(self):
        collector = self._collector_user("promise-collector")
        promise = self._promise()
        self.assertEqual(
            promise.with_user(collector).read(["state"])[0]["state"], "open"
        )
        with self.assertRaises(AccessError):
            promise.with_user(collector).unlink()
        other_company = self.setup_other_company()["company"]
        outsider = self._user(
            "promise-outsider",
            "credit_collection.group_credit_collection_user",
            other_company,
        )
        self.assertFalse(self.Promise.with_user(outsider).search([]))
