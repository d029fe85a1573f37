from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MailCase

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestOutcome(CollectionRunCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Reachable")
        cls.accountant = cls.env["res.partner"].create(
            {
                "name": "Ann Accountant",
                "parent_id": cls.customer.id,
                "email": "ann@reachable.example.com",
            }
        )
        cls._set_contacts(cls.customer, [(cls.accountant, "to")])
        # 25 days late: level 2, a phone call on the agenda.
        cls.invoice = cls._invoice_days_late(cls.customer, 900, 25)
        cls.other_invoice = cls._invoice_days_late(cls.customer, 300, 22)

    def setUp(self):
        super().setUp()
        self._run()
        self.action = self._actions(self.customer)
        self.assertEqual(self.action.channel, "phone")

    def _wizard(self, record, **values):
        with freeze_time(TODAY):
            form = Form(
                self.env["credit.collection.outcome"].with_context(
                    active_model=record._name,
                    active_id=record.id,
                    active_ids=record.ids,
                )
            )
            for name, value in values.items():
                setattr(form, name, value)
            return form.save()

    def _apply(self, wizard):
        with freeze_time(TODAY):
            return wizard.action_apply()

    def test_outcome_of_an_agenda_call_is_kept_on_the_action_and_invoices(self):
        wizard = self._wizard(
            self.action,
            contact_id=self.accountant,
            outcome="reached",
            comment="Invoices approved, payment run next week.",
        )
        self.assertEqual(wizard.partner_id, self.customer)
        self.assertEqual(wizard.amount_due, 1200)
        self._apply(wizard)
        self.assertRecordValues(
            self.action,
            [
                {
                    "state": "done",
                    "outcome": "reached",
                    "contact_id": self.accountant.id,
                    "comment": "Invoices approved, payment run next week.",
                }
            ],
        )
        self.assertFalse(self.action.activity_ids)
        for invoice in self.invoice | self.other_invoice:
            self.assertEqual(
                invoice.collection_comment, "Invoices approved, payment run next week."
            )

    def test_promise_outcome_creates_the_promise_and_confirms_it_in_writing(self):
        wizard = self._wizard(
            self.action,
            contact_id=self.accountant,
            outcome="promise",
            promise_date=TODAY + timedelta(days=7),
            comment="Will pay on the 18th.",
        )
        self.assertEqual(wizard.promise_amount, 1200)
        with self.mock_mail_gateway():
            self._apply(wizard)
        promise = self.env["credit.collection.promise"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertRecordValues(
            promise,
            [
                {
                    "amount": 1200,
                    "date": TODAY + timedelta(days=7),
                    "source": "phone",
                    "action_id": self.action.id,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(self.invoice.collection_status, "promised")
        confirmation = promise.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(confirmation.partner_ids, self.accountant)
        self.assertIn("your payment of", confirmation.subject)
        self.assertIn(self.invoice.name, str(confirmation.body))
        self.assertSentEmail(self.env.user.partner_id, self.accountant)

    def test_promise_needs_a_date_and_invoices(self):
        # The form asks for the date; a call without it is refused too.
        wizard = (
            self.env["credit.collection.outcome"]
            .with_context(active_model=self.action._name, active_id=self.action.id)
            .create({"outcome": "promise", "promise_amount": 100})
        )
        with self.assertRaisesRegex(UserError, "date the customer promises"):
            self._apply(wizard)
        wizard = self._wizard(
            self.action,
            outcome="promise",
            promise_date=TODAY + timedelta(days=3),
        )
        wizard.move_line_ids = [Command.clear()]
        with self.assertRaisesRegex(UserError, "Choose the invoices"):
            self._apply(wizard)

    def test_wrong_contact_is_replaced_among_collection_contacts(self):
        wizard = self._wizard(
            self.action,
            contact_id=self.accountant,
            outcome="wrong_contact",
            right_contact_name="Bob Payables",
            right_contact_email="bob@reachable.example.com",
        )
        self._apply(wizard)
        contacts = self.customer.collection_contact_ids
        self.assertEqual(contacts.contact_id.mapped("name"), ["Bob Payables"])
        self.assertEqual(contacts.contact_id.parent_id, self.customer)
        self.assertIn("Bob Payables", self.customer.message_ids[0].body)
        wizard = self._wizard(self.action, outcome="wrong_contact")
        with self.assertRaisesRegex(UserError, "Give the right contact"):
            self._apply(wizard)

    def test_dispute_outcome_raises_a_dispute_on_the_chosen_invoices(self):
        wizard = self._wizard(
            self.action,
            outcome="dispute",
            comment="Goods damaged on delivery.",
            dispute_type_id=self.env.ref("credit_collection.dispute_type_delivery"),
        )
        wizard.move_line_ids = [Command.set(self._receivable_items(self.invoice).ids)]
        wizard.dispute_amount = 250
        self._apply(wizard)
        dispute = self.env["credit.collection.dispute"].search(
            [("partner_id", "=", self.customer.id)]
        )
        self.assertRecordValues(
            dispute,
            [
                {
                    "amount": 250,
                    "description": "Goods damaged on delivery.",
                    "action_id": self.action.id,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(dispute.move_line_ids, self._receivable_items(self.invoice))
        self.assertEqual(self.invoice.collection_status, "disputed")
        self.assertEqual(self.other_invoice.collection_status, "normal")
        wizard = self._wizard(self.other_invoice, outcome="reached")
        wizard.outcome = "dispute"
        wizard.dispute_type_id = False
        with self.assertRaisesRegex(UserError, "dispute's type"):
            self._apply(wizard)

    def test_agreed_next_step_becomes_the_next_agenda_action(self):
        wizard = self._wizard(
            self.action,
            outcome="no_answer",
            next_date=TODAY + timedelta(days=2),
            next_channel="phone",
            next_note="Call back in the morning",
        )
        self._apply(wizard)
        follow_up = self._actions(self.customer) - self.action
        self.assertRecordValues(
            follow_up,
            [
                {
                    "state": "todo",
                    "channel": "phone",
                    "date": TODAY + timedelta(days=2),
                    "stage_id": self.action.stage_id.id,
                    "auto": False,
                }
            ],
        )
        self.assertIn("Call back in the morning", str(follow_up.activity_ids.note))
        wizard = self._wizard(
            follow_up, outcome="reached", next_date=TODAY - timedelta(days=1)
        )
        with self.assertRaisesRegex(UserError, "next step cannot be in the past"):
            self._apply(wizard)

    def test_outcome_from_an_invoice_or_a_customer_records_a_done_action(self):
        wizard = self._wizard(
            self.invoice, channel="email", outcome="paid_claimed", comment="Paid on 3/9"
        )
        self.assertEqual(wizard.move_line_ids, self._receivable_items(self.invoice))
        self._apply(wizard)
        logged = self._actions(self.customer) - self.action
        self.assertRecordValues(
            logged,
            [{"state": "done", "outcome": "paid_claimed", "channel": "email"}],
        )
        self.assertEqual(self.action.state, "todo")
        with freeze_time(TODAY):
            wizard = self._wizard(self.customer, outcome="reached")
        self.assertEqual(
            wizard.move_line_ids,
            self._receivable_items(self.invoice | self.other_invoice),
        )
        other = self._customer("Someone else")
        mixed = self.invoice | self._invoice_days_late(other, 100, 3)
        with self.assertRaisesRegex(UserError, "one customer at a time"):
            self.env["credit.collection.outcome"].with_context(
                active_model="account.move", active_id=mixed[0].id, active_ids=mixed.ids
            ).default_get(["move_line_ids"])

    def test_plan_request_opens_a_draft_plan_of_the_chosen_invoices(self):
        wizard = self._wizard(
            self.action, outcome="plan_requested", comment="Cash flow problems"
        )
        result = self._apply(wizard)
        plan = self.env["credit.collection.plan"].browse(result["res_id"])
        self.assertEqual(result["res_model"], "credit.collection.plan")
        self.assertRecordValues(
            plan,
            [
                {
                    "state": "draft",
                    "partner_id": self.customer.id,
                    "action_id": self.action.id,
                    "amount_total": 1200,
                    "comment": "Cash flow problems",
                }
            ],
        )
        self.assertTrue(plan.line_ids)
        self.assertEqual(self.action.outcome, "plan_requested")
