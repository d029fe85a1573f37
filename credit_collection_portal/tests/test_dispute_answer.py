import re

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.run_common import CollectionRunCommon
from odoo.addons.mail.tests.common import MailCase

from .common import csrf_token


@tagged("post_install", "-at_install")
class TestDisputeAnswer(CollectionRunCommon, MailCase, HttpCase):
    """The person examining a dispute answers through the signed link of
    their email, without Collections rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls._user("answer-salesperson", "base.group_user")
        cls.customer = cls._customer("Claimant")
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 25)

    def _dispute(self):
        with self.mock_mail_gateway():
            dispute = self.env["credit.collection.dispute"].create(
                {
                    "partner_id": self.customer.id,
                    "type_id": self.env.ref(
                        "credit_collection.dispute_type_delivery"
                    ).id,
                    "description": "Never received the second pallet.",
                    "amount": 400,
                    "responsible_id": self.salesperson.id,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.invoice).ids)
                    ],
                }
            )
        return dispute

    def _page(self, dispute, token=None):
        token = token or dispute.access_token
        return f"/collection/dispute/{dispute.id}?access_token={token}"

    def _answer(self, dispute, kind, body, document=None):
        """Open the dispute's page and post an answer from it, with a
        ``(name, content)`` document."""
        page = self.url_open(self._page(dispute))
        csrf = csrf_token(page.text)
        response = self.url_open(
            f"/collection/dispute/{dispute.id}/answer",
            data={
                "csrf_token": csrf,
                "access_token": dispute.access_token,
                "kind": kind,
                "body": body,
            },
            files={"attachments": document} if document else None,
            allow_redirects=False,
        )
        return page, response

    def _refusal(self, response):
        """The refusal the dispute's page shows after the answer."""
        page = self.url_open(response.headers["Location"]).text
        return re.search(r'alert-danger"[^>]*>([^<]*)<', page)[1]

    def _document_url(self, dispute, attachment, token=None):
        return (
            f"/collection/dispute/{dispute.id}/document/{attachment.id}"
            f"?access_token={token or dispute.access_token}"
        )

    def test_the_responsible_is_emailed_a_signed_link(self):
        dispute = self._dispute()
        link = dispute._get_share_url(redirect=False)
        mail = self._new_mails.filtered(
            lambda m: (
                self.salesperson.partner_id in m.recipient_ids
                and link in str(m.body_html)
            )
        )
        self.assertEqual(len(mail), 1, "one email, with the signed link")
        self.assertIn("Examine the dispute of Claimant", str(mail.body_html))
        self.assertEqual(
            len(
                self._new_mails.filtered(
                    lambda m: self.salesperson.partner_id in m.recipient_ids
                )
            ),
            1,
        )

    def test_answer_lands_in_the_dispute_thread(self):
        dispute = self._dispute()
        page, response = self._answer(
            dispute, "delivery_confirmed", "Signed delivery note attached to the order."
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Never received the second pallet.", page.text)
        self.assertIn(self.invoice.name, page.text)
        self.assertIn("done=1", response.headers["Location"])
        answer = dispute.message_ids[0]
        self.assertEqual(answer.author_id, self.salesperson.partner_id)
        self.assertIn("Confirms the delivery", answer.body)
        self.assertIn("Signed delivery note", answer.body)

    def test_internal_notes_stay_internal(self):
        dispute = self._dispute()
        dispute.message_post(
            body="Customer is on our watch list.", subtype_xmlid="mail.mt_note"
        )
        dispute.message_post(
            body="Please check the delivery.",
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        page = self.url_open(self._page(dispute)).text
        self.assertIn("Please check the delivery.", page)
        self.assertNotIn("watch list", page)

    def test_no_text_from_the_url_on_the_page(self):
        dispute = self._dispute()
        bait = "Credit the customer 10,000 at once"
        page = self.url_open(f"{self._page(dispute)}&error={bait}&done={bait}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(bait, page.text)

    def test_wrong_token_or_closed_dispute_opens_nothing(self):
        dispute = self._dispute()
        other = self._dispute()
        for url in (
            self._page(dispute, "0" * 36),
            self._page(dispute, other.access_token),
            f"/collection/dispute/{dispute.id}",
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 403, url)
            self.assertNotIn("second pallet", response.text)
        dispute.resolution = "Credit note issued."
        dispute.action_reject()
        self.assertEqual(self.url_open(self._page(dispute)).status_code, 403)

    def test_an_empty_comment_is_refused(self):
        dispute = self._dispute()
        count = len(dispute.message_ids)
        _page, response = self._answer(dispute, "comment", " ")
        self.assertIn("Write your answer first.", self._refusal(response))
        self.assertEqual(len(dispute.message_ids), count)

    def test_an_oversized_or_unknown_answer_is_refused(self):
        dispute = self._dispute()
        count = len(dispute.message_ids)
        for kind, body, reason in (
            ("comment", "x" * 10001, "too long"),
            ("'; DROP TABLE", "Fine", "Choose what your answer is."),
        ):
            with self.subTest(reason=reason):
                _page, response = self._answer(dispute, kind, body)
                self.assertIn(reason, self._refusal(response))
                self.assertEqual(len(dispute.message_ids), count)

    def test_answer_with_a_document(self):
        dispute = self._dispute()
        _page, response = self._answer(
            dispute, "credit_note", "Two boxes broken.", ("photo.txt", b"broken")
        )
        self.assertIn("done=1", response.headers["Location"])
        answer = dispute.message_ids[0]
        self.assertEqual(answer.attachment_ids.mapped("name"), ["photo.txt"])
        self.assertEqual(answer.attachment_ids.raw, b"broken")
        page = self.url_open(self._page(dispute)).text
        self.assertIn(self._document_url(dispute, answer.attachment_ids), page)

    def test_a_huge_document_is_refused_and_nothing_written(self):
        dispute = self._dispute()
        messages = dispute.message_ids
        _page, response = self._answer(
            dispute,
            "comment",
            "See the video.",
            ("video.mp4", b"0" * (10 * 1024 * 1024 + 1)),
        )
        self.assertIn("larger than 10 MB", self._refusal(response))
        self.assertEqual(dispute.message_ids, messages)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", dispute._name), ("res_id", "=", dispute.id)]
            )
        )

    def test_documents_of_the_dispute_but_not_of_internal_notes(self):
        """The customer's files are shown and open; a collector's internal
        note keeps its file; another dispute's file never opens."""
        dispute = self._dispute()
        other = self._dispute()
        Attachment = self.env["ir.attachment"]
        claim = Attachment.create(
            {
                "name": "claim.txt",
                "raw": b"the claim",
                "res_model": dispute._name,
                "res_id": dispute.id,
            }
        )
        note = dispute.message_post(
            body="Credit report.",
            subtype_xmlid="mail.mt_note",
            attachments=[("credit-report.txt", b"watch list figures")],
        )
        elsewhere = Attachment.create(
            {
                "name": "other.txt",
                "raw": b"other",
                "res_model": other._name,
                "res_id": other.id,
            }
        )
        page = self.url_open(self._page(dispute)).text
        self.assertIn("claim.txt", page)
        self.assertNotIn("credit-report.txt", page)
        response = self.url_open(self._document_url(dispute, claim))
        self.assertEqual((response.status_code, response.content), (200, b"the claim"))
        for url in (
            self._document_url(dispute, note.attachment_ids),
            self._document_url(dispute, elsewhere),
            self._document_url(dispute, claim, other.access_token),
            self._document_url(dispute, claim, "0" * 36),
        ):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertNotIn(b"watch list figures", response.content)

    def test_an_answer_without_csrf_token_is_refused(self):
        dispute = self._dispute()
        messages = dispute.message_ids
        with self.assertLogs("odoo.http", "WARNING"):
            response = self.url_open(
                f"/collection/dispute/{dispute.id}/answer",
                data={
                    "access_token": dispute.access_token,
                    "kind": "comment",
                    "body": "Forged answer.",
                },
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(dispute.message_ids, messages)
