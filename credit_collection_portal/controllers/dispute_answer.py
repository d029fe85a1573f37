from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from . import form_input
from .feedback import redirect_refused, take_refusal
from .uploads import read_uploads, upload_label


class DisputeAnswer(http.Controller):
    """The page of a dispute for the internal person examining it, opened
    through the signed link of their email (no Collections rights needed)."""

    def _dispute(self, dispute_id, access_token):
        dispute = request.env["credit.collection.dispute"].sudo().browse(dispute_id)
        if not dispute.exists() or not dispute._answer_link_valid(access_token):
            return None
        return dispute

    @http.route(
        "/collection/dispute/<int:dispute_id>", type="http", auth="public", website=True
    )
    def dispute_page(self, dispute_id, access_token=None, done=None, **kw):
        dispute = self._dispute(dispute_id, access_token)
        if not dispute:
            return request.render(
                "credit_collection_portal.dispute_answer_closed", {}, status=403
            )
        messages = self._discussion(dispute)
        return request.render(
            "credit_collection_portal.dispute_answer_page",
            {
                "dispute": dispute,
                "title": request.env._(
                    "Dispute of %(customer)s", customer=dispute.partner_id.name
                ),
                "access_token": access_token,
                "kinds": dispute._answer_kinds(),
                "messages": messages,
                "documents": self._documents(dispute),
                "upload_label": upload_label(),
                "done": done,
                "error": take_refusal(),
            },
        )

    @staticmethod
    def _discussion(dispute):
        """The discussion, not the collectors' internal notes: a link can
        be forwarded."""
        return dispute.message_ids.filtered(
            lambda m: (
                m.message_type in ("comment", "email") and not m.subtype_id.internal
            )
        )

    def _documents(self, dispute):
        """The files of the dispute (the customer's, the answers'), but not
        those of internal notes."""
        internal = dispute.message_ids - self._discussion(dispute)
        return (
            request.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", dispute._name),
                    ("res_id", "=", dispute.id),
                    ("id", "not in", internal.attachment_ids.ids),
                ],
                order="id",
            )
        )

    @http.route(
        "/collection/dispute/<int:dispute_id>/document/<int:attachment_id>",
        type="http",
        auth="public",
        website=True,
    )
    def dispute_document(self, dispute_id, attachment_id, access_token=None, **kw):
        dispute = self._dispute(dispute_id, access_token)
        document = (
            self._documents(dispute).filtered(lambda a: a.id == attachment_id)
            if dispute
            else None
        )
        if not document:
            raise request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(document)
            .get_response(as_attachment=True)
        )

    @http.route(
        "/collection/dispute/<int:dispute_id>/answer",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def dispute_answer(self, dispute_id, access_token=None, kind=None, body=None, **kw):
        dispute = self._dispute(dispute_id, access_token)
        if not dispute:
            return request.render(
                "credit_collection_portal.dispute_answer_closed", {}, status=403
            )
        page = f"/collection/dispute/{dispute.id}?access_token={access_token}"
        try:
            dispute._portal_answer(
                kind,
                form_input.text(body),
                read_uploads(request.httprequest.files.getlist("attachments")),
            )
        except UserError as error:
            return redirect_refused(page, error.args[0])
        return request.redirect(f"{page}&done=1")
