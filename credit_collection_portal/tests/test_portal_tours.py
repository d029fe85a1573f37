import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.run_common import CollectionRunCommon
from odoo.addons.mail.tests.common import MailCase

from .common import portal_user


@tagged("post_install", "-at_install")
class TestCollectionPortalTours(CollectionRunCommon, MailCase, HttpCase):
    """Each thing a customer does on its page, clicked in Chromium as the
    customer would (tours in static/tests/tours), and the answer of the
    person a dispute is assigned to; then what it wrote.

    The browser runs on the real clock: the ledger is dated from today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.collector = cls._collector_user("tour-collector")
        cls.salesperson = cls._user("tour-salesperson", "base.group_user")
        cls.delivery = cls.env.ref("credit_collection.dispute_type_delivery")
        cls.delivery.responsible_id = cls.salesperson
        cls.customer = cls._customer("Tour Customer Ltd")
        cls.customer.with_company(cls.company).collection_user_id = cls.collector
        cls.first = cls._invoice_due(1200, days_late=15)
        cls.second = cls._invoice_due(300, days_late=10)
        cls.portal_user = portal_user(cls.env, "tour-portal", cls.customer, cls.company)
        cls.reminder = cls.Action.create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "stage_id": cls.stages["level_1"].id,
                "channel": "email",
                "user_id": cls.collector.id,
                "date": cls.today,
            }
        )

    @classmethod
    def _invoice_due(cls, amount, days_late):
        due = cls.today - timedelta(days=days_late)
        return cls._post_invoice(
            cls.customer, amount, due=due, invoice_date=due - timedelta(days=30)
        )

    def _signed_link(self):
        return (
            f"/my/collection/{self.reminder.id}"
            f"?access_token={self.reminder.access_token}"
        )

    def _records(self, model):
        return self.env[model].search([("partner_id", "=", self.customer.id)])

    def _collector_activity(self, record):
        activity = record.activity_ids.filtered(lambda a: a.user_id == self.collector)
        self.assertEqual(len(activity), 1)
        return activity

    def test_promise_through_the_signed_link(self):
        """An amount above what is due is refused on the page; the corrected
        promise is recorded for the collector."""
        self.start_tour(self._signed_link(), "credit_collection_portal_promise")
        promise = self._records("credit.collection.promise")
        self.assertEqual(len(promise), 1, "the refused promise wrote nothing")
        self.assertRecordValues(
            promise,
            [
                {
                    "source": "portal",
                    "amount": 1200.0,
                    "date": self.today + timedelta(days=7),
                    "comment": "Paid with our next payment run.",
                    "action_id": self.reminder.id,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(promise.move_line_ids, self._receivable_items(self.first))
        self.assertIn("promised", self._collector_activity(promise).summary)
        self.assertEqual(self.first.collection_status, "promised")
        self.assertEqual(self.second.collection_status, "normal")

    def test_dispute_then_the_salesperson_answers(self):
        """The logged-in customer disputes the second invoice with a
        document; the salesperson in charge of delivery disputes answers
        through the link of their email, with a document of their own."""
        with self.mock_mail_gateway():
            self.start_tour(
                "/my/collection",
                "credit_collection_portal_dispute",
                login="tour-portal",
            )
        dispute = self._records("credit.collection.dispute")
        self.assertRecordValues(
            dispute,
            [
                {
                    "type_id": self.delivery.id,
                    "amount": 120.0,
                    "description": "Two boxes arrived broken.",
                    "responsible_id": self.salesperson.id,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(dispute.move_line_ids, self._receivable_items(self.second))
        self.assertEqual(self.second.collection_status, "disputed")
        customer_file = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(customer_file.name, "broken-boxes.txt")
        self.assertEqual(customer_file.raw, b"Two boxes, crushed.")
        self._collector_activity(dispute)

        email = self._find_mail_mail_wpartners(self.salesperson.partner_id, "outgoing")
        link = re.search(r'href="[^"]*(/collection/dispute/[^"]+)"', email.body_html)
        self.assertTrue(link, "the salesperson's email links to the dispute")
        self.start_tour(
            link.group(1).replace("&amp;", "&"), "credit_collection_dispute_answer"
        )
        answer = dispute.message_ids.filtered(
            lambda m: "credit the two boxes" in (m.body or "")
        )
        self.assertEqual(answer.author_id, self.salesperson.partner_id)
        self.assertIn("Proposes a credit note", answer.body)
        self.assertEqual(answer.attachment_ids.mapped("name"), ["delivery-note.txt"])
        self.assertEqual(answer.attachment_ids.raw, b"Two boxes damaged.")

    def test_payment_plan_through_the_signed_link(self):
        self.start_tour(self._signed_link(), "credit_collection_portal_plan")
        plan = self._records("credit.collection.plan")
        self.assertEqual(plan.state, "draft", "the collector confirms it")
        self.assertEqual(plan.instalment_count, 4)
        self.assertEqual(len(plan.line_ids), 5, "the down payment and 4 instalments")
        self.assertAlmostEqual(sum(plan.line_ids.mapped("amount")), 1500.0)
        self.assertEqual(
            plan.move_line_ids, self._receivable_items(self.first | self.second)
        )
        self._collector_activity(plan)

    def test_message_when_logged_in(self):
        self.start_tour(
            "/my/collection", "credit_collection_portal_message", login="tour-portal"
        )
        message = self.customer.message_ids.filtered(
            lambda m: "accountant is away" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.portal_user.partner_id)
        self.assertIn(self.collector.partner_id, message.partner_ids)

    def test_pay_through_the_signed_link(self):
        """Pay leads into Odoo's own payment flow (its demo provider here,
        installed with the tests) and the invoice ends paid."""
        demo = (
            self.env["payment.provider"].sudo().search([("code", "=", "demo")], limit=1)
        )
        self.assertTrue(demo, "the tests install payment_demo (tools/test.sh)")
        demo.copy(
            {
                "company_id": self.company.id,
                "state": "test",
                "is_published": True,
                "journal_id": self.company_data["default_journal_bank"].id,
            }
        )
        self.start_tour(self._signed_link(), "credit_collection_portal_pay")
        transaction = self.first.transaction_ids
        self.assertEqual(transaction.state, "done")
        self.assertEqual(transaction.amount, 1200.0)
        self.assertIn(self.first.payment_state, ("in_payment", "paid"))
        self.assertEqual(self.second.payment_state, "not_paid")
