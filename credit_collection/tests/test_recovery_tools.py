from odoo.tests import BaseCase

from ..tools import recovery


class TestRecoveryStatistics(BaseCase):
    """The numbers behind the agenda's order, without a database."""

    def _rates(self):
        rates = recovery.ResponseRates()
        # Negligent payers: calls at level 2 brought in 60 of 100 over 10
        # actions, emails at level 1 90 of 100 over 30.
        rates.add_actions("negligent", "level_2", "phone", 10, 60.0, 100.0)
        rates.add_actions("negligent", "level_1", "email", 30, 90.0, 100.0)
        # Ten invoices of 10 each paid by themselves 10 days late, ten
        # paid 50 days late after a reminder.
        rates.add_settlements(
            "negligent",
            [recovery.Settlement(10.0, 10, True, True)] * 10
            + [recovery.Settlement(10.0, 50, True, False)] * 10,
        )
        return rates

    def test_thin_evidence_is_pulled_towards_the_wider_rate(self):
        self.assertEqual(recovery.shrink(1.0, 0, 0.4, 10), 0.4)
        self.assertAlmostEqual(recovery.shrink(1.0, 10, 0.4, 10), 0.7)
        self.assertAlmostEqual(recovery.shrink(1.0, 990, 0.4, 10), 0.994)

    def test_a_stage_and_channel_rate_leans_on_its_profile(self):
        rates = self._rates()
        # The profile: 150 of 200 (75 %), over 40 actions, no company prior
        # beyond itself.
        self.assertAlmostEqual(rates.company_response(), 0.75)
        self.assertAlmostEqual(rates.profile_response("negligent"), 0.75)
        # Calls: 60 % over 10 actions, shrunk towards 75 % with weight 10.
        self.assertAlmostEqual(rates.response("negligent", "level_2", "phone"), 0.675)
        # An unknown profile takes the company's rate.
        self.assertAlmostEqual(rates.response("bad", "level_2", "phone"), 0.75)

    def test_no_history_at_all_gives_an_even_chance(self):
        rates = recovery.ResponseRates()
        self.assertEqual(
            rates.response("good", "level_1", "email"), recovery.NO_HISTORY_RESPONSE
        )
        self.assertEqual(rates.profile_self_pay("good", 30), 0.0)

    def test_a_customer_answering_better_than_its_profile_rates_higher(self):
        rates = self._rates()
        call = rates.response("negligent", "level_2", "phone")
        keen = recovery.CustomerRecord(actions={("level_2", "phone"): (4, 4.0)})
        slack = recovery.CustomerRecord(actions={("level_2", "phone"): (4, 0.0)})
        new = recovery.CustomerRecord()
        self.assertEqual(
            recovery.response_rate(rates, "negligent", "level_2", "phone", new), call
        )
        self.assertGreater(
            recovery.response_rate(rates, "negligent", "level_2", "phone", keen), call
        )
        self.assertLess(
            recovery.response_rate(rates, "negligent", "level_2", "phone", slack), call
        )
        # Kept promises count as answers that worked.
        promising = recovery.CustomerRecord(promises_kept=3)
        self.assertGreater(
            recovery.response_rate(rates, "negligent", "level_2", "phone", promising),
            call,
        )
        self.assertEqual(promising.observations, 3)

    def test_rates_never_reach_certainty(self):
        rates = self._rates()
        sure = recovery.CustomerRecord(actions={("level_1", "email"): (50, 50.0)})
        self.assertEqual(
            recovery.response_rate(rates, "negligent", "level_1", "email", sure),
            recovery.MAX_RATE,
        )

    def test_self_payment_depends_on_how_late_it_is_already(self):
        rates = self._rates()
        # On the due date, half of what is owed comes by itself within 30
        # days; 15 days late, nothing more does (the rest waited for a
        # reminder).
        self.assertAlmostEqual(rates.profile_self_pay("negligent", 0), 0.5)
        self.assertAlmostEqual(rates.profile_self_pay("negligent", 20), 0.0)

    def test_a_customer_paying_by_itself_is_less_worth_a_call(self):
        rates = self._rates()
        # It paid two invoices by itself 40 days late, one after a call 60
        # days late; one still open 100 days late. At 35 days late all four
        # were still owed; two came by itself within 30 days (1/2), shrunk
        # towards the profile's 0 % with weight 3: (0.5 x 4 + 0) / 7.
        record = recovery.CustomerRecord(
            settlements=[
                recovery.Settlement(100.0, 40, True, True),
                recovery.Settlement(100.0, 40, True, True),
                recovery.Settlement(100.0, 60, True, False),
                recovery.Settlement(100.0, 100, False, False),
            ]
        )
        self.assertAlmostEqual(
            recovery.self_pay_rate(rates, "negligent", record, 35), 2 / 7
        )
        # An open invoice whose 30 days are not over yet says nothing.
        tally = recovery.self_pay_tally(
            [recovery.Settlement(100.0, 50, False, False)], 35
        )
        self.assertEqual(tally.count, 0)

    def test_expected_recovery_is_what_would_not_come_anyway(self):
        self.assertAlmostEqual(recovery.expected_recovery(1000, 0.8, 0.25), 600.0)
        self.assertEqual(recovery.expected_recovery(-300, 0.8, 0.0), 0.0)

    def test_rates_keep_through_json(self):
        rates = self._rates()
        again = recovery.ResponseRates.from_json(rates.to_json())
        self.assertEqual(again, rates)
        self.assertEqual(
            recovery.ResponseRates.from_json(None), recovery.ResponseRates()
        )
