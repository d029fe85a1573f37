import html
import re

from odoo.tests import new_test_user

from odoo.addons.credit_collection.tests.run_common import CollectionRunCommon


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


class PortalCustomersCommon(CollectionRunCommon):
    """Alpha, whose collector hears of what it does on the portal, owes two
    invoices 10 days late; Beta owes one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._collector_user("portal-collector")
        cls.alpha = cls._customer("Alpha Ltd")
        cls.alpha.with_company(cls.company).collection_user_id = cls.collector
        cls.beta = cls._customer("Beta Ltd")
        cls.invoice = cls._invoice_days_late(cls.alpha, 1200, 10)
        cls.other_invoice = cls._invoice_days_late(cls.alpha, 300, 10)
        cls.beta_invoice = cls._invoice_days_late(cls.beta, 3400, 10)
        cls.item = cls._receivable_items(cls.invoice)
