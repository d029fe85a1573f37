from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from odoo.addons.credit_collection.tests.run_common import TODAY, CollectionRunCommon

from ..hooks import post_init_hook
from .common import csrf_token, portal_user


@tagged("post_install", "-at_install")
class TestCollectionPortalPage(CollectionRunCommon, HttpCase):
    """The customer's page, logged in or through a reminder's signed link,
    and only ever the customer's own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alpha = cls._customer("Alpha Ltd")
        cls.beta = cls._customer("Beta Ltd")
        cls.alpha_invoice = cls._invoice_days_late(cls.alpha, 1200, 10)
        cls.beta_invoice = cls._invoice_days_late(cls.beta, 3400, 10)
        cls.alpha_user = portal_user(cls.env, "alpha-portal", cls.alpha, cls.company)

    def _reminders(self):
        """The reminders (level 1 emails) of Alpha and Beta on TODAY."""
        self._run()
        alpha = self._actions(self.alpha)
        beta = self._actions(self.beta)
        self.assertTrue(alpha.access_token and beta.access_token)
        self.assertNotEqual(alpha.access_token, beta.access_token)
        return alpha, beta

    def _open(self, url, day=TODAY):
        with freeze_time(day):
            return self.url_open(url, allow_redirects=False)

    def _link(self, action, token=None):
        return f"/my/collection/{action.id}?access_token={token or action.access_token}"

    def _assert_refused(self, url, day=TODAY):
        response = self._open(url, day)
        self.assertEqual(response.status_code, 303, url)
        self.assertNotIn(self.alpha_invoice.name, response.text)
        self.assertNotIn(self.beta_invoice.name, response.text)

    # The page --------------------------------------------------------------

    def test_logged_in_customer_sees_its_own_account(self):
        self.authenticate("alpha-portal", "alpha-portal")
        response = self._open("/my/collection")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.alpha_invoice.name, response.text)
        self.assertIn("1,200.00", response.text)
        self.assertIn("Download the statement", response.text)
        self.assertNotIn(self.beta_invoice.name, response.text)
        home = self._open("/my")
        self.assertIn("Your account statement", home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["collection_count"]}
        )
        self.assertEqual(counters["collection_count"], 1)

    def test_logged_in_customer_sees_its_companies_only(self):
        """Alpha also owes company B, which its portal user does not belong
        to: the page, the counter and the statement leave B's invoice out,
        and a form naming B's item is refused."""
        other = self.setup_other_company()["company"]
        other_invoice = self.init_invoice(
            "out_invoice", partner=self.alpha, amounts=[777.0], company=other, post=True
        )
        self.authenticate("alpha-portal", "alpha-portal")
        page = self._open("/my/collection")
        self.assertIn(self.alpha_invoice.name, page.text)
        self.assertNotIn(other_invoice.name, page.text)
        self.assertNotIn("777.00", page.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["collection_count"]}
        )
        self.assertEqual(counters["collection_count"], 1)
        statement = self._open("/my/collection/statement")
        self.assertIn(self.alpha_invoice.name, statement.text)
        self.assertNotIn(other_invoice.name, statement.text)
        csrf = csrf_token(page.text)
        with freeze_time(TODAY):
            answer = self.url_open(
                "/my/collection/answer/promise",
                data={
                    "csrf_token": csrf,
                    "line_ids": self._receivable_items(other_invoice).id,
                    "amount": "10",
                    "date": str(TODAY + timedelta(days=3)),
                },
                allow_redirects=False,
            )
        self.assertEqual(answer.status_code, 303)
        self.assertNotIn("done=promise", answer.headers["Location"])
        self.assertFalse(
            self.env["credit.collection.promise"].search(
                [("partner_id", "=", self.alpha.id)]
            )
        )

    def test_reminder_link_opens_the_page_without_login(self):
        alpha, _beta = self._reminders()
        self.assertIn(self._link(alpha), alpha.statement_html)
        response = self._open(self._link(alpha))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.alpha_invoice.name, response.text)
        self.assertNotIn(self.beta_invoice.name, response.text)
        # The invoice's own page opens through the signed link as well.
        invoice_url = self.alpha_invoice._get_share_url(redirect=False)
        self.assertIn(invoice_url.split("?")[0], response.text)
        self.assertEqual(self._open(invoice_url).status_code, 200)

    def test_pay_online_through_odoos_payment_providers(self):
        alpha, _beta = self._reminders()
        self.env["ir.config_parameter"].set_param(
            "account_payment.enable_portal_payment", True
        )
        page = self._open(self._link(alpha))
        pay_url = self.alpha_invoice._get_share_url(redirect=False)
        self.assertIn(f"{pay_url}&amp;payment=True#portal_pay", page.text)
        invoice_page = self._open(f"{pay_url}&payment=True")
        self.assertEqual(invoice_page.status_code, 200)
        # Odoo's payment flow of the invoice, opened on its payment dialog.
        self.assertIn('id="portal_pay" data-payment="True"', invoice_page.text)
        self.assertIn('data-bs-target="#pay_with"', invoice_page.text)
        # Nothing to pay once paid.
        self._pay(self.alpha_invoice)
        self.assertNotIn("o_collection_pay", self._open(self._link(alpha)).text)

    def test_statement_download(self):
        alpha, _beta = self._reminders()
        response = self._open(
            f"/my/collection/{alpha.id}/statement?access_token={alpha.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Statement%20-%20Alpha%20Ltd", response.headers["Content-Disposition"]
        )
        # Tests render reports as HTML: the statement lists the invoice.
        self.assertIn(self.alpha_invoice.name, response.text)
        self._assert_refused(f"/my/collection/{alpha.id}/statement")
        self._assert_refused("/my/collection/statement")

    # Security ----------------------------------------------------------------

    def test_no_page_for_a_wrong_guessed_or_swapped_token(self):
        alpha, beta = self._reminders()
        self._assert_refused(f"/my/collection/{alpha.id}")
        self._assert_refused(self._link(alpha, "0" * 36))
        self._assert_refused(self._link(alpha, alpha.access_token[:-1] + "x"))
        # Beta's own token does not open Alpha's page, nor the reverse.
        self._assert_refused(self._link(alpha, beta.access_token))
        self._assert_refused(self._link(beta, alpha.access_token))
        self._assert_refused(f"/my/collection/{beta.id + 1000}?access_token=x")
        # A public visitor without a link is sent to log in.
        self._assert_refused("/my/collection")

    def test_no_text_from_the_url_on_the_page(self):
        """A link to our site cannot make the page say what its sender
        wants (only the page's own refusals are shown)."""
        alpha, _beta = self._reminders()
        bait = "Pay to IBAN XX00 instead"
        response = self._open(f"{self._link(alpha)}&error={bait}&done={bait}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(bait, response.text)
        self.authenticate("alpha-portal", "alpha-portal")
        response = self._open(f"/my/collection?error={bait}")
        self.assertNotIn(bait, response.text)

    def test_link_expires(self):
        alpha, _beta = self._reminders()
        self.company.credit_collection_portal_link_days = 10
        self.assertEqual(alpha.portal_link_expiry, alpha.date + timedelta(days=10))
        last_day = alpha.date + timedelta(days=10)
        self.assertEqual(self._open(self._link(alpha), last_day).status_code, 200)
        self._assert_refused(self._link(alpha), last_day + timedelta(days=1))

    def test_revoked_link_opens_nothing(self):
        alpha, _beta = self._reminders()
        link = self._link(alpha)
        alpha.action_revoke_portal_link()
        self.assertEqual(alpha.state, "done", "revoking changes no evidence")
        self._assert_refused(link)
        self.assertNotIn("access_token", alpha.statement_html or "")

    def test_a_link_shows_its_company_only(self):
        alpha, _beta = self._reminders()
        other = self.setup_other_company()["company"]
        other_invoice = self.init_invoice(
            "out_invoice", partner=self.alpha, amounts=[777.0], company=other, post=True
        )
        response = self._open(self._link(alpha))
        self.assertIn(self.alpha_invoice.name, response.text)
        self.assertNotIn("777.00", response.text, other_invoice.name)

    def test_existing_actions_get_their_own_token_at_install(self):
        alpha, beta = self._reminders()
        self.env.cr.execute(
            "UPDATE credit_collection_action SET access_token = 'shared'"
        )
        post_init_hook(self.env)
        (alpha | beta).invalidate_recordset(["access_token"])
        self.assertNotEqual(alpha.access_token, beta.access_token)
        self.assertNotEqual(alpha.access_token, "shared")
