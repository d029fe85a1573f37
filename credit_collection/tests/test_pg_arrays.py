from datetime import date, datetime, timezone
from decimal import Decimal

from markupsafe import Markup
from psycopg2.extras import Json

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools import SQL

from ..tools.pg_arrays import array_literal, sql_array

TEXTS = [
    "plain",
    "",
    "NULL",
    "null",
    'say "hi"',
    "back\\slash",
    "a,b",
    "{braces}",
    "  spaced  ",
    "line\nbreak",
    "tab\there",
    "l'apostrophe",
    "ünïcödé €",
    '\\"',
    Markup('<p class="x">Bold &amp; <b>given</b></p>'),
    None,
]


class TestArrayLiteral(BaseCase):
    """PostgreSQL's text form of an array, without the database."""

    def test_numbers_booleans_and_nulls(self):
        self.assertEqual(array_literal([1, None, -3]), "{1,NULL,-3}")
        self.assertEqual(array_literal([True, False, None]), "{t,f,NULL}")
        self.assertEqual(array_literal([0.1, 2.0, Decimal("3.50")]), "{0.1,2.0,3.50}")
        self.assertEqual(array_literal([]), "{}")

    def test_texts_are_quoted_and_escaped(self):
        self.assertEqual(
            array_literal(['say "hi"', "back\\slash", "", "NULL"]),
            '{"say \\"hi\\"","back\\\\slash","","NULL"}',
        )
        # HTML stays as it is: Markup would escape the quotes around it.
        self.assertEqual(array_literal([Markup('<b a="1">')]), '{"<b a=\\"1\\">"}')

    def test_dates_json_and_what_has_no_text_form(self):
        self.assertEqual(
            array_literal([date(2026, 1, 2), datetime(2026, 1, 2, 3, 4, 5)]),
            '{"2026-01-02","2026-01-02T03:04:05"}',
        )
        self.assertEqual(array_literal([Json({"1": True})]), '{"{\\"1\\": true}"}')
        for value in (b"bytes", object(), datetime(2026, 1, 2, tzinfo=timezone.utc)):
            with self.assertRaises(TypeError):
                array_literal([value])

    def test_sent_as_a_list_when_an_element_has_no_text_form(self):
        self.assertEqual(sql_array([1, 2], "int4").params, ["{1,2}"])
        self.assertEqual(sql_array([b"x"], "bytea").params, [[b"x"]])
        # Whatever iterable it is given, read once.
        self.assertEqual(sql_array((v for v in [1, b"x"]), "bytea").params, [[1, b"x"]])


@tagged("post_install", "-at_install")
class TestArrayRoundTrip(TransactionCase):
    """What PostgreSQL reads from the text form is what psycopg2's list
    would have given it."""

    def _both(self, values, element_type):
        self.env.cr.execute(
            SQL(
                "SELECT %s, %s",
                sql_array(values, element_type),
                SQL("%s::%s[]", list(values), SQL(element_type)),
            )
        )
        return self.env.cr.fetchone()

    def test_round_trip(self):
        cases = [
            ([1, None, 2147483647, -5], "int4"),
            ([True, False, None], "bool"),
            ([0.1, -1234.565, 1e-07, float("inf"), None], "float8"),
            ([Decimal("12.30"), 7.5, None, 3], "numeric"),
            (TEXTS, "text"),
            (TEXTS, "varchar"),
            ([date(2026, 12, 5), None], "date"),
            ([datetime(2026, 12, 5, 23, 59, 58, 123456), None], "timestamp"),
            ([Json({"1": "stage"}), Json([1, 'a"b']), Json(None), None], "jsonb"),
        ]
        for values, element_type in cases:
            with self.subTest(element_type=element_type):
                literal, listed = self._both(values, element_type)
                self.assertEqual(literal, listed)
                self.assertEqual(len(literal), len(values))
