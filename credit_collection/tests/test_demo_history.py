from odoo.tests import tagged

from odoo.addons.credit_collection.models.credit_collection_demo_history import (
    HISTORY_MONTHS,
)

from .demo_common import DemoDataCase


@tagged("post_install", "-at_install")
class TestDemoHistory(DemoDataCase):
    """The demo's year of history (the test command installs demo data):
    what a credit manager sees of it on the first day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")

    def _customer(self, name):
        return self.env.ref(f"credit_collection.res_partner_{name}").with_company(
            self.company
        )

    def test_twelve_months_of_kpis_with_a_trend(self):
        kpis = self.env["credit.collection.kpi"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(len(kpis), HISTORY_MONTHS)
        # Odoo's own demo adds credit notes to the latest months.
        self.assertTrue(all(kpi.credit_sales > 0 for kpi in kpis.sorted("month")[:-2]))
        self.assertTrue(all(kpi.dso > 0 for kpi in kpis))
        # The first month collects nothing yet: its invoices fall due after.
        first, *later = kpis.sorted("month")
        self.assertFalse(first.cei)
        self.assertTrue(all(kpi.cei > 0 for kpi in later))
        self.assertGreater(len(set(kpis.mapped("dso"))), 1, "a trend, not a line")
        card = self.env["credit.collection.dashboard"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreater(card.dso, 0)
        self.assertGreater(card.cei, 0)

    def test_each_customer_paid_as_its_history_says(self):
        """Days late, weighted by amount, of the paid history invoices: a
        good payer about on time, a bad one weeks late."""

        def days_late(name):
            invoices = self.env["account.move"].search(
                [
                    ("partner_id", "=", self._customer(name).id),
                    ("move_type", "=", "out_invoice"),
                    ("payment_state", "=", "paid"),
                ]
            )
            self.assertGreaterEqual(len(invoices), HISTORY_MONTHS - 3, name)
            late = [
                (max(line.date for line in move._get_reconciled_amls()) - due).days
                for move in invoices
                for due in [move.invoice_date_due]
            ]
            return sum(late) / len(late)

        self.assertLessEqual(days_late("good_1"), 0)
        self.assertTrue(3 <= days_late("negligent_1") <= 9)
        self.assertGreater(days_late("bad_1"), 25)

    def test_disputes_raised_and_resolved_by_credit_notes(self):
        disputes = self.env["credit.collection.dispute"].search(
            [
                ("partner_id", "=", self._customer("dispute_1").id),
                ("state", "=", "resolved"),
            ]
        )
        self.assertGreaterEqual(len(disputes), 3)
        self.assertTrue(all(d.credit_note_id for d in disputes))
        report = self.env["credit.collection.dispute.report"]._read_group(
            [("company_id", "=", self.company.id), ("closed_date", "!=", False)],
            [],
            ["resolution_days:avg"],
        )
        self.assertAlmostEqual(report[0][0], 9.0, delta=1.0)

    def test_disputes_examined_by_someone_outside_collections(self):
        """Each past dispute went to a person without Collections rights,
        who answered in its thread before the credit note settled it."""
        examiner = self.env.ref("base.user_demo")
        self.assertFalse(
            examiner.has_group("credit_collection.group_credit_collection_user")
        )
        disputes = self.env["credit.collection.dispute"].search(
            [
                ("partner_id", "=", self._customer("dispute_1").id),
                ("state", "=", "resolved"),
            ]
        )
        self.assertEqual(disputes.responsible_id, examiner)
        for dispute in disputes:
            answers = dispute.message_ids.filtered(
                lambda message: (
                    message.author_id == examiner.partner_id
                    and message.message_type == "comment"
                )
            )
            self.assertEqual(len(answers), 1, dispute.display_name)
            self.assertTrue(dispute.resolution)
            self.assertLess(answers.date, dispute.closed_date)

    def test_a_payment_plan_kept_to_the_end(self):
        plan = self.env["credit.collection.plan"].search(
            [
                ("partner_id", "=", self._customer("insolvent_1").id),
                ("state", "=", "completed"),
            ]
        )
        self.assertEqual(len(plan), 1)
        self.assertEqual(len(plan.line_ids), 2, "a down payment, one instalment")
        self.assertGreaterEqual(plan.amount_paid, plan.amount_total)
        self.assertGreaterEqual(plan.closed_date, plan.line_ids[-1:].date)

    def test_customers_paying_otherwise_than_their_profile_get_a_suggestion(self):
        suggested = {
            name: self._customer(name)
            for name in ("negligent_3", "bad_3", "good_2", "dispute_1")
        }
        for name, partner in suggested.items():
            self.assertTrue(partner.payer_profile_suggestion_reason, name)
        self.assertEqual(suggested["negligent_3"].payer_profile_suggestion, "good")
        self.assertEqual(suggested["bad_3"].payer_profile_suggestion, "negligent")
        self.assertEqual(suggested["good_2"].payer_profile_suggestion, "negligent")
        self.assertEqual(suggested["dispute_1"].payer_profile_suggestion, "dispute")
        customers = (
            self.env["res.partner"]
            .with_company(self.company)
            .search([("payer_profile_suggestion", "!=", False)])
        )
        differing = customers.filtered(
            lambda p: p.payer_profile_suggestion != p.payer_profile
        )
        self.assertGreaterEqual(len(differing), 3)

    def test_a_run_every_fortnight_and_its_actions_done(self):
        runs = self.env["credit.collection.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreaterEqual(len(runs), 24)
        done = runs.action_ids.filtered(lambda action: action.state == "done")
        self.assertGreaterEqual(len(done), 50)
        self.assertGreaterEqual(len(set(done.mapped("channel"))), 3)
        # Done on the day of their run, not on the day the demo was loaded.
        self.assertTrue(
            all(action.done_date.date() == action.run_id.date for action in done)
        )

    def test_effectiveness_and_the_dashboard_have_figures(self):
        rows = self.env["credit.collection.effectiveness"]._read_group(
            [("company_id", "=", self.company.id)],
            ["stage_id", "channel"],
            ["paid_rate:avg", "__count"],
        )
        self.assertGreaterEqual(len(rows), 3)
        self.assertTrue(any(rate for *_group, rate, _count in rows))
        card = self.env["credit.collection.dashboard"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertGreater(card.paid_rate, 0)
        self.assertGreater(card.days_to_pay, 0)
        self.assertGreater(card.resolution_days, 0)

    def test_promises_kept_and_broken_and_an_item_over_90_days(self):
        promises = self.env["credit.collection.promise"].search(
            [("company_id", "=", self.company.id)]
        )
        states = set(promises.mapped("state"))
        self.assertIn("kept", states)
        self.assertIn("broken", states)
        # Each made on its day (the timeline shows them by it), not all at
        # install time.
        past = promises.filtered(lambda promise: promise.state != "open")
        for promise in past:
            self.assertLessEqual(promise.create_date.date(), promise.closed_date)
        self.assertGreater(len({p.create_date.date() for p in past}), 5)
        card = self.env["credit.collection.dashboard"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertTrue(0 < card.kept_rate < 100)
        # The customer in litigation stopped paying five months ago.
        self.assertGreater(card.amount_over_90, 0)
        self.assertEqual(
            self._customer("insolvent_2").payer_profile_suggestion, "insolvent"
        )

    def test_every_figure_of_the_dashboard_card_is_non_zero(self):
        card = self.env["credit.collection.dashboard"].search(
            [("company_id", "=", self.company.id)]
        )
        figures = [
            name
            for name, field in card._fields.items()
            if field.type in ("integer", "float", "monetary")
            and name not in ("id", "amount_unapplied")
        ]
        self.assertGreaterEqual(len(figures), 15)
        self.assertEqual([name for name in figures if not card[name]], [])
        # Credits not matched yet: Odoo's own demo credit notes.
        self.assertLess(card.amount_unapplied, 0)
