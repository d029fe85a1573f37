from odoo import fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

STATEMENT_REPORT = "credit_collection.action_report_customer_statement"


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
        return self._collection_render()

    @http.route(
        "/my/collection/<int:action_id>", type="http", auth="public", website=True
    )
    def portal_collection_link(self, action_id, access_token=None, **kw):
        return self._collection_render(action_id, access_token)

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

    def _collection_render(self, action_id=None, access_token=None):
        try:
            customer, companies, action = self._collection_viewer(
                action_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(self._collection_values(customer, companies, action))
        return request.render("credit_collection_portal.portal_my_collection", values)

    # ------------------------------------------------------------------
    # What the page shows
    # ------------------------------------------------------------------

    def _collection_items(self, customer, companies):
        return (
            request.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("company_id", "in", companies.ids),
                    ("partner_id", "child_of", customer.id),
                    ("account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                ],
                order="date_maturity, id",
            )
        )

    def _collection_values(self, customer, companies, action):
        Action = request.env["credit.collection.action"].sudo()
        items = self._collection_items(customer, companies)
        today = fields.Date.context_today(Action)
        rows = Action._statement_rows(items, today)
        for row in rows:
            row["url"] = self._collection_invoice_url(row["line"].move_id, action)
        in_progress = {
            "promises": ("credit.collection.promise", [("state", "=", "open")]),
            "disputes": (
                "credit.collection.dispute",
                [("state", "in", ("open", "in_progress"))],
            ),
            "plans": (
                "credit.collection.plan",
                [("state", "in", ("to_approve", "active"))],
            ),
        }
        values = {
            "page_name": "collection",
            "customer": customer,
            "rows": rows,
            "totals": Action._statement_totals(rows),
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

    def _collection_invoice_url(self, move, action):
        """The invoice's portal page: as the logged-in user, or signed for
        whoever opened the reminder's link."""
        if not action:
            return move.get_portal_url()
        return move.sudo()._get_share_url(redirect=False)
