from collections import Counter

from odoo import fields
from odoo.tests import tagged

from odoo.addons.credit_collection.models.selections import PAYER_PROFILES

from .demo_common import DemoDataCase


@tagged("post_install", "-at_install")
class TestDemoData(DemoDataCase):
    """The demo shows a living ledger (the test command installs demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = (
            cls.env["ir.model.data"]
            .search(
                [("module", "=", "credit_collection"), ("model", "=", "res.partner")]
            )
            .mapped(lambda d: cls.env["res.partner"].browse(d.res_id))
            .filtered("customer_rank")
        )

    def test_about_twenty_customers_over_the_seven_profiles(self):
        self.assertGreaterEqual(len(self.customers), 18)
        profiles = Counter(self.customers.mapped("payer_profile"))
        for profile, _label in PAYER_PROFILES:
            self.assertGreaterEqual(
                profiles[profile], 2 if profile != "good" else 1, profile
            )
        with_contacts = self.customers.filtered("collection_contact_ids")
        self.assertGreaterEqual(len(with_contacts), 15)

    def test_invoices_at_every_age(self):
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "in", self.customers.ids),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
            ]
        )
        # Ages as of the day the demo tells: the day it was loaded (in the
        # loading user's time zone, not UTC), or the working day before.
        Ledger = self.env["credit.collection.demo.ledger"]
        ages = {
            (
                Ledger._demo_day(
                    line.company_id,
                    fields.Date.context_today(line, line.move_id.create_date),
                )
                - line.date_maturity
            ).days
            for line in lines
            if line.move_id.move_type == "out_invoice"
        }
        self.assertTrue(any(age < 0 for age in ages), "not yet due")
        for age in (5, 20, 45, 75):
            self.assertIn(age, ages)
        partly_paid = lines.move_id.filtered(lambda m: m.payment_state == "partial")
        self.assertGreaterEqual(len(partly_paid), 2)
        credit_notes = self.env["account.move"].search(
            [("partner_id", "in", self.customers.ids), ("move_type", "=", "out_refund")]
        )
        self.assertTrue(
            credit_notes.filtered(lambda m: m.payment_state == "paid"),
            "a credit note reconciled with the invoice it corrects",
        )
        self.assertTrue(
            lines.move_id.filtered(lambda m: m.move_type == "out_refund"),
            "a credit note still open on the account",
        )
        statuses = {
            status: lines.move_id.filtered(lambda m, s=status: m.collection_status == s)
            for status in ("disputed", "promised", "payment_plan", "litigation")
        }
        self.assertTrue(all(statuses.values()), statuses)
        self.assertEqual(
            statuses["litigation"].commercial_partner_id,
            self.env.ref("credit_collection.res_partner_insolvent_2"),
        )
        excluded = self.env.ref("credit_collection.res_partner_excluded_1")
        self.assertEqual(
            set(
                self.env["account.move"]
                .search([("partner_id", "=", excluded.id)])
                .mapped("collection_status")
            ),
            {"excluded"},
        )

    def test_the_demo_run_fills_the_agenda(self):
        company = self.env.ref("base.main_company")
        # Today's, after the runs of the demo's history.
        run = self.env["credit.collection.run"].search(
            [("company_id", "=", company.id)], order="id desc", limit=1
        )
        self.assertEqual(run.state, "done")
        actions = run.action_ids
        self.assertGreaterEqual(len(actions), 5)
        left_alone = (
            self.env.ref("credit_collection.res_partner_excluded_1")
            | self.env.ref("credit_collection.res_partner_good_1")
            | self.env.ref("credit_collection.res_partner_good_2")
            | self.env.ref("credit_collection.res_partner_insolvent_2")
        )
        self.assertFalse(actions.partner_id & left_alone)
        manual = actions.filtered(lambda action: not action.auto)
        agenda = manual.filtered(lambda action: action.state == "todo")
        self.assertTrue(agenda)
        self.assertTrue(all(action.activity_ids for action in agenda))
        # One demo customer has no phone number: its call fails, with why.
        keller = self.env.ref("credit_collection.res_partner_bad_3")
        failed = actions.filtered(lambda action: action.state == "failed")
        self.assertEqual(failed.partner_id, keller)
        self.assertIn("No phone number", failed.failure_reason)
        automatic = actions - manual
        self.assertTrue(automatic)
        # Sent by the sending cron once the server runs (the statement PDF
        # needs it), which the run has triggered.
        self.assertEqual(set(automatic.mapped("state")), {"todo"})
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [
                    (
                        "cron_id",
                        "=",
                        self.env.ref("credit_collection.ir_cron_collection_send").id,
                    )
                ]
            )
        )
