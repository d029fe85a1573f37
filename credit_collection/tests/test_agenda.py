from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestAgenda(CollectionRunCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._collector_user("agenda-collector")
        cls.manager = cls._user(
            "agenda-manager",
            "account.group_account_manager,"
            "credit_collection.group_credit_collection_manager",
        )
        cls.customer = cls._customer("Callable")
        cls.customer.with_company(cls.company).collection_user_id = cls.collector
        # 25 days late: level 2, a phone call on the collector's agenda.
        cls._invoice_days_late(cls.customer, 900, 25)

    def _call(self):
        self._run()
        action = self._actions(self.customer)
        self.assertRecordValues(
            action,
            [{"channel": "phone", "state": "todo", "user_id": self.collector.id}],
        )
        return action

    # Evidence ----------------------------------------------------------

    def test_done_action_is_evidence_for_users_and_managers(self):
        action = self._call()
        with freeze_time(TODAY):
            action.with_user(self.collector).action_done()
        self.assertRecordValues(
            action, [{"state": "done", "done_user_id": self.collector.id}]
        )
        for user in (self.collector, self.manager):
            with self.subTest(user=user.login):
                as_user = action.with_user(user)
                with self.assertRaisesRegex(
                    UserError, "evidence and cannot be changed"
                ):
                    as_user.write({"amount_due": 1})
                with self.assertRaisesRegex(
                    UserError, "evidence and cannot be changed"
                ):
                    as_user.state = "todo"
                with self.assertRaisesRegex(UserError, "cannot be deleted"):
                    as_user.unlink()
        # Even the superuser cannot rewrite history.
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            action.sudo().date = TODAY + timedelta(days=1)
        self.assertEqual(action.amount_due, 900)

    def test_done_action_takes_notes_with_author_and_time(self):
        action = self._call()
        action.action_done()
        with freeze_time("2026-03-12 09:30:00"):
            action.with_user(self.collector).write(
                {"note_ids": [Command.create({"body": "Customer called back."})]}
            )
        note = action.note_ids
        self.assertRecordValues(
            note,
            [{"body": "Customer called back.", "author_id": self.collector.id}],
        )
        self.assertEqual(str(note.date), "2026-03-12 09:30:00")
        # Chatter messages still go to a done action.
        action.message_post(body="Letter received back")
        # A note is written once.
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            note.with_user(self.manager).body = "Edited"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            note.with_user(self.manager).unlink()
        # Its author is the one who wrote it, whatever is claimed.
        action.write(
            {
                "note_ids": [
                    Command.create({"body": "By me", "author_id": self.manager.id})
                ]
            }
        )
        self.assertEqual(action.note_ids[-1].author_id, self.env.user)

    def test_marking_the_activity_done_marks_the_action_done(self):
        action = self._call()
        activity = action.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        activity.with_user(self.collector).action_feedback(feedback="Promised Friday")
        self.assertEqual(action.state, "done")
        self.assertFalse(action.activity_ids)

    def test_mark_done_and_cancel_only_from_the_right_states(self):
        action = self._call()
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertFalse(action.activity_ids)
        with self.assertRaisesRegex(UserError, "Only actions to do can be marked"):
            action.action_done()
        with self.assertRaisesRegex(UserError, "Only actions to do or failed"):
            action.action_cancel()

    def test_other_companies_notes_stay_hidden(self):
        action = self._call()
        action.write({"note_ids": [Command.create({"body": "Internal"})]})
        other = self.setup_other_company()["company"]
        outsider = self._user(
            "agenda-outsider", "credit_collection.group_credit_collection_user", other
        )
        with self.assertRaises(AccessError):
            action.note_ids.with_user(outsider).read(["body"])

    # The agenda --------------------------------------------------------

    def test_date_buckets_follow_the_days(self):
        action = self._call()
        self.assertEqual(action.date_bucket, "today")
        Action = self.Action
        cases = [
            (TODAY + timedelta(days=1), "this_week"),  # Thursday
            (TODAY + timedelta(days=4), "this_week"),  # Sunday
            (TODAY + timedelta(days=5), "later"),  # next Monday
            (TODAY - timedelta(days=1), "overdue"),
        ]
        for day, bucket in cases:
            self.assertEqual(Action._bucket_of(day, "todo", TODAY), bucket, day)
        self.assertFalse(Action._bucket_of(TODAY, "done", TODAY))
        # Each morning's run moves the agenda on: yesterday's call is overdue.
        self._run(TODAY + timedelta(days=1))
        self.assertEqual(action.date_bucket, "overdue")
        groups = Action.read_group(
            [("partner_id", "=", self.customer.id)], ["amount_due:sum"], ["date_bucket"]
        )
        self.assertEqual(
            [(g["date_bucket"], g["amount_due"]) for g in groups], [("overdue", 900)]
        )

    def test_a_bucket_that_stays_is_not_rewritten(self):
        """A second run the same day rewrites no action: each row keeps its
        version (its ``ctid``) unless its bucket moves."""
        action = self._call()
        self.env.flush_all()

        def version():
            return self.env.execute_query(
                SQL(
                    "SELECT ctid::text FROM credit_collection_action WHERE id = %s",
                    action.id,
                )
            )[0][0]

        before = version()
        with freeze_time(TODAY):
            self.Action._refresh_date_buckets(self.company)
        self.assertEqual(version(), before)
        with freeze_time(TODAY + timedelta(days=1)):
            self.Action._refresh_date_buckets(self.company)
        self.assertNotEqual(version(), before)
        self.assertEqual(action.date_bucket, "overdue")

    def test_my_actions_today_is_the_default_and_views_load(self):
        self._call()
        window = self.env.ref("credit_collection.credit_collection_action_action")
        self.assertIn("search_default_my_today", window.context)
        for view_type in ("list", "kanban", "calendar", "activity", "form"):
            self.assertIn(view_type, window.view_mode)
            self.Action.get_view(view_type=view_type)
        search = self.Action.get_view(view_type="search")["arch"]
        for name in ("my_today", "overdue", "this_week", "payer_profile", "channel"):
            self.assertIn(name, search)
        with freeze_time(TODAY):
            mine_today = self.Action.with_user(self.collector).search(
                [
                    ("user_id", "=", self.collector.id),
                    ("state", "=", "todo"),
                    ("date", "<=", TODAY),
                ]
            )
        self.assertEqual(mine_today, self._actions(self.customer))
        self.assertEqual(
            self.Action.search(
                [("payer_profile", "=", False), ("id", "in", mine_today.ids)]
            ),
            mine_today,
        )

    def test_open_customer_and_form_show_evidence_state(self):
        action = self._call()
        opened = action.action_open_customer()
        self.assertEqual(
            (opened["res_model"], opened["res_id"]), ("res.partner", self.customer.id)
        )
        action.action_done()
        with Form(action) as form:
            self.assertTrue(form._get_modifier("amount_due", "readonly"))
