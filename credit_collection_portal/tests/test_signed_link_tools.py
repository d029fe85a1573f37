"""The signed links' rules, without a database."""

from datetime import date

from odoo.tests import BaseCase

from ..tools.signed_link import localized_url, token_opens

TODAY = date(2026, 3, 11)
TOKEN = "8a1f5c8e-6a39-4a57-9d1e-1f3b2c4d5e6f"


class TestSignedLinkTools(BaseCase):
    def test_which_tokens_open_a_link(self):
        # (why, stored, given, valid until, today, opens)
        cases = [
            ("the token, no expiry", TOKEN, TOKEN, None, None, True),
            ("the token, before it expires", TOKEN, TOKEN, TODAY, TODAY, True),
            ("the token, once expired", TOKEN, TOKEN, date(2026, 3, 10), TODAY, False),
            ("an expiring link without its date", TOKEN, TOKEN, None, TODAY, False),
            ("another token", TOKEN, TOKEN[:-1] + "0", None, None, False),
            ("a prefix of the token", TOKEN, TOKEN[:8], None, None, False),
            ("no token given", TOKEN, None, None, None, False),
            ("an empty token given", TOKEN, "", None, None, False),
            ("a revoked link", False, TOKEN, None, None, False),
            ("a revoked link, nothing given", False, False, None, None, False),
        ]
        for why, stored, given, valid_until, today, opens in cases:
            with self.subTest(why):
                self.assertIs(token_opens(stored, given, valid_until, today), opens)

    def test_the_link_opens_in_the_recipients_language(self):
        base, path = "https://erp.example.com", "/my/collection/7?access_token=x"
        self.assertEqual(
            localized_url(base, path, "fr"),
            "https://erp.example.com/fr/my/collection/7?access_token=x",
        )
        self.assertEqual(
            localized_url(base, path, None),
            "https://erp.example.com/my/collection/7?access_token=x",
        )
