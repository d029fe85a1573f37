from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.run_common import TODAY, CollectionRunCommon

from .common import csrf_token, page_refusal


@tagged("post_install", "-at_install")
class TestSignedLinkIsolation(CollectionRunCommon, HttpCase):
    """Alpha owes company A (in USD) and company B (in EUR). The signed links
    that company A sends, the reminder's and the dispute's, open nothing of
    company B through any controller: no page, statement, invoice link,
    answer, dispute page or document; a token of one company never opens the
    other's record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._euro_company("Company B")
        cls.alpha = cls._customer("Alpha Ltd")
        cls.invoice_a = cls._invoice_days_late(cls.alpha, 1200, 10)
        cls.invoice_b = cls._invoice_days_late(
            cls.alpha, 777, 10, company=cls.company_b
        )
        cls.env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        cls.type_b = cls.env_b["credit.collection.dispute.type"].create(
            {"name": "Company B only", "company_id": cls.company_b.id}
        )
        with freeze_time(TODAY):
            for company, env in ((cls.company, cls.env), (cls.company_b, cls.env_b)):
                env["credit.collection.run"]._run_company(company)
        Action = cls.env["credit.collection.action"]
        cls.action_a = Action.search([("company_id", "=", cls.company.id)])
        cls.action_b = Action.search([("company_id", "=", cls.company_b.id)])
        assert len(cls.action_a) == len(cls.action_b) == 1, "one reminder each"
        cls.dispute_a = cls._dispute_of(cls.env, cls.invoice_a, "Dispute A")
        cls.dispute_b = cls._dispute_of(cls.env_b, cls.invoice_b, "Dispute B")
        cls.document_b = cls.env["ir.attachment"].create(
            {
                "name": "b-delivery-note.txt",
                "raw": b"company B's delivery note",
                "res_model": cls.dispute_b._name,
                "res_id": cls.dispute_b.id,
            }
        )

    @classmethod
    def _dispute_of(cls, env, invoice, description):
        return env["credit.collection.dispute"].create(
            {
                "partner_id": cls.alpha.id,
                "company_id": invoice.company_id.id,
                "type_id": cls.env.ref("credit_collection.dispute_type_quality").id,
                "description": description,
                "amount": 100,
                "responsible_id": cls.env.user.id,
                "move_line_ids": [Command.set(cls._receivable_items(invoice).ids)],
            }
        )

    def _open(self, url):
        with freeze_time(TODAY):
            return self.url_open(url, allow_redirects=False)

    @staticmethod
    def _link(action, token=None, path=""):
        return (
            f"/my/collection/{action.id}{path}"
            f"?access_token={token or action.access_token}"
        )

    def _assert_nothing_of_b(self, response):
        # Both companies number their first invoice INV/2026/00001: B's
        # shows by its amount and its id.
        self.assertNotIn("777.00", response.text)
        self.assertNotIn(f"/my/invoices/{self.invoice_b.id}", response.text)
        self.assertNotIn(
            f'value="{self._receivable_items(self.invoice_b).id}"', response.text
        )
        self.assertNotIn("Dispute B", response.text)

    def _refusal(self, response):
        """Why the form was refused, as the page it leads to says."""
        with freeze_time(TODAY):
            page = self.url_open(response.headers["Location"]).text
        return page_refusal(page)

    def _records(self):
        """Alpha's promises, disputes and plans, and the reminders' messages."""
        self.env.invalidate_all()  # the requests wrote through their own env
        models = ("promise", "dispute", "plan")
        return [
            self.env[f"credit.collection.{model}"].search_count(
                [("partner_id", "=", self.alpha.id)]
            )
            for model in models
        ] + [len(self.action_a.message_ids), len(self.action_b.message_ids)]

    # The reminder's link ------------------------------------------------------

    def test_company_a_link_shows_company_a_only(self):
        page = self._open(self._link(self.action_a))
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.invoice_a.name, page.text)
        self.assertIn("o_collection_disputes", page.text)
        self._assert_nothing_of_b(page)
        # The invoice links of the page are signed for company A's invoice.
        self.assertIn(f"/my/invoices/{self.invoice_a.id}?", page.text)
        self.assertFalse(self.invoice_b.access_token)
        statement = self._open(self._link(self.action_a, path="/statement"))
        self.assertEqual(statement.status_code, 200)
        self.assertIn(self.invoice_a.name, statement.text)
        self._assert_nothing_of_b(statement)

    def test_a_token_never_opens_the_other_companys_action(self):
        for action, token in (
            (self.action_b, self.action_a.access_token),
            (self.action_a, self.action_b.access_token),
        ):
            for path in ("", "/statement"):
                with self.subTest(action=action.company_id.name, path=path):
                    response = self._open(self._link(action, token, path))
                    self.assertEqual(response.status_code, 303)
                    self.assertNotIn("1,200.00", response.text)
                    self._assert_nothing_of_b(response)

    def test_answers_through_company_a_link_write_nothing_in_company_b(self):
        """Every form of the page, posted through company A's link with
        company B's item (or B's dispute type), is refused and writes
        nothing; a message through A's link lands on A's reminder only."""
        with freeze_time(TODAY):
            page = self.url_open(self._link(self.action_a))
        csrf = csrf_token(page.text)
        item_a = self._receivable_items(self.invoice_a)
        item_b = self._receivable_items(self.invoice_b)
        later = str(TODAY + timedelta(days=7))
        not_yours = "not open invoices of yours"
        quality = self.env.ref("credit_collection.dispute_type_quality").id
        forms = {
            "promise (B's item)": (
                "promise",
                {"line_ids": item_b.id, "amount": "10", "date": later},
                not_yours,
            ),
            "promise (both items)": (
                "promise",
                {"line_ids": [item_a.id, item_b.id], "amount": "10", "date": later},
                not_yours,
            ),
            "dispute (B's item)": (
                "dispute",
                {
                    "line_ids": item_b.id,
                    "type_id": quality,
                    "description": "Broken",
                    "amount": "10",
                },
                not_yours,
            ),
            "dispute (B's type)": (
                "dispute",
                {
                    "line_ids": item_a.id,
                    "type_id": self.type_b.id,
                    "description": "Broken",
                    "amount": "10",
                },
                "Choose what the dispute is about.",
            ),
            "plan (B's item)": (
                "plan",
                {"line_ids": item_b.id, "instalment_count": 3},
                not_yours,
            ),
        }
        before = self._records()
        for label, (kind, data, reason) in forms.items():
            with self.subTest(form=label), freeze_time(TODAY):
                response = self.url_open(
                    self._link(self.action_a, path=f"/answer/{kind}"),
                    data={
                        "csrf_token": csrf,
                        "access_token": self.action_a.access_token,
                        **data,
                    },
                    allow_redirects=False,
                )
                self.assertNotIn("done=", response.headers["Location"])
                self.assertIn(reason, self._refusal(response))
                self.assertEqual(self._records(), before)
        with freeze_time(TODAY):
            response = self.url_open(
                self._link(self.action_a, path="/answer/message"),
                data={
                    "csrf_token": csrf,
                    "access_token": self.action_a.access_token,
                    "body": "Which invoice is this?",
                },
                allow_redirects=False,
            )
        self.assertIn(
            "done=message", response.headers["Location"], self._refusal(response)
        )
        after = self._records()
        self.assertEqual(after[-2:], [before[-2] + 1, before[-1]])

    def test_company_a_token_posts_nothing_to_company_b_action(self):
        with freeze_time(TODAY):
            page = self.url_open(self._link(self.action_a))
        csrf = csrf_token(page.text)
        before = self._records()
        with freeze_time(TODAY):
            response = self.url_open(
                self._link(self.action_b, self.action_a.access_token, "/answer/plan"),
                data={
                    "csrf_token": csrf,
                    "access_token": self.action_a.access_token,
                    "line_ids": self._receivable_items(self.invoice_b).id,
                    "instalment_count": 3,
                },
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(response.headers["Location"].split("?")[0][-3:], "/my")
        self.assertEqual(self._records(), before)

    # The dispute's link -------------------------------------------------------

    def test_company_a_dispute_token_opens_nothing_of_company_b(self):
        token_a = self.dispute_a.access_token
        page_a = self.url_open(
            f"/collection/dispute/{self.dispute_a.id}?access_token={token_a}"
        )
        self.assertEqual(page_a.status_code, 200)
        self.assertIn("Dispute A", page_a.text)
        base_b = f"/collection/dispute/{self.dispute_b.id}"
        page_b = self.url_open(f"{base_b}?access_token={token_a}")
        self.assertEqual(page_b.status_code, 403)
        self._assert_nothing_of_b(page_b)
        document = self.url_open(
            f"{base_b}/document/{self.document_b.id}?access_token={token_a}"
        )
        self.assertEqual(document.status_code, 404)
        self.assertNotIn("delivery note", document.text)
        # Company B's document is not served through company A's dispute.
        document = self.url_open(
            f"/collection/dispute/{self.dispute_a.id}/document/{self.document_b.id}"
            f"?access_token={token_a}"
        )
        self.assertEqual(document.status_code, 404)
        csrf = csrf_token(page_a.text)
        messages = len(self.dispute_b.message_ids)
        answer = self.url_open(
            f"{base_b}/answer",
            data={
                "csrf_token": csrf,
                "access_token": token_a,
                "kind": "comment",
                "body": "Credit them in full.",
            },
            allow_redirects=False,
        )
        self.assertEqual(answer.status_code, 403)
        self.dispute_b.invalidate_recordset(["message_ids"])
        self.assertEqual(len(self.dispute_b.message_ids), messages)
