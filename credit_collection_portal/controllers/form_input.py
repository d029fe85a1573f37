"""What a portal form sends, read and checked before anything is written:
a clear refusal (a UserError the page shows) for anything a customer can
type wrong or send on purpose — text, numbers beyond what the database
holds, NaN or infinite amounts, impossible dates, oversized text."""

import math

from odoo import fields
from odoo.exceptions import UserError
from odoo.http import request

# Ids and counts are PostgreSQL integers: a larger number names no record.
MAX_INTEGER = 2**31 - 1
# No invoice is this large; beyond, amounts overflow the currency rounding.
MAX_AMOUNT = 1e15
# A description, comment or message: a few pages at most.
MAX_TEXT = 10000


def integer(value):
    """A positive whole number (an id, a count) the database can hold, else
    0: no record has that id, and counts are checked against their range."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_INTEGER else 0


def amount(value):
    text = (value or "").strip()
    if not text:
        raise UserError(request.env._("Enter an amount."))
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        number = math.nan
    # NaN and infinities parse as floats but are no amounts.
    if not math.isfinite(number):
        raise UserError(request.env._("%(value)s is not an amount.", value=text[:50]))
    if abs(number) >= MAX_AMOUNT:
        raise UserError(request.env._("%(value)s is too large.", value=text[:50]))
    return number


def date(value):
    try:
        day = fields.Date.to_date(value)
    except (ValueError, TypeError) as error:
        raise UserError(
            request.env._("%(value)s is not a date.", value=str(value)[:50])
        ) from error
    if not day:
        raise UserError(request.env._("Enter a date."))
    return day


def text(value):
    """Free text, trimmed; refused beyond MAX_TEXT characters."""
    content = (value or "").strip()
    if len(content) > MAX_TEXT:
        raise UserError(
            request.env._(
                "The text is too long: %(max)s characters at most.", max=MAX_TEXT
            )
        )
    return content
