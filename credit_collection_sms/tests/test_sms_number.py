from odoo.tests import BaseCase

from ..tools.sms_number import mobile_e164


class TestSmsNumber(BaseCase):
    """Numbers written the way people write them, in several countries."""

    def test_mobiles_in_local_and_international_form(self):
        cases = [
            ("FR", "06 12 34 56 78", "+33612345678"),
            ("FR", "+33 6 12 34 56 78", "+33612345678"),
            ("FR", "0033 6 12 34 56 78", "+33612345678"),
            ("FR", "07.81.23.45.67", "+33781234567"),
            ("BE", "0470 12 34 56", "+32470123456"),
            ("BE", "+32 470 12 34 56", "+32470123456"),
            ("DE", "0151 23456789", "+4915123456789"),
            ("DE", "+49 (0)151 2345 6789", "+4915123456789"),
            ("ES", "612 34 56 78", "+34612345678"),
            ("ES", "+34 612-345-678", "+34612345678"),
            ("US", "(201) 555-0123", "+12015550123"),
            ("US", "+1 201 555 0123", "+12015550123"),
            # A number written internationally keeps its own country.
            ("FR", "+32 470 12 34 56", "+32470123456"),
        ]
        for country, number, expected in cases:
            with self.subTest(country=country, number=number):
                self.assertEqual(mobile_e164(number, country), (expected, None))

    def test_what_cannot_take_a_text_message(self):
        self.assertEqual(mobile_e164("01 23 45 67 89", "FR"), (None, "landline"))
        self.assertEqual(mobile_e164("02 512 34 56", "BE"), (None, "landline"))
        self.assertEqual(mobile_e164("030 1234567", "DE"), (None, "landline"))
        self.assertEqual(mobile_e164(False, "FR"), (None, "missing"))
        for number in ("123", "06 12 34", "+999 1234 5678", "not a number"):
            with self.subTest(number=number):
                e164, reason = mobile_e164(number, "FR")
                self.assertIsNone(e164)
                self.assertIn(number, reason)
