from email import message_from_string

from odoo.tests import BaseCase

from ..tools.mail_headers import is_automatic_reply


def _message(headers):
    lines = [f"{name}: {value}" for name, value in headers]
    return message_from_string(
        "\n".join(["From: ap@customer.example", "Subject: Re: reminder", *lines])
        + "\n\nBody\n"
    )


class TestMailHeaders(BaseCase):
    """Answers written by a program, as mail servers and clients mark them,
    and a person's answer."""

    def test_automatic_replies_and_answers_of_people(self):
        cases = [
            ([], False),
            ([("Auto-Submitted", "auto-replied")], True),
            ([("Auto-Submitted", "Auto-Replied; owner-email=ap@x.example")], True),
            ([("Auto-Submitted", "auto-generated")], True),
            ([("Auto-Submitted", "no")], False),
            ([("Auto-Submitted", "No")], False),
            ([("X-Autoreply", "yes")], True),
            ([("X-Autorespond", "Out of office")], True),
            ([("Precedence", "auto_reply")], True),
            ([("Precedence", "bulk")], True),
            ([("Precedence", "first-class")], False),
            ([("X-Auto-Response-Suppress", "All")], False),
        ]
        for headers, expected in cases:
            with self.subTest(headers=headers):
                self.assertEqual(is_automatic_reply(_message(headers)), expected)
