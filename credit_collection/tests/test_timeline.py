from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestTimeline(CollectionRunCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Chronicled")
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 25)
        cls.second = cls._invoice_days_late(cls.customer, 400, 25)
        cls.third = cls._invoice_days_late(cls.customer, 300, 25)
        cls.stranger = cls._customer("Someone else")
        cls._invoice_days_late(cls.stranger, 500, 25)

    def _build_history(self):
        self._run()
        action = self._actions(self.customer)
        action.message_post(body="Called the accountant", message_type="comment")
        with freeze_time(TODAY):
            promise = self.env["credit.collection.promise"].create(
                {
                    "partner_id": self.customer.id,
                    "date": TODAY + timedelta(days=5),
                    "amount": 1000,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.invoice).ids)
                    ],
                }
            )
            dispute = self.env["credit.collection.dispute"].create(
                {
                    "partner_id": self.customer.id,
                    "type_id": self.env.ref("credit_collection.dispute_type_price").id,
                    "description": "Wrong unit price",
                    "amount": 100,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.second).ids)
                    ],
                }
            )
            plan = self.env["credit.collection.plan"].create(
                {
                    "partner_id": self.customer.id,
                    "move_line_ids": [
                        Command.set(self._receivable_items(self.third).ids)
                    ],
                }
            )
        self._pay(self.invoice, TODAY, amount=250)
        return action, promise, dispute, plan

    def test_one_chronology_of_everything_about_the_customer(self):
        action, promise, dispute, plan = self._build_history()
        self.env.flush_all()
        opened = self.customer.action_open_collection_timeline()
        rows = self.env["credit.collection.timeline"].search(opened["domain"])
        kinds = set(rows.mapped("kind"))
        self.assertEqual(
            kinds, {"action", "promise", "dispute", "plan", "payment", "message"}
        )
        self.assertEqual(rows.partner_id, self.customer)
        by_kind = {row.kind: row for row in rows}
        self.assertEqual(
            (by_kind["action"].res_model, by_kind["action"].res_id),
            ("credit.collection.action", action.id),
        )
        self.assertEqual(by_kind["promise"].res_id, promise.id)
        self.assertEqual(by_kind["dispute"].amount, 100)
        self.assertEqual(by_kind["plan"].res_id, plan.id)
        self.assertEqual(by_kind["payment"].amount, 250)
        self.assertIn(
            "Called the accountant",
            rows.filtered(lambda r: r.kind == "message").mapped("name"),
        )
        # States and channels read as their models label them.
        self.assertEqual(by_kind["dispute"].state_label, "Open")
        self.assertEqual(by_kind["plan"].state_label, "Draft")
        self.assertEqual(
            (by_kind["action"].channel, by_kind["action"].state_label),
            ("phone", "To do"),
        )
        opened_row = by_kind["dispute"].action_open_record()
        self.assertEqual(
            (opened_row["res_model"], opened_row["res_id"]),
            ("credit.collection.dispute", dispute.id),
        )
        # Oldest first when printed.
        printed = self.env["credit.collection.timeline"]._for_partner(self.customer)
        self.assertEqual(printed.mapped("date"), sorted(printed.mapped("date")))

    def test_printable(self):
        self._build_history()
        self.env.flush_all()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "credit_collection.report_collection_timeline", self.customer.ids
            )[0]
            .decode()
        )
        self.assertIn("Collection timeline: <span>Chronicled</span>", html)
        self.assertIn("Chronicled: Price error", html)
        self.assertIn("Payment plan of Chronicled", html)
        self.assertIn("<span>Open</span>", html)

    def test_other_companies_do_not_see_it(self):
        self._build_history()
        self.env.flush_all()
        other = self.setup_other_company()["company"]
        outsider = self._user(
            "timeline-outsider", "credit_collection.group_credit_collection_user", other
        )
        rows = (
            self.env["credit.collection.timeline"]
            .with_user(outsider)
            .search([("partner_id", "=", self.customer.id), ("kind", "!=", "message")])
        )
        self.assertFalse(rows)
