from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .run_common import CollectionRunCommon

MARCH = date(2026, 3, 1)


def march(day):
    return MARCH.replace(day=day)


@tagged("post_install", "-at_install")
class TestEffectiveness(CollectionRunCommon):
    """What each action brought in, on a ledger worked out by hand.

    * Alpha owes 1,000. Level 1 email on 1 March; 300 paid on 5 March; level
      2 call on 10 March; 700 paid on 14 March.
      The email's payments stop at the call: 300 of 1,000, not in full.
      The call: 700 still due, 700 paid, in full after 4 days.
    * Beta owes 2,000. Level 1 email on 2 March; a credit note of 500 on
      4 March; 1,500 paid on 8 March. The credit note is no payment and
      is left out: 1,500 of 1,500, in full after 6 days.
    * Gamma owes 400. Level 1 email on 3 March; nothing paid: 0 %.
    * Delta owes 100. Level 1 email on 1 March; paid on 31 March: in full
      after 30 days.
    * A cancelled action and one still to do are not measured.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["credit.collection.effectiveness"]
        cls.collector = cls._user(
            "effective.collector", "credit_collection.group_credit_collection_user"
        )
        cls.alpha, cls.beta, cls.gamma, cls.delta = (
            cls._customer(name) for name in ("Alpha", "Beta", "Gamma", "Delta")
        )
        cls.invoices = {
            customer: cls._post_invoice(
                customer, amount, due=date(2026, 2, 20), invoice_date=date(2026, 2, 1)
            )
            for customer, amount in (
                (cls.alpha, 1000),
                (cls.beta, 2000),
                (cls.gamma, 400),
                (cls.delta, 100),
            )
        }
        level_1, level_2 = cls.stages["level_1"], cls.stages["level_2"]
        cls.alpha_email = cls._done(cls.alpha, level_1, march(1))
        cls.alpha_call = cls._done(cls.alpha, level_2, march(10), user=cls.collector)
        cls.beta_email = cls._done(cls.beta, level_1, march(2))
        cls.gamma_email = cls._done(cls.gamma, level_1, march(3))
        cls.delta_email = cls._done(cls.delta, level_1, march(1))
        cls._done(cls.gamma, level_2, march(20), state="cancelled")
        cls._done(cls.gamma, level_2, march(25), state="todo")

    @classmethod
    def _done(cls, customer, stage, day, user=None, state="done"):
        return cls.Action.create(
            {
                "partner_id": customer.id,
                "stage_id": stage.id,
                "channel": stage.channel,
                "date": day,
                "state": state,
                "done_date": f"{day} 10:00:00" if state == "done" else False,
                "user_id": (user or cls.env.user).id,
                "mail_template_id": stage.mail_template_id.id,
                "move_line_ids": [
                    Command.set(cls._receivable_items(cls.invoices[customer]).ids)
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self._pay(self.invoices[self.alpha], day=march(5), amount=300)
        self._pay(self.invoices[self.alpha], day=march(14), amount=700)
        refund = self._post_invoice(
            self.beta, 500, invoice_date=march(4), move_type="out_refund"
        )
        self._receivable_items(refund | self.invoices[self.beta]).reconcile()
        self._pay(self.invoices[self.beta], day=march(8), amount=1500)
        self._pay(self.invoices[self.delta], day=march(31))
        self.env.flush_all()

    def _row(self, action):
        return self.Report.search([("action_id", "=", action.id)])

    def _customers(self):
        return [
            ("partner_id", "in", (self.alpha | self.beta | self.gamma | self.delta).ids)
        ]

    def _figures(self, groupby=()):
        return self.Report._read_group(
            self._customers(),
            list(groupby),
            [
                "amount_due:sum",
                "amount_paid:sum",
                "paid_rate:avg",
                "paid_in_full_rate:avg",
                "days_to_pay:median",
                "__count",
            ],
        )

    def test_each_action_counts_payments_until_the_next_one(self):
        email, call = self._row(self.alpha_email), self._row(self.alpha_call)
        self.assertEqual((email.amount_due, email.amount_paid), (1000, 300))
        self.assertEqual(email.next_date, march(10))
        self.assertAlmostEqual(email.paid_rate, 30.0)
        self.assertEqual(email.paid_in_full_rate, 0.0)
        self.assertFalse(email.days_to_pay)
        self.assertEqual((call.amount_due, call.amount_paid), (700, 700))
        self.assertFalse(call.next_date)
        self.assertEqual(call.days_to_pay, 4)

    def test_a_credit_note_is_not_a_payment(self):
        beta = self._row(self.beta_email)
        self.assertEqual((beta.amount_due, beta.amount_paid), (1500, 1500))
        self.assertEqual(beta.paid_in_full_rate, 100.0)
        self.assertEqual(beta.days_to_pay, 6)

    def test_only_done_actions_are_measured(self):
        self.assertEqual(
            self.Report.search([("partner_id", "=", self.gamma.id)]).action_id,
            self.gamma_email,
        )
        self.assertEqual(self._row(self.gamma_email).paid_rate, 0.0)

    def test_by_level_rates_are_weighted_and_days_are_a_median(self):
        """Level 1: due 1,000 + 1,500 + 400 + 100 = 3,000; paid 300 + 1,500
        + 0 + 100 = 1,900: 63.3 %. Paid in full: Beta and Delta, 2 of 4.
        Days to pay: 6 and 30, median 18. Level 2: the call alone."""
        by_level = {level: values for level, *values in self._figures(["level"])}
        self.assertEqual(by_level["level_1"][:2], [3000, 1900])
        self.assertAlmostEqual(by_level["level_1"][2], 1900 / 3000 * 100)
        self.assertAlmostEqual(by_level["level_1"][3], 50.0)
        self.assertEqual(by_level["level_1"][4:], [18, 4])
        self.assertEqual(by_level["level_2"][1:], [700, 100.0, 100.0, 4, 1])

    def test_overall_median_is_not_the_mean(self):
        """Days to pay 4, 6 and 30: median 6 (the mean would be 13.3)."""
        ((due, paid, rate, in_full, days, count),) = self._figures()
        self.assertEqual((due, paid, count), (3700, 2600, 5))
        self.assertAlmostEqual(rate, 2600 / 3700 * 100)
        self.assertAlmostEqual(in_full, 60.0)
        self.assertEqual(days, 6)

    def test_by_channel_template_and_collector(self):
        rows = self.Report._read_group(
            [("partner_id", "in", (self.alpha | self.beta).ids)],
            ["channel", "mail_template_id", "user_id"],
            ["paid_rate:avg"],
        )
        by_channel = {
            (channel, template, user): rate for channel, template, user, rate in rows
        }
        self.assertEqual(
            by_channel,
            {
                ("email", self.template_level_1, self.env.user): 1800 / 2500 * 100,
                ("phone", self.env["mail.template"], self.collector): 100.0,
            },
        )

    def test_the_pivot_reads_the_same_figures(self):
        """The web client asks for each measure with the field's aggregator."""
        (group,) = self.Report.read_group(
            [*self._customers(), ("level", "=", "level_1")],
            ["paid_rate", "days_to_pay", "paid_in_full_rate"],
            ["level"],
        )
        self.assertAlmostEqual(group["paid_rate"], 1900 / 3000 * 100)
        self.assertEqual(group["days_to_pay"], 18)
        self.assertAlmostEqual(group["paid_in_full_rate"], 50.0)

    def test_an_action_done_later_stops_the_earlier_ones_payments(self):
        """Gamma's call, planned for 25 March, is done on 12 March; Gamma
        pays its 400 on 15 March: the call brought it in, not the email of
        3 March, whose payments now stop at the call."""
        call = self.Action.search(
            [("partner_id", "=", self.gamma.id), ("state", "=", "todo")]
        )
        with freeze_time("2026-03-12 10:00:00"):
            call.action_done()
        self.env.flush_all()
        self.assertEqual(self._row(self.gamma_email).next_date, march(12))
        self._pay(self.invoices[self.gamma], day=march(15))
        self.env.flush_all()
        email, call_row = self._row(self.gamma_email), self._row(call)
        self.assertEqual((email.amount_due, email.amount_paid), (400, 0))
        self.assertEqual((call_row.amount_due, call_row.amount_paid), (400, 400))
        self.assertEqual(call_row.days_to_pay, 3)
        self.assertEqual(call.result_amount_paid, 400)

    def test_a_payment_unreconciled_is_no_longer_counted(self):
        partial = self.invoices[self.alpha].line_ids.matched_credit_ids.filtered(
            lambda partial: partial.max_date == march(14)
        )
        partial.unlink()
        self.env.flush_all()
        call = self._row(self.alpha_call)
        self.assertEqual((call.amount_due, call.amount_paid), (700, 0))
        self.assertFalse(call.days_to_pay)

    def test_actions_not_measured_yet_are_measured_on_upgrade(self):
        """A release that did not keep the measure left it empty: the
        upgrade (the model's ``init``) measures those actions."""
        self.env.cr.execute(
            "UPDATE credit_collection_action SET result_amount_due = NULL, "
            "result_amount_paid = NULL, result_next_date = NULL"
        )
        self.Action.invalidate_model()
        self.assertFalse(self._row(self.alpha_email))
        self.Action.init()
        email = self._row(self.alpha_email)
        self.assertEqual((email.amount_due, email.amount_paid), (1000, 300))
        self.assertEqual(email.next_date, march(10))

    def test_a_reminder_that_bounced_no_longer_stops_the_earlier_ones(self):
        """Alpha's call fails after the fact: the email of 1 March then
        counts both payments, 1,000 of 1,000."""
        self.alpha_call._fail_delivery("The number does not exist.")
        self.env.flush_all()
        self.assertFalse(self._row(self.alpha_call))
        email = self._row(self.alpha_email)
        self.assertFalse(email.next_date)
        self.assertEqual((email.amount_due, email.amount_paid), (1000, 1000))
        self.assertEqual(email.days_to_pay, 13)
