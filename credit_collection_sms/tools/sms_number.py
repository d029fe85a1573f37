"""Which number of a person an SMS goes to, in E.164."""

import phonenumbers

from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools.phone_validation import phone_parse

# A number of these kinds can receive a text message (some countries, e.g.
# the United States, do not tell mobile and fixed numbers apart).
TEXTABLE = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def mobile_e164(number, country_code):
    """``(e164, None)`` for a number that takes text messages, written in
    local (with the person's ``country_code``) or international form;
    ``(None, reason)`` otherwise."""
    if not number:
        return None, "missing"
    try:
        parsed = phone_parse(number, country_code)
    except UserError as error:
        return None, str(error.args[0])
    if phonenumbers.number_type(parsed) not in TEXTABLE:
        return None, "landline"
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), None
