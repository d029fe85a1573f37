import datetime
import io
from datetime import timedelta

import openpyxl

from odoo import fields
from odoo.tests import tagged

from ..xlsx.aged_balance import write_aged_balance
from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestAgedBalance(CreditCollectionCommon):
    """The aged balance of a small ledger worked out by hand, at the bucket
    boundaries, and its XLSX export read back. The view ages items as of
    the database's today, so the ledger is dated from today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Aged Ltd", "is_company": True}
        )
        cls.invoices = {}
        # days overdue -> amount (negative days: not due yet)
        for days, amount in [
            (-5, 1000),  # not due
            (0, 200),  # due today: not overdue
            (1, 100),  # 1-30
            (30, 300),  # 1-30, 30 paid below
            (31, 400),  # 31-60
            (60, 50),  # 31-60
            (61, 60),  # 61-90
            (90, 70),  # 61-90
            (91, 80),  # over 90
        ]:
            due = cls.today - timedelta(days=days)
            cls.invoices[days] = cls._post_invoice(
                cls.customer, amount, due=due, invoice_date=due - timedelta(days=30)
            )
        cls._post_invoice(
            cls.customer, 25, due=cls.today, move_type="out_refund"
        )  # an open credit note, not due
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=cls.invoices[30].ids
        ).create(
            {"amount": 30, "payment_difference_handling": "open"}
        )._create_payments()

    def _balance(self):
        groups = self.env["credit.collection.aged.balance"]._read_group(
            [("partner_id", "=", self.customer.id)], ["bucket"], ["amount_residual:sum"]
        )
        return dict(groups)

    def test_buckets_at_their_boundaries(self):
        self.assertEqual(
            self._balance(),
            {
                "not_due": 1000 + 200 - 25,
                "1_30": 100 + 270,
                "31_60": 400 + 50,
                "61_90": 60 + 70,
                "over_90": 80,
            },
        )
        row = self.env["credit.collection.aged.balance"].search(
            [("move_id", "=", self.invoices[31].id)]
        )
        self.assertEqual((row.days_overdue, row.bucket), (31, "31_60"))

    def test_paid_invoices_leave_the_balance(self):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoices[91].ids
        ).create({})._create_payments()
        self.assertNotIn("over_90", self._balance())

    def test_xlsx_has_real_types_a_frozen_header_a_filter_and_totals(self):
        buffer = io.BytesIO()
        rows = write_aged_balance(
            self.env, [("partner_id", "=", self.customer.id)], buffer
        )
        self.assertEqual(rows, 10)
        book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
        sheet = book.active
        self.assertEqual(sheet["A1"].value, "Customer")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:M11")
        by_document = {
            sheet.cell(row, 2).value: [cell.value for cell in sheet[row]]
            for row in range(2, 12)
        }
        line = by_document[self.invoices[31].name]
        self.assertEqual(line[0], "Aged Ltd")
        self.assertIsInstance(line[3], datetime.datetime)
        self.assertEqual(line[3].date(), self.today - timedelta(days=31))
        self.assertEqual(line[4], 31)
        self.assertEqual(line[5], "31-60 days")
        self.assertEqual(line[8], 400)
        self.assertIsInstance(line[8], (int, float))
        self.assertEqual(sheet.cell(12, 1).value, "Total")
        self.assertEqual(sheet.cell(12, 9).value, "=SUBTOTAL(9,I2:I11)")
        cached = openpyxl.load_workbook(
            io.BytesIO(buffer.getvalue()), data_only=True
        ).active
        self.assertEqual(cached.cell(12, 9).value, 1175 + 370 + 450 + 130 + 80)

    def test_xlsx_rows_by_customer_then_due_date(self):
        able = self.env["res.partner"].create({"name": "Able Ltd", "is_company": True})
        self._post_invoice(able, 10, due=self.today)
        buffer = io.BytesIO()
        write_aged_balance(
            self.env, [("partner_id", "in", (able | self.customer).ids)], buffer
        )
        sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
        rows = [(row[0].value, row[3].value) for row in sheet.iter_rows(2, 12)]
        self.assertEqual(rows, sorted(rows))
        self.assertEqual(rows[0][0], "Able Ltd")
        self.assertEqual(rows[1][1].date(), self.today - timedelta(days=91))

    def test_export_action_downloads_the_file(self):
        action = (
            self.env["credit.collection.aged.balance"]
            .search([("partner_id", "=", self.customer.id)])
            .action_export_xlsx()
        )
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        self.assertEqual(sheet.max_row, 12)
