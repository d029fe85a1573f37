from types import SimpleNamespace

from odoo.tests import BaseCase, TransactionCase
from odoo.tools import formatLang, get_lang

from ..tools.amounts import amount_formatter

NBSP = "\N{NO-BREAK SPACE}"
AMOUNTS = [0.0, 0.005, 0.015, -0.004, 7.5, -1234.565, 1234567.891, 10**9, 99.995]


def _lang(grouping="[3,0]", thousands_sep=",", decimal_point="."):
    return SimpleNamespace(
        grouping=grouping, thousands_sep=thousands_sep, decimal_point=decimal_point
    )


def _currency(symbol="€", position="after", decimal_places=2):
    return SimpleNamespace(
        symbol=symbol, position=position, decimal_places=decimal_places
    )


class TestAmountFormatter(BaseCase):
    """An amount written with a language's separators and a currency's
    symbol, without the database."""

    def test_separators_symbol_and_rounding(self):
        french = amount_formatter(
            _lang(thousands_sep="\u202f", decimal_point=","), _currency()
        )
        self.assertEqual(french(1234567.891), f"1\u202f234\u202f567,89{NBSP}€")
        self.assertEqual(french(-1234.5), f"-1\u202f234,50{NBSP}€")
        # Half to even, as formatLang rounds.
        self.assertEqual(french(0.125), f"0,12{NBSP}€")
        english = amount_formatter(_lang(), _currency("$", "before"))
        self.assertEqual(english(1234.5), f"${NBSP}1,234.50")

    def test_indian_grouping_no_decimals_no_symbol(self):
        indian = amount_formatter(_lang(grouping="[3,2,0]"), _currency("₹"))
        self.assertEqual(indian(12345678), f"1,23,45,678.00{NBSP}₹")
        yen = amount_formatter(_lang(), _currency("¥", "before", 0))
        self.assertEqual(yen(1234.6), f"¥{NBSP}1,235")
        bare = amount_formatter(_lang(thousands_sep=False), _currency(symbol=""))
        self.assertEqual(bare(1234.5), "1234.50")


class TestAmountFormatterAsFormatLang(TransactionCase):
    """The same text as Odoo's ``formatLang`` for each language and currency
    kind, which the run's block reasons and the statements used before."""

    def test_same_text_as_format_lang(self):
        for code in ("fr_FR", "de_DE", "en_IN"):
            self.env["res.lang"]._activate_lang(code)
        currencies = (
            self.env.ref("base.EUR"),
            self.env.ref("base.USD"),
            self.env.ref("base.JPY"),
        )
        for code in ("en_US", "fr_FR", "de_DE", "en_IN"):
            env = self.env(context=dict(self.env.context, lang=code))
            for currency in currencies:
                format_amount = amount_formatter(get_lang(env), currency)
                for amount in AMOUNTS:
                    with self.subTest(lang=code, currency=currency.name, amount=amount):
                        self.assertEqual(
                            format_amount(amount),
                            formatLang(env, amount, currency_obj=currency),
                        )
