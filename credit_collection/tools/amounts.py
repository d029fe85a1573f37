"""Amounts written as ``formatLang(env, amount, currency_obj=currency)``
writes them, for many amounts: ``formatLang`` looks the language and its
separators up on every call (0.2 ms, most of it cache keys), which the daily
run pays for each customer it blocks and the statement for each line."""

import ast

from odoo.tools.float_utils import float_round
from odoo.tools.misc import NON_BREAKING_SPACE

from odoo.addons.base.models.res_lang import intersperse


def amount_formatter(lang, currency):
    """``format(amount)``: ``amount`` rounded to ``currency``'s decimals and
    written with ``lang``'s separators and ``currency``'s symbol.

    ``lang``: a ``res.lang`` data record (``get_lang(env)``): ``grouping``,
    ``thousands_sep``, ``decimal_point``. ``currency``: anything with
    ``decimal_places``, ``symbol`` and ``position``."""
    grouping = ast.literal_eval(lang.grouping)
    thousands_sep, decimal_point = lang.thousands_sep or "", lang.decimal_point
    digits = currency.decimal_places
    symbol, after = currency.symbol, currency.position == "after"

    def format_amount(amount):
        rounded = float_round(
            amount, precision_digits=digits, rounding_method="HALF-EVEN"
        )
        parts = ("%.*f" % (digits, rounded)).split(".")
        parts[0] = intersperse(parts[0], grouping, thousands_sep)[0]
        text = decimal_point.join(parts)
        if not symbol:
            return text
        if after:
            return f"{text}{NON_BREAKING_SPACE}{symbol}"
        return f"{symbol}{NON_BREAKING_SPACE}{text}"

    return format_amount
