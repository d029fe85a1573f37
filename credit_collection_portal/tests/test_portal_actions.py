from datetime import timedelta
from urllib.parse import unquote_plus

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.run_common import TODAY

from .common import PortalCustomersCommon, csrf_token, page_refusal


@tagged("post_install", "-at_install")
class TestCollectionPortalActions(PortalCustomersCommon, HttpCase):
    """What a customer does on its page creates the real record, tells the
    collector, and bad input writes nothing."""

    def setUp(self):
        super().setUp()
        self._run()
        self.action = self._actions(self.alpha)
        self.page = (
            f"/my/collection/{self.action.id}?access_token={self.action.access_token}"
        )

    def _post(self, what, data, csrf=True, token=None):
        with freeze_time(TODAY):
            page = self.url_open(self.page)
            form = {"access_token": token or self.action.access_token, **data}
            if csrf:
                form["csrf_token"] = csrf_token(page.text)
            return self.url_open(
                f"/my/collection/{self.action.id}/answer/{what}",
                data=form,
                allow_redirects=False,
            )

    def _feedback(self, response):
        """Where the answer leads, and the refusal the page then shows."""
        location = response.headers.get("Location", "")
        with freeze_time(TODAY):
            page = self.url_open(location).text if location else ""
        return unquote_plus(location) + page_refusal(page)

    def _promises(self):
        return self.env["credit.collection.promise"].search(
            [("partner_id", "=", self.alpha.id)]
        )

    # Promise ------------------------------------------------------------

    def test_promise_to_pay(self):
        response = self._post(
            "promise",
            {
                "line_ids": self.item.id,
                "amount": "1200",
                "date": str(TODAY + timedelta(days=7)),
                "comment": "Paid with the next payment run.",
            },
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("done=promise", self._feedback(response))
        promise = self._promises()
        self.assertEqual(
            (promise.source, promise.amount, promise.date, promise.move_line_ids),
            ("portal", 1200, TODAY + timedelta(days=7), self.item),
        )
        self.assertEqual(promise.action_id, self.action)
        self.assertEqual(self.invoice.collection_status, "promised")
        activity = promise.activity_ids
        self.assertEqual(activity.user_id, self.collector)
        self.assertIn("promised", activity.summary)
        with freeze_time(TODAY):
            shown = self.url_open(self.page + "&done=promise")
        self.assertIn("your promise to pay is recorded", shown.text)

    def test_bad_promises_write_nothing_and_say_why(self):
        cases = [
            ({"amount": "100", "date": str(TODAY - timedelta(days=1))}, "in the past"),
            (
                {"amount": "0", "date": str(TODAY + timedelta(days=3))},
                "greater than zero",
            ),
            (
                {"amount": "-5", "date": str(TODAY + timedelta(days=3))},
                "greater than zero",
            ),
            ({"amount": "5000", "date": str(TODAY + timedelta(days=3))}, "only owe"),
            (
                {"amount": "abc", "date": str(TODAY + timedelta(days=3))},
                "not an amount",
            ),
            ({"amount": "100", "date": "tomorrow"}, "not a date"),
        ]
        for data, reason in cases:
            with self.subTest(reason=reason):
                response = self._post("promise", {"line_ids": self.item.id, **data})
                self.assertIn(reason, self._feedback(response))
                self.assertFalse(self._promises())
        beta_item = self._receivable_items(self.beta_invoice)
        response = self._post(
            "promise",
            {
                "line_ids": beta_item.id,
                "amount": "10",
                "date": str(TODAY + timedelta(days=3)),
            },
        )
        self.assertIn("not open invoices of yours", self._feedback(response))
        response = self._post(
            "promise", {"amount": "10", "date": str(TODAY + timedelta(days=3))}
        )
        self.assertIn("Choose the invoices", self._feedback(response))
        self.assertFalse(self._promises())

    def test_csrf_and_token_are_enforced_on_every_post(self):
        data = {
            "line_ids": self.item.id,
            "amount": "100",
            "date": str(TODAY + timedelta(days=3)),
        }
        for what in ("promise", "dispute", "plan", "message"):
            with self.subTest(what=what), self.assertLogs("odoo.http", "WARNING"):
                response = self._post(what, data, csrf=False)
                self.assertEqual(response.status_code, 400)
            response = self._post(what, data, token="0" * 36)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertFalse(self._promises())

    # Dispute, plan, message ----------------------------------------------

    def _post_dispute(self, description, upload):
        with freeze_time(TODAY):
            page = self.url_open(self.page)
            csrf = csrf_token(page.text)
            return self.url_open(
                f"/my/collection/{self.action.id}/answer/dispute",
                data={
                    "csrf_token": csrf,
                    "access_token": self.action.access_token,
                    "line_ids": self.item.id,
                    "type_id": self.env.ref(
                        "credit_collection.dispute_type_quality"
                    ).id,
                    "amount": "200",
                    "description": description,
                },
                files={"attachments": upload},
                allow_redirects=False,
            )

    def _disputes(self):
        return self.env["credit.collection.dispute"].search(
            [("partner_id", "=", self.alpha.id)]
        )

    def test_dispute_with_documents(self):
        response = self._post_dispute(
            "Two boxes arrived broken.",
            ("photo.jpg", b"\xff\xd8 broken box", "image/jpeg"),
        )
        self.assertIn("done=dispute", self._feedback(response))
        dispute = self._disputes()
        self.assertEqual(
            (dispute.amount, dispute.type_id),
            (200, self.env.ref("credit_collection.dispute_type_quality")),
        )
        self.assertEqual(dispute.message_attachment_count, 1)
        self.assertEqual(self.invoice.collection_status, "disputed")
        self.assertTrue(
            dispute.activity_ids.filtered(lambda a: a.user_id == self.collector)
        )

    def test_a_huge_document_is_refused_and_nothing_written(self):
        response = self._post_dispute(
            "See the video.", ("video.mp4", b"0" * (10 * 1024 * 1024 + 1))
        )
        self.assertIn("larger than 10 MB", self._feedback(response))
        self.assertFalse(self._disputes())

    def test_unknown_answer_kind(self):
        self.assertEqual(self._post("refund", {}).status_code, 404)

    def test_payment_plan_request(self):
        response = self._post(
            "plan",
            {
                "line_ids": [
                    self.item.id,
                    self._receivable_items(self.other_invoice).id,
                ],
                "instalment_count": "4",
            },
        )
        self.assertIn("done=plan", self._feedback(response))
        plan = self.env["credit.collection.plan"].search(
            [("partner_id", "=", self.alpha.id)]
        )
        self.assertEqual((plan.state, plan.amount_total), ("draft", 1500))
        self.assertEqual(len(plan.line_ids), 5, "the down payment and 4 instalments")
        self.assertTrue(
            plan.activity_ids.filtered(lambda a: a.user_id == self.collector)
        )
        response = self._post(
            "plan", {"line_ids": self.item.id, "instalment_count": "99"}
        )
        self.assertIn("between 1 and 24", self._feedback(response))

    def test_message_to_the_collector(self):
        response = self._post("message", {"body": "Who should I call about this?"})
        self.assertIn("done=message", self._feedback(response))
        message = self.action.message_ids.filtered(
            lambda m: "Who should I call" in (m.body or "")
        )
        self.assertEqual(message.author_id, self.alpha)
        self.assertIn(self.collector.partner_id, message.partner_ids)
        response = self._post("message", {"body": "  "})
        self.assertIn("Write your message", self._feedback(response))

    # Hostile input ----------------------------------------------------------

    def _written(self):
        """What a form may create: promises, disputes, plans, messages."""
        return (
            len(self._promises()),
            len(self._disputes()),
            self.env["credit.collection.plan"].search_count(
                [("partner_id", "=", self.alpha.id)]
            ),
            len(self.action.message_ids),
        )

    def test_hostile_input_is_refused_and_writes_nothing(self):
        """Wrong types, numbers beyond what the database holds, NaN and
        infinite amounts, impossible dates, oversized text and injection
        strings: each form says why, nothing is written, never an error."""
        later = str(TODAY + timedelta(days=3))
        huge = "9" * 30
        too_long = "x" * 10001
        quality = self.env.ref("credit_collection.dispute_type_quality").id
        item = self.item.id
        cases = [
            (
                "promise",
                {"line_ids": item, "amount": "nan", "date": later},
                "not an amount",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "inf", "date": later},
                "not an amount",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "-inf", "date": later},
                "not an amount",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "1e308", "date": later},
                "too large",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "1e14", "date": later},
                "only owe",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "", "date": later},
                "Enter an amount",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "10", "date": "2026-02-30"},
                "not a date",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "10", "date": "99999-01-01"},
                "not a date",
            ),
            ("promise", {"line_ids": item, "amount": "10", "date": ""}, "Enter a date"),
            (
                "promise",
                {"line_ids": huge, "amount": "10", "date": later},
                "not open invoices of yours",
            ),
            (
                "promise",
                {"line_ids": "1 OR 1=1", "amount": "10", "date": later},
                "not open invoices of yours",
            ),
            (
                "promise",
                {"line_ids": "-1", "amount": "10", "date": later},
                "not open invoices of yours",
            ),
            (
                "promise",
                {"line_ids": item, "amount": "10", "date": later, "comment": too_long},
                "too long",
            ),
            (
                "dispute",
                {"line_ids": item, "type_id": huge, "amount": "10", "description": "x"},
                "Choose what the dispute",
            ),
            (
                "dispute",
                {
                    "line_ids": item,
                    "type_id": "'; DROP TABLE res_partner; --",
                    "amount": "10",
                    "description": "x",
                },
                "Choose what the dispute",
            ),
            (
                "dispute",
                {
                    "line_ids": item,
                    "type_id": quality,
                    "amount": "10",
                    "description": too_long,
                },
                "too long",
            ),
            (
                "dispute",
                {
                    "line_ids": item,
                    "type_id": quality,
                    "amount": "nan",
                    "description": "x",
                },
                "not an amount",
            ),
            ("plan", {"line_ids": item, "instalment_count": huge}, "between 1 and 24"),
            ("plan", {"line_ids": item, "instalment_count": "1e3"}, "between 1 and 24"),
            ("plan", {"line_ids": item, "instalment_count": "-3"}, "between 1 and 24"),
            ("message", {"body": too_long}, "too long"),
        ]
        before = self._written()
        for kind, data, reason in cases:
            with self.subTest(kind=kind, data=str(data)[:80]):
                response = self._post(kind, data)
                self.assertEqual(response.status_code, 303)
                self.assertIn(reason, self._feedback(response))
                self.assertEqual(self._written(), before)

    def test_markup_typed_by_a_customer_stays_text(self):
        """A dispute described with markup: stored as typed, shown to the
        collector as text (escaped in the activity, in the thread)."""
        injection = (
            '<a href="https://evil.example">Pay here</a><script>alert(1)</script>'
        )
        response = self._post(
            "dispute",
            {
                "line_ids": self.item.id,
                "type_id": self.env.ref("credit_collection.dispute_type_quality").id,
                "amount": "10",
                "description": f"Unicode ✓ é 漢字 {injection}",
            },
        )
        self.assertIn("done=dispute", self._feedback(response))
        dispute = self._disputes()
        self.assertIn("漢字 <a href", dispute.description)
        activity = dispute.activity_ids.filtered(lambda a: a.user_id == self.collector)
        for html_field in (str(activity.note), str(dispute.message_ids[0].body)):
            self.assertNotIn("<a href", html_field)
            self.assertNotIn("<script", html_field)
            self.assertIn("&lt;a href=", html_field)
