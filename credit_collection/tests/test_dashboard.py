from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestDashboard(CollectionRunCommon):
    """One company's card, worked out by hand. The aged balance ages items
    as of the database's date, so the ledger is dated from today.

    * Receivables: 500 not due, 1,000 45 days late, 200 100 days late:
      overdue 1,200 of 1,700 = 70.6 %, over 90 days 200. A credit note of
      80 not matched yet shows apart, as an unapplied credit.
    * Last month's KPIs: DSO 42, CEI 80 (this month's are not final).
    * Promises: one of 300 kept, one open.
    * Disputes: 150 open; one of 50 resolved in 3 days.
    * Agenda: a call due today, one due tomorrow, one failed.
    * Effectiveness: an email 10 days ago, the 400 it asked for paid in
      full 4 days ago: 100 %, 6 days.
    * One customer blocked by hand.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.Dashboard = cls.env["credit.collection.dashboard"]
        cls.customer = cls._customer("Dashboard Ltd")
        cls.payer = cls._customer("Prompt payer")
        cls.blocked = cls._customer("Blocked Ltd")
        cls.not_due = cls._late(cls.customer, 500, -10)
        cls.late = cls._late(cls.customer, 1000, 45)
        cls.very_late = cls._late(cls.customer, 200, 100)
        cls.paid_later = cls._late(cls.payer, 400, 60)
        last_month = cls.today.replace(day=1) - relativedelta(months=1)
        cls.env["credit.collection.kpi"].sudo().create(
            [
                {
                    "company_id": cls.company.id,
                    "month": last_month,
                    "dso": 42,
                    "cei": 80,
                },
                {
                    "company_id": cls.company.id,
                    "month": cls.today.replace(day=1),
                    "dso": 99,
                    "cei": 1,
                },
            ]
        )

    @classmethod
    def _late(cls, customer, amount, days):
        due = cls.today - timedelta(days=days)
        return cls._post_invoice(
            customer, amount, due=due, invoice_date=due - timedelta(days=30)
        )

    def _action(self, day, state="todo", **vals):
        return self.Action.create(
            {
                "partner_id": self.customer.id,
                "channel": "phone",
                "date": day,
                "state": state,
                "move_line_ids": [Command.set(self._receivable_items(self.late).ids)],
                **vals,
            }
        )

    def setUp(self):
        super().setUp()
        Promise = self.env["credit.collection.promise"]
        items = self._receivable_items(self.late)
        kept, _open = Promise.create(
            [
                {
                    "partner_id": self.customer.id,
                    "date": self.today + timedelta(days=days),
                    "amount": amount,
                    "move_line_ids": [Command.set(items.ids)],
                }
                for amount, days in ((300, 5), (100, 20))
            ]
        )
        kept.write({"state": "kept", "closed_date": self.today, "amount_kept": 300})
        self._dispute_invoice(self.late, 150)
        settled = self._dispute_invoice(self.very_late, 50)
        settled.raised_on = fields.Datetime.now() - timedelta(days=3)
        settled.action_resolve()
        self._action(self.today)
        self._action(self.today + timedelta(days=1))
        self._action(self.today, state="failed")
        email = self.Action.create(
            {
                "partner_id": self.payer.id,
                "channel": "email",
                "date": self.today - timedelta(days=10),
                "state": "done",
                "done_date": fields.Datetime.now() - timedelta(days=10),
                "move_line_ids": [
                    Command.set(self._receivable_items(self.paid_later).ids)
                ],
            }
        )
        self.assertTrue(email)
        self._pay(self.paid_later, day=self.today - timedelta(days=4))
        self._post_invoice(
            self.customer, 80, invoice_date=self.today, move_type="out_refund"
        )
        self.blocked._collection_block_by_hand("Bankruptcy filed")
        self.env.flush_all()

    def _card(self, company=None):
        return self.Dashboard.search(
            [("company_id", "=", (company or self.company).id)]
        )

    def test_company_card(self):
        card = self._card()
        self.assertRecordValues(
            card,
            [
                {
                    "amount_not_due": 500,
                    "amount_overdue": 1200,
                    "amount_over_90": 200,
                    "amount_unapplied": -80,
                    "dso": 42,
                    "cei": 80,
                    "kpi_month": self.today.replace(day=1) - relativedelta(months=1),
                    "kept_rate": 100,
                    "promises_open": 1,
                    "disputes_open": 1,
                    "amount_disputed": 150,
                    "actions_due": 1,
                    "actions_failed": 1,
                    "paid_rate": 100,
                    "days_to_pay": 6,
                    "customers_blocked": 1,
                }
            ],
        )
        self.assertAlmostEqual(card.overdue_share, 1200 / 1700 * 100, places=1)
        self.assertAlmostEqual(card.resolution_days, 3.0, places=2)

    def test_cards_drill_down_to_their_company(self):
        card = self._card()
        agenda = card.action_open_agenda()
        self.assertEqual(agenda["res_model"], "credit.collection.action")
        due = self.Action.search(agenda["domain"] + [("state", "=", "todo")])
        self.assertEqual(due.mapped("date"), [self.today])
        blocked = card.action_open_blocked()
        self.assertEqual(
            self.env["res.partner"].search(blocked["domain"]), self.blocked
        )
        # Listed, not behind folded payer profile groups.
        context = blocked["context"]
        if isinstance(context, str):
            context = safe_eval(context)
        self.assertNotIn("search_default_group_payer_profile", context)
        for method in (
            "action_open_aged_balance",
            "action_open_kpis",
            "action_open_promises",
            "action_open_disputes",
            "action_open_failed",
            "action_open_effectiveness",
        ):
            action = getattr(card, method)()
            self.assertIn(("company_id", "=", self.company.id), action["domain"])
            self.env[action["res_model"]].search(action["domain"])

    def test_each_user_sees_the_cards_of_its_companies(self):
        other = self.setup_other_company()["company"]
        collector = self._user(
            "dashboard.collector", "credit_collection.group_credit_collection_user"
        )
        cards = self.Dashboard.with_user(collector).search([])
        self.assertEqual(cards.company_id, self.company)
        self.assertEqual(self._card(other).amount_overdue, 0)
        self.assertFalse(self._card(other).kpi_month)

    def test_dashboard_view_renders(self):
        with freeze_time(date.today()):
            views = self.Dashboard.get_views([(False, "kanban")])
        self.assertIn("action_open_effectiveness", views["views"]["kanban"]["arch"])
