import gc
from datetime import date, datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestCollectionRun(CollectionRunCommon):
    def test_pre_dunning_before_the_due_date_is_emailed_at_once(self):
        customer = self._customer("Early Bird")
        invoice = self._invoice_days_late(customer, 800, -5)
        run = self._run()
        action = self._actions(customer)
        self.assertRecordValues(
            action,
            [
                {
                    "stage_id": self.stages["pre_dunning"].id,
                    "channel": "email",
                    "auto": True,
                    "state": "done",
                    "date": TODAY,
                    "run_id": run.id,
                    "amount_due": 800,
                    "amount_overdue": 0,
                }
            ],
        )
        self.assertEqual(action.move_line_ids, self._receivable_items(invoice))
        # The reminder is in the action's thread and waits in the mail queue.
        message = action.mail_message_id
        self.assertIn("upcoming due date", message.subject)
        self.assertIn(invoice.name, str(message.body))
        self.assertEqual(message.partner_ids, customer)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(invoice.collection_stage_id, self.stages["pre_dunning"])
        self.assertEqual(
            self._receivable_items(invoice).collection_stage_id,
            self.stages["pre_dunning"],
        )
        # Level 1 falls due 5 days after the due date, 10 days from now.
        self.assertEqual(invoice.collection_next_date, TODAY + timedelta(days=10))
        self.assertEqual((run.state, run.action_count, run.sent_count), ("done", 1, 1))

    def test_the_run_advances_invoices_without_rewriting_them(self):
        """The invoice's stage and next date are upserted beside it: the run
        updates no row of account_move (nor of account_move_line), whose
        every update goes through thirty indexes."""
        customer = self._customer("Wide Rows")
        invoices = self._invoice_days_late(customer, 800, 25) | self._invoice_days_late(
            customer, 300, 6
        )
        self.env.flush_all()

        def updates():
            self.env.cr.execute(
                "SELECT relname, n_tup_upd FROM pg_stat_xact_user_tables "
                "WHERE relname IN ('account_move', 'account_move_line')"
            )
            return dict(self.env.cr.fetchall())

        before = updates()
        self._run(send=False)
        self.env.flush_all()
        self.assertEqual(updates(), before)
        self.assertEqual(invoices.mapped("collection_level"), ["level_2", "level_1"])
        self.assertEqual(len(invoices.collection_invoice_state_ids), 2)

    def test_each_level_starts_at_its_threshold(self):
        cases = [
            (-6, None),
            (-5, "pre_dunning"),
            (4, "pre_dunning"),
            (5, "level_1"),
            (19, "level_1"),
            (20, "level_2"),
            (40, "level_3"),
            (60, "litigation"),
        ]
        customers = {}
        for days_late, _level in cases:
            customer = self._customer(f"Late {days_late}")
            self._invoice_days_late(customer, 1000, days_late)
            customers[days_late] = customer
        self._run()
        for days_late, level in cases:
            with self.subTest(days_late=days_late):
                action = self._actions(customers[days_late])
                if level is None:
                    self.assertFalse(action)
                else:
                    self.assertEqual(action.stage_id, self.stages[level])

    def test_reaching_the_litigation_stage_sends_the_final_letter(self):
        customer = self._customer("To the lawyers")
        invoice = self._invoice_days_late(customer, 1000, 60)
        self._run()
        action = self._actions(customer)
        self.assertEqual(action.stage_id, self.stages["litigation"])
        self.assertEqual(invoice.collection_level, "litigation")
        # Litigation status comes with the hand-over (test_litigation).
        self.assertEqual(invoice.collection_status, "normal")
        # The invoice's panel shows the letter to send as its next action.
        self.assertEqual(invoice.collection_action_id, action)
        action.action_done()
        invoice.invalidate_recordset(["collection_action_id"])
        self.assertFalse(invoice.collection_action_id)
        # The last stage reached, nothing more is proposed.
        self._run(TODAY + timedelta(days=30))
        self.assertEqual(len(self._actions(customer)), 1)

    def test_stage_minimum_amount_is_skipped_below_it(self):
        small, large = self._customer("Small debt"), self._customer("Large debt")
        self._invoice_days_late(small, 300, 45)
        self._invoice_days_late(large, 300, 45)
        self._invoice_days_late(large, 300, 41)
        self._run()
        # Level 3 asks for 500 at least: 300 stays at level 2.
        self.assertEqual(self._actions(small).stage_id, self.stages["level_2"])
        self.assertEqual(self._actions(large).stage_id, self.stages["level_3"])

    def test_one_action_per_customer_with_items_at_every_stage(self):
        customer = self._customer("Many invoices")
        invoices = [
            self._invoice_days_late(customer, 100 * (n + 1), days)
            for n, days in enumerate((-5, 6, 25, 31))
        ]
        credit_note = self._post_invoice(
            customer, 50, invoice_date=TODAY - timedelta(days=3), move_type="out_refund"
        )
        self._run()
        action = self._actions(customer)
        self.assertEqual(len(action), 1)
        self.assertEqual(action.stage_id, self.stages["level_2"])
        self.assertEqual(action.channel, "phone")
        self.assertEqual(
            action.move_line_ids,
            self._receivable_items(
                credit_note + sum(invoices, self.env["account.move"])
            ),
        )
        self.assertEqual(action.amount_due, 100 + 200 + 300 + 400 - 50)
        self.assertEqual(action.amount_overdue, 200 + 300 + 400)
        # Each invoice is labelled with the stage it reached, not the action's.
        self.assertEqual(
            [invoice.collection_stage_id.level for invoice in invoices],
            ["pre_dunning", "level_1", "level_2", "level_2"],
        )
        self.assertFalse(credit_note.collection_stage_id)
        # A manual stage goes on the collector's agenda.
        self.assertEqual(action.state, "todo")
        activity = action.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertEqual(activity.date_deadline, TODAY)

    def test_minimum_interval_between_two_actions(self):
        customer = self._customer("Interval")
        self._invoice_days_late(customer, 1000, 3)
        self._run()
        first = self._actions(customer)
        self.assertEqual(first.stage_id, self.stages["pre_dunning"])
        # Two days later level 1 is due, but the scenario waits three days.
        self._run(TODAY + timedelta(days=2))
        self.assertEqual(self._actions(customer), first)
        self._run(TODAY + timedelta(days=3))
        second = self._actions(customer) - first
        self.assertEqual(second.stage_id, self.stages["level_1"])

    def test_customers_left_alone(self):
        excluded = self._customer("Excluded")
        excluded.with_company(self.company).collection_excluded = True
        good = self._customer("Good payer")
        good.with_company(self.company).payer_profile = "good"
        zero = self._customer("Nothing owed")
        credit_only = self._customer("Credit only")
        disputed = self._customer("Disputed")
        for customer in excluded | good | zero | disputed:
            invoice = self._invoice_days_late(customer, 500, 25)
        self._dispute_invoice(invoice, 500)
        self._post_invoice(
            zero, 500, invoice_date=TODAY - timedelta(days=5), move_type="out_refund"
        )
        self._post_invoice(
            credit_only,
            200,
            invoice_date=TODAY - timedelta(days=5),
            move_type="out_refund",
        )
        run = self._run()
        self.assertFalse(self._actions(excluded | good | zero | credit_only | disputed))
        self.assertEqual(
            run.skip_stats,
            {"excluded": 1, "good_payer": 1, "nothing_owed": 3},
        )
        self.assertEqual(run.customer_count, 5)

    def test_foreign_currency_items_count_in_company_currency(self):
        other = self.setup_other_currency("EUR", rates=[("2016-01-01", 2.0)])
        customer = self._customer("Abroad in euros")
        invoice = self._invoice_days_late(customer, 1000, 25, currency=other)
        self._run()
        action = self._actions(customer)
        self.assertEqual(action.stage_id, self.stages["level_2"])
        # 1000 EUR at 2 EUR per unit of company currency.
        self.assertAlmostEqual(action.amount_due, 500)
        [row] = action._statement_lines()
        self.assertEqual(row["currency"], other)
        self.assertAlmostEqual(row["residual"], 1000)
        self.assertEqual(invoice.collection_stage_id, self.stages["level_2"])

    def test_instalments_are_followed_one_by_one(self):
        term = self._half_now_half_in_30_days()
        customer = self._customer("Instalments")
        invoice = self._post_invoice(
            customer,
            1000,
            invoice_date=TODAY - timedelta(days=36),
            payment_term=term,
        )
        self._run()
        first, second = self._receivable_items(invoice).sorted("date_maturity")
        # 36 and 6 days late: the first instalment is at level 2, the second at
        # level 1; the invoice shows the highest.
        self.assertEqual(first.collection_stage_id, self.stages["level_2"])
        self.assertEqual(second.collection_stage_id, self.stages["level_1"])
        self.assertEqual(invoice.collection_stage_id, self.stages["level_2"])
        self.assertEqual(self._actions(customer).stage_id, self.stages["level_2"])

    def test_item_stage_is_kept_beside_the_item_and_searchable(self):
        customer = self._customer("Staged")
        item = self._receivable_items(self._invoice_days_late(customer, 700, 6))
        self._run()
        state = item.collection_state_ids
        self.assertRecordValues(
            state,
            [
                {
                    "stage_id": self.stages["level_1"].id,
                    "company_id": item.company_id.id,
                    "date": TODAY,
                }
            ],
        )
        Line = self.env["account.move.line"]
        self.assertEqual(
            Line.search([("collection_stage_id", "=", self.stages["level_1"].id)]),
            item,
        )
        # 15 days later the item reaches level 2: the same state moves on.
        later = TODAY + timedelta(days=15)
        self._run(later)
        self.assertEqual(item.collection_state_ids, state)
        self.assertRecordValues(
            state, [{"stage_id": self.stages["level_2"].id, "date": later}]
        )
        # Billing users see the stage of the items they work with.
        billing = self.env["res.users"].create(
            {
                "name": "Billing clerk",
                "login": "billing-item-state",
                "groups_id": [
                    Command.set(self.env.ref("account.group_account_invoice").ids)
                ],
            }
        )
        self.assertEqual(
            item.with_user(billing).collection_stage_id, self.stages["level_2"]
        )

    def test_missing_contact_fails_the_action_and_the_run_goes_on(self):
        unreachable = self._customer("No email", email=False)
        reachable = self._customer("With email")
        self._invoice_days_late(unreachable, 500, 6)
        self._invoice_days_late(reachable, 500, 6)
        run = self._run()
        failed = self._actions(unreachable)
        self.assertEqual(failed.state, "failed")
        self.assertIn("No email address", failed.failure_reason)
        self.assertIn("No email", failed.failure_reason)
        self.assertEqual(self._actions(reachable).state, "done")
        self.assertEqual((run.failed_count, run.action_count), (1, 2))
        # The item did not reach the stage: the next run tries again.
        self._run(TODAY + timedelta(days=1))
        self.assertEqual(len(self._actions(unreachable)), 2)

    def test_a_reminder_that_could_not_be_sent_is_tried_again(self):
        customer = self._customer("Broken template")
        self._invoice_days_late(customer, 500, 6)
        template = self.template_level_1
        body = template.body_html
        template.body_html = '<p><t t-out="object.no_such_field"/></p>'
        self._run()
        failed = self._actions(customer)
        self.assertEqual(
            (failed.stage_id, failed.state), (self.stages["level_1"], "failed")
        )
        self.assertIn("no_such_field", failed.failure_reason)
        # Once the template is mended, the next run sends the same stage again.
        template.body_html = body
        self._run(TODAY + timedelta(days=1))
        retried = self._actions(customer) - failed
        self.assertEqual(
            (retried.stage_id, retried.state), (self.stages["level_1"], "done")
        )
        self.assertTrue(retried.mail_message_id)
        # Sent: nothing more until the next stage is due.
        self._run(TODAY + timedelta(days=2))
        self.assertEqual(self._actions(customer), failed | retried)

    def test_collection_contacts_receive_the_reminder(self):
        customer = self._customer("With contacts")
        payable, buyer = self.env["res.partner"].create(
            [
                {
                    "name": "Payable",
                    "parent_id": customer.id,
                    "email": "ap@example.com",
                },
                {"name": "Buyer", "parent_id": customer.id, "email": "buy@example.com"},
            ]
        )
        self._set_contacts(customer, [(payable, "to"), (buyer, "cc")])
        self._invoice_days_late(customer, 500, 6)
        self._run()
        action = self._actions(customer)
        self.assertEqual(action.recipient_ids, payable)
        self.assertEqual(action.recipient_cc_ids, buyer)
        self.assertEqual(action.mail_message_id.partner_ids, payable | buyer)

    def test_a_contacts_invoices_are_collected_with_its_company(self):
        customer = self._customer("Parent Company")
        contact = self.env["res.partner"].create(
            {"name": "Branch Buyer", "parent_id": customer.id}
        )
        own = self._invoice_days_late(customer, 500, 6)
        branch = self._invoice_days_late(contact, 300, 8)
        self._run()
        action = self._actions(customer)
        self.assertEqual(action.partner_id, customer)
        self.assertEqual(action.move_line_ids, self._receivable_items(own | branch))
        self.assertEqual(action.amount_due, 800)
        self.assertEqual(branch.collection_stage_id, self.stages["level_1"])

    def test_invoice_address_is_the_fallback_recipient(self):
        customer = self._customer("Invoice address")
        address = self.env["res.partner"].create(
            {
                "name": "Accounting",
                "parent_id": customer.id,
                "type": "invoice",
                "email": "accounting@example.com",
            }
        )
        self._invoice_days_late(customer, 500, 6)
        self._run()
        self.assertEqual(self._actions(customer).recipient_ids, address)

    def test_running_twice_the_same_day_creates_nothing(self):
        customers = self._customer("Twice A") | self._customer("Twice B")
        for customer in customers:
            self._invoice_days_late(customer, 500, 8)
        first = self._run()
        actions = self._actions(customers)
        self.assertEqual(len(actions), 2)
        self.assertEqual((first.sent_count, first.failed_count), (2, 0))
        second = self._run()
        self.assertNotEqual(first, second)
        self.assertEqual(self._actions(customers), actions)
        self.assertEqual(second.action_count, 0)
        self.assertEqual(second.skip_stats, {"already_today": 2})

    def test_interrupted_run_resumes_where_it_stopped(self):
        customers = self.env["res.partner"]
        for n in range(5):
            customer = self._customer(f"Batch {n}")
            self._invoice_days_late(customer, 500, 25)
            customers |= customer
        run = self._run(batch_size=2, max_batches=1)
        self.assertEqual(run.state, "running")
        self.assertEqual(len(self._actions(customers)), 2)
        resumed = self._run(batch_size=2)
        self.assertEqual(resumed, run)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.batch_count, 3)
        actions = self._actions(customers)
        self.assertEqual(actions.partner_id, customers)
        self.assertEqual(len(actions), 5)

    def test_batches_are_processed_with_the_long_lived_heap_frozen(self):
        customer = self._customer("Frozen heap")
        self._invoice_days_late(customer, 500, 25)
        Batch = self.env.registry["credit.collection.run.batch"]
        process, frozen = Batch._process, []

        def recording(batch, context):
            frozen.append(gc.get_freeze_count())
            return process(batch, context)

        self.assertEqual(gc.get_freeze_count(), 0)
        with patch.object(Batch, "_process", recording):
            run = self._run()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(frozen), 1)
        self.assertGreater(frozen[0], 0)
        # Thawed after the run: what it froze is collected again.
        self.assertEqual(gc.get_freeze_count(), 0)

    def test_second_worker_helps_a_run_in_progress_and_starts_none(self):
        with freeze_time(TODAY):
            self.Run._cron_help()
        self.assertFalse(self.Run.search([("company_id", "=", self.company.id)]))
        customers = self.env["res.partner"]
        for n in range(3):
            customers |= self._customer(f"Helped {n}")
            self._invoice_days_late(customers[-1], 500, 25)
        helper = self.env.ref("credit_collection.ir_cron_collection_run_helper")
        triggers = self.env["ir.cron.trigger"].sudo()
        before = triggers.search([("cron_id", "=", helper.id)])
        run = self._run(batch_size=1, max_batches=1)
        # Planned in three batches: the second worker was called in.
        self.assertTrue(triggers.search([("cron_id", "=", helper.id)]) - before)
        self.assertEqual((run.state, run.batch_count), ("running", 1))
        with freeze_time(TODAY):
            self.Run._cron_help()
        self.assertEqual((run.state, run.batch_count), ("done", 3))
        self.assertEqual(self._actions(customers).partner_id, customers)

    def _reminders_due(self, name, day):
        """Three customers with an automatic reminder due on ``day``."""
        customers = self.env["res.partner"]
        for n in range(3):
            customers |= self._customer(f"{name} {n}")
            self._invoice_days_late(customers[-1], 500, 6 + (day - TODAY).days)
        self._run(day, send=False)
        reminders = self._actions(customers)
        self.assertEqual((len(reminders), set(reminders.mapped("auto"))), (3, {True}))
        return reminders

    def test_sending_more_than_a_chunk_calls_in_a_second_worker(self):
        helper = self.env.ref("credit_collection.ir_cron_collection_send_helper")
        triggers = self.env["ir.cron.trigger"].sudo()
        before = triggers.search([("cron_id", "=", helper.id)])
        action_module = "odoo.addons.credit_collection.models.credit_collection_action"
        for day, cron in (
            (TODAY, "_cron_send_help"),
            (TODAY + timedelta(1), "_cron_send"),
        ):
            reminders = self._reminders_due(cron, day)
            # Three due, in chunks of two.
            with (
                freeze_time(day),
                patch(f"{action_module}.SEND_BATCH_SIZE", 2),
                patch.object(type(self.env["ir.cron"]), "_notify_progress"),
            ):
                getattr(self.Run, cron)()
            self.assertEqual(set(reminders.mapped("state")), {"done"})
            called_in = triggers.search([("cron_id", "=", helper.id)]) - before
            # The scheduled sending calls the second worker in; the second
            # worker calls in no other.
            self.assertEqual(bool(called_in), cron == "_cron_send")

    def test_stale_run_of_an_earlier_day_is_closed(self):
        customer = self._customer("Stale")
        self._invoice_days_late(customer, 500, 25)
        self._invoice_days_late(self._customer("Stale 2"), 500, 25)
        stale = self._run(batch_size=1, max_batches=1)
        fresh = self._run(TODAY + timedelta(days=1))
        self.assertEqual(stale.state, "interrupted")
        self.assertEqual(fresh.state, "done")

    def test_the_run_starts_the_sending_of_automatic_reminders(self):
        customer = self._customer("Sent later")
        self._invoice_days_late(customer, 500, 6)
        send_cron = self.env.ref("credit_collection.ir_cron_collection_send").sudo()
        triggers = self.env["ir.cron.trigger"].sudo()
        before = triggers.search([("cron_id", "=", send_cron.id)])
        run = self._run(send=False)
        action = self._actions(customer)
        self.assertEqual((action.auto, action.state), (True, "todo"))
        self.assertTrue(triggers.search([("cron_id", "=", send_cron.id)]) - before)
        with freeze_time(TODAY):
            send_cron.method_direct_trigger()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.mail_message_id)
        self.assertEqual(run.sent_count, 1)

    def test_run_now_button_and_cron(self):
        customer = self._customer("Button")
        self._invoice_days_late(customer, 500, 25)
        action = self.Run.action_run_now()
        run = self.Run.browse(action["res_id"])
        self.assertEqual(
            (run.trigger, run.state, run.action_count), ("manual", "done", 1)
        )
        # The next day, the scheduled action runs every company as its user
        # and reports its progress.
        cron = self.env.ref("credit_collection.ir_cron_collection_run").sudo()
        with freeze_time(TODAY + timedelta(days=1)):
            cron.method_direct_trigger()
        scheduled = self.Run.search(
            [("trigger", "=", "cron"), ("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            (scheduled.date, scheduled.state), (TODAY + timedelta(days=1), "done")
        )
        self.assertGreaterEqual(scheduled.customer_count, 1)
        progress = (
            self.env["ir.cron.progress"]
            .sudo()
            .search([("cron_id", "=", cron.id)], order="id desc", limit=1)
        )
        self.assertEqual(progress.remaining, 0)
        self.assertGreaterEqual(progress.done, scheduled.customer_count)

    def test_weekend_and_public_holiday_move_the_planned_date(self):
        saturday, tuesday = date(2026, 3, 14), date(2026, 3, 17)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.company.resource_calendar_id.id,
                "date_from": datetime(2026, 3, 16, 0, 0),
                "date_to": datetime(2026, 3, 16, 23, 59),
            }
        )
        customer = self._customer("Weekend")
        self._post_invoice(customer, 500, due=saturday - timedelta(days=6))
        run = self._run(saturday)
        action = self._actions(customer)
        self.assertEqual(run.planned_date, tuesday)
        # Planned on Tuesday: the automatic email waits until then.
        self.assertRecordValues(
            action, [{"date": tuesday, "state": "todo", "auto": True}]
        )
        self.assertFalse(action.mail_message_id)
        self._run(tuesday)
        self.assertEqual(self._actions(customer), action)
        self.assertEqual(action.state, "done")
        self.assertTrue(action.mail_message_id)

    def test_channel_rules_adapt_the_channel_to_the_customer(self):
        level_3 = self.stages["level_3"]
        level_3.channel_rule_ids = [
            Command.create({"location": "foreign", "channel": "email", "sequence": 1}),
            Command.create(
                {"partner_type": "person", "channel": "phone", "sequence": 2}
            ),
        ]
        self.stages["level_2"].channel_rule_ids = [
            Command.create({"min_open_items": 3, "channel": "email"}),
        ]
        abroad = self._customer("Abroad", country_id=self.env.ref("base.de").id)
        person = self._customer("Person", is_company=False)
        domestic = self._customer("Domestic")
        many = self._customer("Many items")
        few = self._customer("Few items")
        for customer in abroad | person | domestic:
            self._invoice_days_late(customer, 1000, 45)
        for _n in range(3):
            self._invoice_days_late(many, 100, 25)
        self._invoice_days_late(few, 100, 25)
        self._invoice_days_late(few, 100, 25)
        self._run()
        channels = {
            action.partner_id: action.channel
            for action in self._actions(abroad | person | domestic | many | few)
        }
        self.assertEqual(
            channels,
            {
                abroad: "email",
                person: "phone",
                domestic: "registered_letter",
                many: "email",
                few: "phone",
            },
        )

    def test_a_letter_where_no_email_is_known(self):
        self.stages["level_1"].channel_rule_ids = [
            Command.create({"email": "unknown", "channel": "letter"}),
        ]
        paper = self._customer("Paper only", email=False)
        mailed = self._customer("Mailed")
        for customer in paper | mailed:
            self._invoice_days_late(customer, 300, 10)
        self._run()
        letter = self._actions(paper)
        self.assertEqual((letter.channel, letter.state), ("letter", "todo"))
        # No sender sends a letter: the sending puts it on the agenda.
        self.assertFalse(letter.auto)
        self.assertEqual(len(letter.activity_ids), 1)
        self.assertEqual(self._actions(mailed).channel, "email")
        self.assertEqual(self._actions(mailed).state, "done")

    def test_higher_stage_supersedes_the_open_agenda_action(self):
        customer = self._customer("Supersede")
        self._invoice_days_late(customer, 1000, 25)
        self._run()
        call = self._actions(customer)
        self.assertEqual((call.stage_id.level, call.state), ("level_2", "todo"))
        self.assertTrue(call.activity_ids)
        # The call was never made; 20 days later the formal notice is due.
        self._run(TODAY + timedelta(days=20))
        notice = self._actions(customer) - call
        self.assertEqual(notice.stage_id, self.stages["level_3"])
        self.assertEqual(call.state, "cancelled")
        self.assertFalse(call.activity_ids)
        self.assertIn("Superseded", call.message_ids[0].body)

    def test_a_failed_action_does_not_supersede_the_open_one(self):
        customer = self._customer("Lost its address")
        self._invoice_days_late(customer, 1000, 25)
        self._run()
        call = self._actions(customer)
        customer.write({"street": False})
        self._run(TODAY + timedelta(days=20))
        notice = self._actions(customer) - call
        self.assertEqual(
            (notice.state, notice.channel), ("failed", "registered_letter")
        )
        self.assertEqual(call.state, "todo")
        self.assertTrue(call.activity_ids)

    def test_open_agenda_action_at_the_same_stage_is_not_duplicated(self):
        customer = self._customer("Pending")
        self._invoice_days_late(customer, 1000, 25)
        self._run()
        # A new invoice reaches level 1 while the level 2 call is still open:
        # the call will cover it.
        self._invoice_days_late(customer, 200, 1)
        run = self._run(TODAY + timedelta(days=5))
        self.assertEqual(len(self._actions(customer)), 1)
        self.assertEqual(run.skip_stats, {"pending_action": 1})

    def test_only_managers_start_a_run(self):
        collector = self.env["res.users"].create(
            {
                "name": "Collector",
                "login": "collector_run",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref(
                                "credit_collection.group_credit_collection_user"
                            ).id
                        ]
                    )
                ],
            }
        )
        with self.assertRaisesRegex(
            AccessError, "Only Collections managers can start a collection run"
        ):
            self.Run.with_user(collector).action_run_now()
        self.assertFalse(self.Run.search([("company_id", "=", self.company.id)]))

    def test_a_second_run_the_same_day_reads_no_item(self):
        customer = self._customer("Twice")
        self._invoice_days_late(customer, 500, 25)
        self.assertEqual(self._run(TODAY).action_count, 1)
        Ledger = type(self.env["credit.collection.ledger"])
        with patch.object(
            Ledger, "_of_customers", autospec=True, side_effect=Ledger._of_customers
        ) as read:
            run = self._run(TODAY)
        self.assertEqual(run.skip_stats, {"already_today": 1})
        read.assert_not_called()

    def test_queries_do_not_grow_with_the_number_of_items(self):
        def run_counting(day):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            run = self._run(day)
            return self.cr.sql_log_count - before, run

        # A first run warms the caches that every later run finds warm.
        warm_up = self._invoice_days_late(self._customer("Warm-up"), 500, 25)
        run_counting(TODAY - timedelta(days=1))
        self._pay(warm_up)
        few = [self._customer(f"Few {n}") for n in range(3)]
        few_invoices = [self._invoice_days_late(c, 500, 25) for c in few]
        queries_few, run = run_counting(TODAY)
        self.assertEqual(run.action_count, 3)
        for invoice in few_invoices:
            self._pay(invoice)
        day = TODAY + timedelta(days=1)
        many = [self._customer(f"Many {n}") for n in range(3)]
        for customer in many:
            for _n in range(6):
                self._invoice_days_late(customer, 500, 24)
        queries_many, run = run_counting(day)
        self.assertEqual(run.action_count, 3)
        self.assertEqual(sum(len(a.move_line_ids) for a in run.action_ids), 18)
        # Six times the items, not one query more.
        self.assertLessEqual(queries_many, queries_few)

    def _statistics(self, table, column):
        """What PostgreSQL's planner believes of ``table``: its row count and
        the share of each most common value of ``column``."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s", [table]
        )
        (rows,) = self.env.cr.fetchone()
        self.env.cr.execute(
            "SELECT most_common_vals::text::text[], most_common_freqs "
            "FROM pg_stats WHERE tablename = %s AND attname = %s",
            [table, column],
        )
        found = self.env.cr.fetchone()
        return rows, dict(zip(*found, strict=True)) if found and found[0] else {}

    def _state_share(self, state):
        self.env.cr.execute(
            "SELECT AVG((state = %s)::int) FROM credit_collection_action", [state]
        )
        return float(self.env.cr.fetchone()[0])

    def test_run_and_sending_leave_the_statistics_of_what_they_wrote(self):
        # As a bulk load does: what is opened after them is planned for the
        # actions they wrote, not for the table as it was before (whatever
        # the database held before: the demo's history, say).
        for n in range(3):
            self._invoice_days_late(self._customer(f"Statistics {n}"), 500, 10)
        self.env.cr.execute("ANALYZE credit_collection_action")
        rows_before, _states = self._statistics("credit_collection_action", "state")
        run = self._run(send=False)
        self.assertEqual(run.action_count, 3)
        rows, states = self._statistics("credit_collection_action", "state")
        self.env.cr.execute("SELECT COUNT(*) FROM credit_collection_action")
        self.assertEqual(rows, self.env.cr.fetchone()[0])
        self.assertGreater(rows, rows_before)
        self.assertAlmostEqual(states["todo"], self._state_share("todo"), places=3)
        with freeze_time(TODAY):
            self.assertEqual(self.Action._send_due(self.company), 3)
        # The actions the sending marked done are known as done.
        rows, states = self._statistics("credit_collection_action", "state")
        self.assertAlmostEqual(states["done"], self._state_share("done"), places=3)
        # A second run the same day creates nothing, so analyses nothing
        # (that ANALYZE cost as much as the rest of such a rerun): an action
        # added by hand meanwhile is not counted yet.
        self.Action.create(
            {
                "partner_id": run.action_ids[0].partner_id.id,
                "company_id": self.company.id,
                "channel": "phone",
                "date": TODAY,
            }
        )
        again = self._run(send=False)
        self.assertEqual(again.action_count, 0)
        self.assertEqual(self._statistics("credit_collection_action", "state")[0], rows)

    def test_one_refused_action_does_not_stop_the_others(self):
        good, bad = self._customer("Creatable"), self._customer("Refused")
        run = self.Run.create(
            {"company_id": self.company.id, "date": TODAY, "trigger": "manual"}
        )
        batch = self.env["credit.collection.run.batch"].create(
            {"run_id": run.id, "sequence": 0, "customer_list": [good.id, bad.id]}
        )
        base = {"company_id": self.company.id, "channel": "phone", "date": TODAY}
        actions = self.Action._create_from_run(
            [
                {**base, "partner_id": good.id, "stage_id": self.stages["level_2"].id},
                # A stage that no longer exists: the database refuses it.
                {**base, "partner_id": bad.id, "stage_id": 999999999},
            ],
            batch,
        )
        self.assertEqual(actions.partner_id, good)
        self.assertEqual(batch.error_count, 1)
        self.assertEqual(run.error_count, 1)
        self.assertIn("Refused", run.error_log)
