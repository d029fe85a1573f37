import base64
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestTrackingImport(CollectionRunCommon):
    """Registered letters' tracking and receipts from the postal CSV file;
    fax proofs recorded by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stages["level_3"].notice_days = 8
        cls.letters = cls.Action
        for name in ("First", "Second", "Third"):
            customer = cls._customer(f"{name} notice")
            cls._invoice_days_late(customer, 1000, 45)

    def _printed_letters(self):
        self._run()
        letters = self.Action.search(
            [("channel", "=", "registered_letter"), ("state", "=", "todo")],
            order="id",
        )
        self.assertEqual(len(letters), 3)
        with freeze_time(TODAY):
            letters.action_print_letters()
        return letters

    def _import(self, text):
        wizard = self.env["credit.collection.tracking.import"].create(
            {"file": base64.b64encode(text.encode()), "filename": "post.csv"}
        )
        wizard.action_import()
        return wizard.result

    def test_csv_records_tracking_and_receipts_and_reports_bad_rows(self):
        first, second, third = self._printed_letters()
        result = self._import(
            "reference;tracking_number;sent_date;receipt_date\n"
            f"{first.id};1A00000000011;{TODAY};14/03/2026\n"
            f"{second.id};1A00000000022;;\n"
            f"999999;1A00000000099;;\n"
            f"{third.id};1A00000000033;{TODAY};2026-03-01\n"
        )
        self.assertEqual(
            (first.tracking_number, first.receipt_date),
            ("1A00000000011", date(2026, 3, 14)),
        )
        self.assertEqual(first.notice_deadline, date(2026, 3, 22))
        self.assertEqual(
            (second.tracking_number, second.receipt_date), ("1A00000000022", False)
        )
        self.assertFalse(third.tracking_number, "a bad row records nothing")
        self.assertIn("2 letters updated.", result)
        self.assertIn("Line 4: no registered letter with reference 999999", result)
        self.assertIn("Line 5: the receipt date is before the sent date.", result)
        # Receipts often come later, found by their tracking number.
        result = self._import(
            "tracking_number,receipt_date\n1A00000000022,2026-03-16\n"
            "1A00000000011,2026-03-20\n"
        )
        self.assertEqual(second.receipt_date, date(2026, 3, 16))
        self.assertEqual(first.receipt_date, date(2026, 3, 14), "recorded once")
        self.assertIn("already has Received on 2026-03-14", result)

    def test_hostile_rows_are_reported_and_write_nothing(self):
        """Numbers beyond the database's integers, non-ASCII digits,
        injection strings, oversized or control-character tracking numbers,
        impossible and future dates, extra columns: each row says why, the
        letters stay as they were, the good row is recorded."""
        first, second, _third = self._printed_letters()
        result = self._import(
            "reference;tracking_number;receipt_date\n"
            f"{'9' * 30};1A1;\n"
            "١٢;1A2;\n"
            "1 OR 1=1;1A3;\n"
            f"{first.id};{'A' * 65};\n"
            f"{first.id};1A\x07BEL;\n"
            f"{first.id};1A4;2026-02-30\n"
            f"{first.id};1A5;2999-01-01\n"
            f"{first.id};' OR '1'='1;\n"
            f"{second.id};1A00000000022;2026-03-16;extra;columns\n"
        )
        lines = result.splitlines()
        self.assertEqual(lines[0], "2 letters updated.")
        for line, reason in enumerate(
            (
                "is not a number",
                "is not a number",
                "is not a number",
                "is not a tracking number",
                "is not a tracking number",
                "is not a date",
                "is in the future",
            ),
            start=2,
        ):
            self.assertIn(f"Line {line}: ", lines[line - 1])
            self.assertIn(reason, lines[line - 1])
        # An injection string is a tracking number like any other text: the
        # ORM writes it as a value.
        self.assertEqual(first.tracking_number, "' OR '1'='1")
        self.assertEqual(
            (second.tracking_number, second.receipt_date),
            ("1A00000000022", date(2026, 3, 16)),
        )

    def test_unreadable_files_are_refused(self):
        header = "needs a header row"
        for content, reason in (
            (b"\x00\x01\x02binary\x00", "not a readable CSV file"),
            (b"\x89PNG\r\n\x1a\n\x00\x00", "not a UTF-8 CSV file"),
            (b"\xff\xfe\xfa", "not a UTF-8 CSV file"),
            (b'"unclosed;quote\n1;2', header),
            (b"", header),
        ):
            wizard = self.env["credit.collection.tracking.import"].create(
                {"file": base64.b64encode(content), "filename": "post.csv"}
            )
            with self.subTest(content=content):
                with self.assertRaises(UserError) as refused:
                    wizard.action_import()
                self.assertIn(reason, str(refused.exception))

    def test_a_file_without_the_columns_is_refused(self):
        with self.assertRaisesRegex(UserError, "header row with a 'reference'"):
            self._import("letter,date\n12,2026-03-01\n")

    def test_fax_is_logged_with_its_number_and_transmission_report(self):
        customer = self._customer("Faxed")
        self._invoice_days_late(customer, 600, 25)
        self._run()
        action = self._actions(customer)
        action.write({"channel": "fax", "fax_number": "+33 1 23 45 67 00"})
        report = self.env["ir.attachment"].create(
            {
                "name": "transmission-report.pdf",
                "raw": b"%PDF-1.4 transmission OK",
                "res_model": action._name,
                "res_id": action.id,
            }
        )
        action.action_done()
        action.write({"sent_date": TODAY, "proof_attachment_id": report.id})
        self.assertEqual(
            (action.state, action.fax_number, action.proof_attachment_id),
            ("done", "+33 1 23 45 67 00", report),
        )
        other = report.copy({"name": "another.pdf"})
        with self.assertRaisesRegex(UserError, "evidence"):
            action.proof_attachment_id = other
