from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.credit_collection.tests.run_common import TODAY

from .common import PortalCustomersCommon


@tagged("post_install", "-at_install")
class TestPortalAnswers(PortalCustomersCommon):
    """What the portal's forms ask, decided and written by the models, as
    the visitor of a signed link (the public user, without any right) asks
    it: no HTTP request, the same checks and records as through the page."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.beta_item = cls._receivable_items(cls.beta_invoice)
        cls.public = cls.env.ref("base.public_user")
        cls.other_company = cls._euro_company("Other Company")
        cls.other_item = cls._receivable_items(
            cls._invoice_days_late(cls.alpha, 500, 10, company=cls.other_company)
        )
        cls.Action = cls.env["credit.collection.action"]

    def _as_visitor(self, model):
        return self.env[model].with_user(self.public)

    def _activity(self, record):
        self.assertEqual(len(record.activity_ids), 1)
        self.assertEqual(record.activity_ids.user_id, self.collector)
        return record.activity_ids.summary

    # Promise ------------------------------------------------------------

    def test_a_promise_from_the_portal(self):
        with freeze_time(TODAY):
            promise = self._as_visitor("credit.collection.promise")._portal_promise(
                self.alpha,
                self.company,
                self.Action,
                self.item,
                date=TODAY + timedelta(days=7),
                amount=1200.0,
                comment="",
            )
        self.assertRecordValues(
            promise,
            [
                {
                    "source": "portal",
                    "partner_id": self.alpha.id,
                    "company_id": self.company.id,
                    "user_id": self.collector.id,
                    "action_id": False,
                    "amount": 1200.0,
                    "comment": False,
                    "state": "open",
                }
            ],
        )
        self.assertEqual(promise.move_line_ids, self.item)
        self.assertIn("Alpha Ltd promised", self._activity(promise))
        self.assertIn("on the portal", promise.message_ids[0].body)
        self.assertEqual(self.invoice.collection_status, "promised")

    def test_a_promise_is_checked_as_the_collectors_are(self):
        Promise = self._as_visitor("credit.collection.promise")
        with freeze_time(TODAY), self.assertRaises(ValidationError):
            Promise._portal_promise(
                self.alpha,
                self.company,
                self.Action,
                self.item,
                date=TODAY - timedelta(days=1),
                amount=100.0,
                comment=False,
            )

    # Dispute ------------------------------------------------------------

    def test_a_dispute_with_its_documents(self):
        kind = self.env["credit.collection.dispute.type"].search([], limit=1)
        dispute = self._as_visitor("credit.collection.dispute")._portal_raise(
            self.alpha,
            self.company,
            self.Action,
            self.item,
            type_id=kind.id,
            description="Two boxes arrived broken.",
            amount=400.0,
            documents=[("photo.jpg", b"\xff\xd8 photo"), ("note.txt", b"broken")],
        )
        self.assertRecordValues(
            dispute,
            [{"type_id": kind.id, "amount": 400.0, "user_id": self.collector.id}],
        )
        documents = self.env["ir.attachment"].search(
            [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(sorted(documents.mapped("name")), ["note.txt", "photo.jpg"])
        self.assertIn("Two boxes arrived broken.", self._activity(dispute))

    def test_a_dispute_needs_a_type_of_its_company_and_a_description(self):
        Dispute = self._as_visitor("credit.collection.dispute")
        elsewhere = self.env["credit.collection.dispute.type"].create(
            {"name": "Other company's", "company_id": self.other_company.id}
        )
        kind = self.env["credit.collection.dispute.type"].search(
            [("company_id", "=", False)], limit=1
        )
        cases = [
            (elsewhere.id, "Broken", "Choose what the dispute is about."),
            (0, "Broken", "Choose what the dispute is about."),
            (kind.id, "", "Describe the problem."),
        ]
        for type_id, description, refusal in cases:
            with self.subTest(refusal), self.assertRaisesRegex(UserError, refusal):
                Dispute._portal_raise(
                    self.alpha,
                    self.company,
                    self.Action,
                    self.item,
                    type_id=type_id,
                    description=description,
                    amount=100.0,
                    documents=[],
                )
        self.assertFalse(
            self.env["credit.collection.dispute"].search(
                [("partner_id", "=", self.alpha.id)]
            )
        )

    # Plan ---------------------------------------------------------------

    def test_a_payment_plan_request(self):
        plan = self._as_visitor("credit.collection.plan")._portal_request(
            self.alpha, self.company, self.Action, self.item, instalment_count=3
        )
        self.assertEqual((plan.state, plan.amount_total), ("draft", 1200))
        self.assertEqual(len(plan.line_ids), 4, "the down payment and 3 instalments")
        self.assertIn("in 3 instalments", self._activity(plan))

    def test_a_payment_plan_counts_1_to_24_instalments(self):
        Plan = self._as_visitor("credit.collection.plan")
        for count in (0, 25):
            with (
                self.subTest(count=count),
                self.assertRaisesRegex(UserError, "between 1 and 24"),
            ):
                Plan._portal_request(
                    self.alpha, self.company, self.Action, self.item, count
                )

    # Message and items --------------------------------------------------

    def test_a_message_goes_to_the_reminders_thread_and_its_collector(self):
        self._run(send=False)
        action = self._actions(self.alpha).with_user(self.public)
        alpha = self.alpha.with_user(self.public)
        message = alpha._collection_portal_message(
            self.company, action, "Call me after 3 pm.", self.alpha
        )
        self.assertEqual((message.model, message.res_id), (action._name, action.id))
        self.assertEqual(message.author_id, self.alpha)
        self.assertEqual(message.partner_ids, self.collector.partner_id)
        with self.assertRaisesRegex(UserError, "Write your message first"):
            alpha._collection_portal_message(self.company, action, "", self.alpha)

    def test_the_items_a_form_may_choose(self):
        alpha = self.alpha.with_user(self.public)
        companies = self.company | self.other_company
        self.assertEqual(
            alpha._collection_portal_items(companies, {self.item.id}), self.item
        )
        cases = [
            (set(), "Choose the invoices concerned."),
            ({self.beta_item.id}, "not open invoices of yours"),
            ({self.item.id, 999999}, "not open invoices of yours"),
            ({self.item.id, self.other_item.id}, "one of our companies at a time"),
        ]
        for chosen, refusal in cases:
            with self.subTest(refusal), self.assertRaisesRegex(UserError, refusal):
                alpha._collection_portal_items(companies, chosen)
        with self.assertRaisesRegex(UserError, "not open invoices of yours"):
            alpha._collection_portal_items(self.company, {self.other_item.id})

    def test_invoices_are_signed_once(self):
        invoices = self.invoice | self.other_item.move_id
        invoices.sudo().access_token = False
        kept = "kept-token"
        self.other_item.move_id.sudo().access_token = kept
        invoices._collection_sign()
        self.assertTrue(self.invoice.access_token)
        self.assertEqual(self.other_item.move_id.access_token, kept)
        token = self.invoice.access_token
        invoices._collection_sign()
        self.assertEqual(self.invoice.access_token, token)

    # The dispute's answer -----------------------------------------------

    def test_the_answer_of_the_person_examining_a_dispute(self):
        examiner = self._user("answers-examiner", "base.group_user")
        kind = self.env["credit.collection.dispute.type"].search([], limit=1)
        dispute = self.env["credit.collection.dispute"].create(
            {
                "partner_id": self.alpha.id,
                "company_id": self.company.id,
                "type_id": kind.id,
                "description": "Broken",
                "amount": 100.0,
                "responsible_id": examiner.id,
                "move_line_ids": [(6, 0, self.item.ids)],
            }
        )
        visitor = dispute.with_user(self.public)
        message = visitor._portal_answer(
            "delivery_confirmed", "Signed by the customer.", [("pod.pdf", b"%PDF")]
        )
        self.assertEqual(message.author_id, examiner.partner_id)
        self.assertIn("Confirms the delivery", message.body)
        self.assertIn("Signed by the customer.", message.body)
        self.assertEqual(message.attachment_ids.mapped("name"), ["pod.pdf"])
        for kind_key, text, refusal in (
            ("anything", "Hello", "Choose what your answer is."),
            ("comment", "", "Write your answer first."),
        ):
            with self.subTest(refusal), self.assertRaisesRegex(UserError, refusal):
                visitor._portal_answer(kind_key, text, [])
