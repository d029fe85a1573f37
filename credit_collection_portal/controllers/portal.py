import uuid

from markupsafe import escape

from odoo import Command, fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import SQL, float_repr, format_amount, format_date

from odoo.addons.portal.controllers.portal import CustomerPortal

from . import form_input
from .feedback import redirect_refused, take_refusal
from .uploads import attach_uploads, upload_label

STATEMENT_REPORT = "credit_collection.action_report_customer_statement"
MAX_INSTALMENTS = 24


class CollectionPortal(CustomerPortal):
    """The customer's collection page: logged in (``/my/collection``) or
    through the signed link of a reminder (``/my/collection/<action>``,
    limited to that action's customer and company)."""

    # ------------------------------------------------------------------
    # Who is looking
    # ------------------------------------------------------------------

    def _collection_viewer(self, action_id=None, access_token=None):
        """``(customer, companies, action)`` the request may see, sudoed;
        AccessError otherwise."""
        if action_id is None:
            user = request.env.user
            if user._is_public():
                raise AccessError(request.env._("Log in to see your account."))
            return user.partner_id.commercial_partner_id.sudo(), user.company_ids, None
        action = request.env["credit.collection.action"].sudo().browse(action_id)
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
            self._sign_invoices(items.move_id)
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
        in_progress = {
            "promises": ("credit.collection.promise", [("state", "=", "open")]),
            "disputes": (
                "credit.collection.dispute",
                [("state", "in", ("open", "in_progress"))],
            ),
            # A plan the customer asked for shows from the request on.
            "plans": (
                "credit.collection.plan",
                [("state", "in", ("draft", "to_approve", "active"))],
            ),
        }
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
        for key, (model, domain) in in_progress.items():
            values[key] = (
                request.env[model]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", customer.id),
                        ("company_id", "in", companies.ids),
                        *domain,
                    ]
                )
            )
        return values

    def _sign_invoices(self, moves):
        """Give the invoices without one their access token, in one query:
        written one by one through the ORM, 1,000 invoices took 18 s (each
        write of an invoice runs the accounting checks)."""
        unsigned = moves.sudo().filtered(lambda move: not move.access_token)
        if not unsigned:
            return
        request.env.cr.execute(
            SQL(
                """
                UPDATE account_move move SET access_token = v.token
                  FROM unnest(%s::int[], %s::varchar[]) AS v(id, token)
                 WHERE move.id = v.id AND move.access_token IS NULL
                """,
                unsigned.ids,
                [str(uuid.uuid4()) for _move in unsigned],
            )
        )
        unsigned.invalidate_recordset(["access_token"])

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

    def _create_for_customer(self, model, customer, company, action, items, values):
        return (
            request.env[model]
            .sudo()
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "action_id": action.id if action else False,
                    "user_id": self._collector(customer, company, action).id,
                    "move_line_ids": [Command.set(items.ids)],
                    **values,
                }
            )
        )

    def _answer_promise(self, post, customer, company, action, items):
        promise = self._create_for_customer(
            "credit.collection.promise",
            customer,
            company,
            action,
            items,
            {
                "source": "portal",
                "date": form_input.date(post.get("date")),
                "amount": form_input.amount(post.get("amount")),
                "comment": form_input.text(post.get("comment")) or False,
            },
        )
        env = self._collector_env(promise)
        self._tell_collector(
            promise,
            env._(
                "%(customer)s promised %(amount)s by %(date)s on the portal.",
                customer=customer.name,
                amount=format_amount(env, promise.amount, promise.currency_id),
                date=format_date(env, promise.date),
            ),
        )
        return "promise"

    def _answer_dispute(self, post, customer, company, action, items):
        # The types the page offers: common ones and the company's own.
        kind = (
            request.env["credit.collection.dispute.type"]
            .sudo()
            .search(
                [
                    ("id", "=", form_input.integer(post.get("type_id"))),
                    ("company_id", "in", [False, company.id]),
                ]
            )
        )
        if not kind:
            raise UserError(request.env._("Choose what the dispute is about."))
        description = form_input.text(post.get("description"))
        if not description:
            raise UserError(request.env._("Describe the problem."))
        dispute = self._create_for_customer(
            "credit.collection.dispute",
            customer,
            company,
            action,
            items,
            {
                "type_id": kind.id,
                "description": description,
                "amount": form_input.amount(post.get("amount")),
            },
        )
        attach_uploads(dispute, request.httprequest.files.getlist("attachments"))
        self._tell_collector(
            dispute,
            self._collector_env(dispute)._(
                "%(customer)s raised a dispute on the portal: %(description)s",
                customer=customer.name,
                description=description,
            ),
        )
        return "dispute"

    def _answer_plan(self, post, customer, company, action, items):
        count = form_input.integer(post.get("instalment_count"))
        if not 1 <= count <= MAX_INSTALMENTS:
            raise UserError(
                request.env._(
                    "Propose between 1 and %(max)s instalments.", max=MAX_INSTALMENTS
                )
            )
        plan = self._create_for_customer(
            "credit.collection.plan",
            customer,
            company,
            action,
            items,
            {"instalment_count": count},
        )
        plan.action_generate_lines()
        env = self._collector_env(plan)
        self._tell_collector(
            plan,
            env._(
                "%(customer)s asks on the portal to pay %(amount)s in "
                "%(count)s instalments: review and confirm the plan.",
                customer=customer.name,
                amount=format_amount(env, plan.amount_total, plan.currency_id),
                count=count,
            ),
        )
        return "plan"

    def _answer_message(self, post, customer, company, action, items):
        body = form_input.text(post.get("body"))
        if not body:
            raise UserError(request.env._("Write your message first."))
        (action or customer).message_post(
            body=body,
            author_id=self._author(customer).id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self._collector(customer, company, action).partner_id.ids,
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
        chosen = {
            form_input.integer(value)
            for value in request.httprequest.form.getlist("line_ids")
        }
        if not needs_items:
            return request.env["account.move.line"]
        if not chosen:
            raise UserError(request.env._("Choose the invoices concerned."))
        items = self._collection_items(customer, companies).filtered(
            lambda line: line.id in chosen
        )
        if len(items) != len(chosen):
            raise UserError(
                request.env._(
                    "Some of the chosen invoices are not open invoices of yours."
                )
            )
        if len(items.company_id) > 1:
            raise UserError(
                request.env._("Choose invoices of one of our companies at a time.")
            )
        return items

    def _collector(self, customer, company, action):
        return (
            (action and action.user_id)
            or customer._collection_collector(company)
            # Sudoed: a visitor of a signed link cannot read users.
            or request.env.ref("base.user_admin").sudo()
        )

    def _author(self, customer):
        user = request.env.user
        return user.partner_id if not user._is_public() else customer

    @staticmethod
    def _collector_env(record):
        """What the collector is told is written in their language, not in
        the customer's."""
        return record.with_context(lang=record.user_id.lang or None).env

    def _tell_collector(self, record, summary):
        """The collector hears of it: an activity (and its email)."""
        record.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=record.user_id.id,
            summary=summary[:250],
            # What the customer typed is text, never markup.
            note=escape(summary),
        )
        record.message_post(body=summary, subtype_xmlid="mail.mt_note")
