from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import float_repr

from odoo.addons.portal.controllers.portal import CustomerPortal

from . import form_input
from .feedback import redirect_refused, take_refusal
from .uploads import read_uploads, upload_label

STATEMENT_REPORT = "credit_collection.action_report_customer_statement"


class CollectionPortal(CustomerPortal):
    """The customer's collection page: logged in (``/my/collection``) or
    through the signed link of a reminder (``/my/collection/<action>``,
    limited to that action's customer and company). It routes, checks who
    is looking, reads the forms and renders; what a form asks is decided and
    written by the models (``_portal_*`` methods)."""

    # ------------------------------------------------------------------
    # Who is looking
    # ------------------------------------------------------------------

    def _collection_viewer(self, action_id=None, access_token=None):
        """``(customer, companies, action)`` the request may see, sudoed (no
        action, an empty recordset, for a logged-in customer); AccessError
        otherwise."""
        Action = request.env["credit.collection.action"].sudo()
        if action_id is None:
            user = request.env.user
            if user._is_public():
                raise AccessError(request.env._("Log in to see your account."))
            customer = user.partner_id.commercial_partner_id.sudo()
            return customer, user.company_ids, Action
        action = Action.browse(action_id)
        if not action.exists():
            raise MissingError(request.env._("This link does not exist."))
        today = fields.Date.context_today(action)
        if not action._portal_link_valid(access_token, today):
            raise AccessError(request.env._("This link is not valid any more."))
        return action.partner_id.commercial_partner_id, action.company_id, action

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "collection_count" in counters:
            customer, companies, _action = self._collection_viewer()
            values["collection_count"] = len(
                self._collection_items(customer, companies)
            )
        return values

    @http.route("/my/collection", type="http", auth="user", website=True)
    def portal_my_collection(self, **kw):
        return self._collection_render(feedback=kw)

    @http.route(
        "/my/collection/<int:action_id>", type="http", auth="public", website=True
    )
    def portal_collection_link(self, action_id, access_token=None, **kw):
        return self._collection_render(action_id, access_token, feedback=kw)

    @http.route(
        ["/my/collection/statement", "/my/collection/<int:action_id>/statement"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_collection_statement(self, action_id=None, access_token=None, **kw):
        try:
            customer, companies, _action = self._collection_viewer(
                action_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        Report = request.env["ir.actions.report"].sudo()
        content, extension = Report.with_company(companies[:1])._render_qweb_pdf(
            STATEMENT_REPORT, customer.ids
        )
        mimetype = "application/pdf" if extension == "pdf" else "text/html"
        filename = request.env._(
            "Statement - %(customer)s.%(extension)s",
            customer=customer.name,
            extension=extension,
        )
        return request.make_response(
            content,
            [
                ("Content-Type", mimetype),
                ("Content-Length", len(content)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    def _collection_render(self, action_id=None, access_token=None, feedback=None):
        try:
            customer, companies, action = self._collection_viewer(
                action_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(self._collection_values(customer, companies, action))
        feedback = feedback or {}
        values.update(
            done=feedback.get("done"),
            error=take_refusal(),
            form_prefix=f"/my/collection/{action.id}" if action else "/my/collection",
            dispute_types=request.env["credit.collection.dispute.type"]
            .sudo()
            .search([("company_id", "in", [False, *companies.ids])]),
            today=fields.Date.context_today(request.env.user),
            upload_label=upload_label(),
        )
        return request.render("credit_collection_portal.portal_my_collection", values)

    # ------------------------------------------------------------------
    # What the page shows
    # ------------------------------------------------------------------

    def _collection_items(self, customer, companies):
        return customer.sudo()._collection_open_items(companies)

    def _collection_values(self, customer, companies, action):
        Action = request.env["credit.collection.action"].sudo()
        items = self._collection_items(customer, companies)
        today = fields.Date.context_today(Action)
        rows = Action._statement_rows(items, today)
        if action:
            items.move_id._collection_sign()
        for row in rows:
            move = row["line"].move_id
            row["url"] = self._collection_invoice_url(move, action)
            # Odoo's own payment flow, on the invoice's page.
            row["pay_url"] = (
                f"{row['url']}&payment=True#portal_pay"
                if move.move_type == "out_invoice" and move._has_to_be_paid()
                else False
            )
        totals = Action._statement_totals(rows)
        values = {
            "page_name": "collection",
            "customer": customer,
            "rows": rows,
            "totals": totals,
            # What the promise form proposes: the first currency's total, as
            # the number input takes it.
            "promise_amount": (
                float_repr(totals[0]["amount"], totals[0]["currency"].decimal_places)
                if totals and totals[0]["amount"] > 0
                else False
            ),
            "access_token": action.access_token if action else None,
            "statement_url": (
                f"/my/collection/{action.id}/statement?access_token="
                f"{action.access_token}"
                if action
                else "/my/collection/statement"
            ),
        }
        values.update(customer._collection_in_progress(companies))
        return values

    def _collection_invoice_url(self, move, action):
        """The invoice's portal page, with its token (a query string to
        extend): as the logged-in user, or signed for whoever opened the
        reminder's link."""
        if not action:
            return move.get_portal_url()
        return move.sudo()._get_share_url(redirect=False)

    # ------------------------------------------------------------------
    # What the customer does on the page
    # ------------------------------------------------------------------

    @http.route(
        [
            "/my/collection/answer/<string:kind>",
            "/my/collection/<int:action_id>/answer/<string:kind>",
        ],
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_collection_answer(self, kind, action_id=None, access_token=None, **post):
        """A promise, a dispute, a payment plan request or a message."""
        builders = {
            "promise": self._answer_promise,
            "dispute": self._answer_dispute,
            "plan": self._answer_plan,
            "message": self._answer_message,
        }
        if kind not in builders:
            raise request.not_found()
        return self._collection_post(
            action_id,
            access_token,
            post,
            builders[kind],
            needs_items=kind != "message",
        )

    # Each reads its form and asks the model; returns what the page says.

    def _answer_promise(self, post, customer, company, action, items):
        request.env["credit.collection.promise"]._portal_promise(
            customer,
            company,
            action,
            items,
            date=form_input.date(post.get("date")),
            amount=form_input.amount(post.get("amount")),
            comment=form_input.text(post.get("comment")),
        )
        return "promise"

    def _answer_dispute(self, post, customer, company, action, items):
        request.env["credit.collection.dispute"]._portal_raise(
            customer,
            company,
            action,
            items,
            type_id=form_input.integer(post.get("type_id")),
            description=form_input.text(post.get("description")),
            amount=form_input.amount(post.get("amount")),
            documents=read_uploads(request.httprequest.files.getlist("attachments")),
        )
        return "dispute"

    def _answer_plan(self, post, customer, company, action, items):
        request.env["credit.collection.plan"]._portal_request(
            customer,
            company,
            action,
            items,
            instalment_count=form_input.integer(post.get("instalment_count")),
        )
        return "plan"

    def _answer_message(self, post, customer, company, action, items):
        customer._collection_portal_message(
            company, action, form_input.text(post.get("body")), self._author(customer)
        )
        return "message"

    def _collection_post(self, action_id, access_token, post, create, needs_items=True):
        """Check who posts and what, create the record (nothing is written
        when anything is refused), and show the page again with the
        outcome."""
        try:
            customer, companies, action = self._collection_viewer(
                action_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        page = (
            f"/my/collection/{action.id}?access_token={action.access_token}"
            if action
            else "/my/collection"
        )
        separator = "&" if action else "?"
        try:
            with request.env.cr.savepoint():
                items = self._chosen_items(customer, companies, post, needs_items)
                company = items.company_id[:1] or companies[:1]
                done = create(post, customer, company, action, items)
        except (UserError, ValidationError, ValueError) as error:
            return redirect_refused(page, error.args[0] if error.args else str(error))
        return request.redirect(f"{page}{separator}done={done}")

    def _chosen_items(self, customer, companies, post, needs_items):
        """The open items of the customer the form chose."""
        if not needs_items:
            return request.env["account.move.line"]
        chosen = {
            form_input.integer(value)
            for value in request.httprequest.form.getlist("line_ids")
        }
        return customer._collection_portal_items(companies, chosen)

    def _author(self, customer):
        user = request.env.user
        return user.partner_id if not user._is_public() else customer
