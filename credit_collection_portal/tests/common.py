import html
import re

from odoo.tests import new_test_user


def csrf_token(page):
    """The CSRF token of the forms of ``page`` (HTML)."""
    return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]


def page_refusal(page):
    """The refusal the collection page (HTML) shows, or ""."""
    refusal = re.search(r'o_collection_error"[^>]*>([^<]*)<', page)
    return html.unescape(refusal[1]).strip() if refusal else ""


def portal_user(env, login, customer, company):
    """A portal user (password = login) who is a contact of ``customer``."""
    user = new_test_user(
        env,
        login=login,
        groups="base.group_portal",
        company_id=company.id,
        company_ids=[(6, 0, company.ids)],
    )
    user.partner_id.parent_id = customer
    return user
