import datetime
import io
from datetime import timedelta

import openpyxl
from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged

from ..xlsx import agenda
from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestXlsxExports(CollectionRunCommon):
    """The agenda and a customer's history as XLSX files, read back.

    The run of 11 March proposes a call to Call Me Ltd (1,000, 25 days
    late: level 2) and emails Mail Me Ltd (300, 10 days late: level 1),
    which promises on the phone to pay on 20 March."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.caller = cls._customer("Call Me Ltd")
        cls.mailed = cls._customer("Mail Me Ltd")
        cls.call_invoice = cls._invoice_days_late(cls.caller, 1000, 25)
        cls.mail_invoice = cls._invoice_days_late(cls.mailed, 300, 10)

    def setUp(self):
        super().setUp()
        self._run()
        self.call = self._actions(self.caller)
        self.email = self._actions(self.mailed)
        with freeze_time(TODAY):
            self.promise = self.env["credit.collection.promise"].create(
                {
                    "partner_id": self.mailed.id,
                    "date": TODAY + timedelta(days=9),
                    "amount": 300,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.mail_invoice).ids)
                    ],
                }
            )

    def _open(self, action, data_only=False):
        attachment = self._attachment_of(action)
        self.assertTrue(attachment.name.endswith(".xlsx"))
        return openpyxl.load_workbook(io.BytesIO(attachment.raw), data_only=data_only)

    def test_agenda_export_has_typed_cells_and_totals(self):
        actions = self.call | self.email
        self.assertEqual(self.call.state, "todo")
        export = actions.action_export_xlsx()
        sheet = self._open(export).active
        self.assertEqual(sheet["A1"].value, "Planned date")
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertEqual(sheet.auto_filter.ref, "A1:P3")
        self.assertEqual(
            (sheet["K1"].value, sheet["L1"].value), ("Expected recovery", "Why")
        )
        rows = {
            row[2].value: [cell.value for cell in row] for row in sheet.iter_rows(2, 3)
        }
        call = rows["Call Me Ltd"]
        self.assertIsInstance(call[0], datetime.datetime)
        self.assertEqual(call[0].date(), TODAY)
        self.assertEqual(call[3], "+33 1 23 45 67 89")
        self.assertEqual(call[5], "Phone call")
        self.assertEqual(call[7], "To do")
        self.assertEqual((call[8], call[9]), (1000, 1000))
        self.assertEqual(call[13], self.call_invoice.name)
        self.assertEqual(rows["Mail Me Ltd"][7], "Done")
        self.assertEqual(sheet["A4"].value, "Total")
        self.assertEqual(sheet["J4"].value, "=SUBTOTAL(9,J2:J3)")
        cached = self._open(export, data_only=True).active
        self.assertEqual(cached["J4"].value, 1300)

    def test_agenda_export_without_selection_is_the_agenda(self):
        # A larger debt planned later: the export starts with it, as the
        # agenda does, for what acting on it is expected to bring in.
        bigger = self._customer("Bigger Ltd")
        invoice = self._invoice_days_late(bigger, 2000, 25)
        self.Action.create(
            {
                "partner_id": bigger.id,
                "date": TODAY + timedelta(days=1),
                "channel": "phone",
                "move_line_ids": [Command.set(self._receivable_items(invoice).ids)],
            }
        )
        with freeze_time(TODAY):
            self.Action._refresh_recovery(self.company)
        sheet = self._open(self.Action.action_export_xlsx()).active
        todo = self.Action.search(
            [("state", "=", "todo")], order="expected_recovery desc, id"
        )
        self.assertEqual(sheet.max_row, len(todo) + 2)
        customers = [sheet.cell(row, 3).value for row in range(2, len(todo) + 2)]
        self.assertEqual(customers, [action.partner_id.display_name for action in todo])
        self.assertEqual(customers[:2], ["Bigger Ltd", "Call Me Ltd"])
        self.assertNotIn("Mail Me Ltd", customers, "done: not on the agenda")
        self.assertIn("to collect", sheet.cell(2, 12).value)

    def test_agenda_export_names_each_invoice_once(self):
        """An action on both instalments of one invoice and on another
        invoice lists the two invoices, each once."""
        customer = self._customer("Many Ltd")
        split = self._post_invoice(
            customer,
            800,
            invoice_date=TODAY,
            payment_term=self._half_now_half_in_30_days(),
        )
        other = self._invoice_days_late(customer, 100, 5)
        action = self.Action.create(
            {
                "partner_id": customer.id,
                "date": TODAY,
                "channel": "phone",
                "move_line_ids": [
                    Command.set(self._receivable_items(split | other).ids)
                ],
            }
        )
        self.assertEqual(len(action.move_line_ids), 3)
        (row,) = agenda.agenda_rows(self.env, [("id", "=", action.id)])
        self.assertEqual(sorted(row[13].split(", ")), sorted([split.name, other.name]))

    def test_agenda_export_reads_in_pages(self):
        """Pages follow the agenda's order across equal dates."""
        actions = self.call | self.email
        self.patch(agenda, "PAGE_SIZE", 1)
        rows = list(agenda.agenda_rows(self.env, [("id", "in", actions.ids)]))
        self.assertEqual(
            [row[2] for row in rows],
            [action.partner_id.display_name for action in actions.sorted("id")],
        )

    def test_customer_history_export(self):
        book = self._open(self.mailed.action_export_collection_history())
        self.assertEqual(book.sheetnames, ["History", "Open items"])
        history = book["History"]
        self.assertEqual(history["A1"].value, "Date")
        events = {
            row[1].value: [cell.value for cell in row] for row in history.iter_rows(2)
        }
        # The reminder emailed shows as the message it was.
        self.assertEqual(
            set(events), {"Collection action", "Promise to pay", "Message"}
        )
        promise = events["Promise to pay"]
        self.assertIsInstance(promise[0], datetime.datetime)
        self.assertEqual(promise[5], 300)
        self.assertEqual(promise[6], self.company.currency_id.name)
        self.assertEqual(events["Collection action"][3], "Email")
        items = book["Open items"]
        self.assertEqual(items["B2"].value, self.mail_invoice.name)
        self.assertEqual(items["I2"].value, 300)
        self.assertEqual(items["A3"].value, "Total")

    def test_history_is_for_collection_users(self):
        salesman = self._user("history.sales", "sales_team.group_sale_salesman")
        with self.assertRaises(Exception) as refused:
            self.mailed.with_user(salesman).action_export_collection_history()
        self.assertEqual(type(refused.exception).__name__, "AccessError")

    def test_old_export_files_are_removed(self):
        Attachment = self.env["ir.attachment"]
        old = self._attachment_of(self.Action.action_export_xlsx())
        recent = self._attachment_of(self.Action.action_export_xlsx())
        kept = Attachment.create({"name": "Contract.pdf", "raw": b"%PDF"})
        self.env.cr.execute(
            "UPDATE ir_attachment SET create_date = %s WHERE id IN %s",
            (fields.Datetime.now() - timedelta(days=2), (old.id, kept.id)),
        )
        Attachment.invalidate_model(["create_date"])
        Attachment._gc_credit_collection_exports()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())
        self.assertTrue(kept.exists())

    def _attachment_of(self, action):
        return self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
