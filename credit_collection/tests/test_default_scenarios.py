from odoo.tests import tagged

from odoo.addons.credit_collection.hooks import post_init_hook
from odoo.addons.credit_collection.models.selections import PAYER_PROFILES

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestDefaultScenarios(CreditCollectionCommon):
    def _scenario(self, profile, company=None):
        return self.Scenario._default_for_profile(company or self.env.company, profile)

    def _levels(self, scenario):
        return [
            (stage.level, stage.days, stage.channel) for stage in scenario.stage_ids
        ]

    def test_main_company_has_seven_scenarios_one_per_profile(self):
        main = self.env.ref("base.main_company")
        scenarios = self.Scenario.sudo().search([("company_id", "=", main.id)])
        self.assertEqual(
            sorted(scenarios.mapped("payer_profile")),
            sorted(p for p, _l in PAYER_PROFILES),
        )
        self.assertEqual(
            main.credit_collection_scenario_id,
            self.env.ref("credit_collection.scenario_negligent"),
        )

    def test_new_company_gets_its_own_copy(self):
        for profile, _label in PAYER_PROFILES:
            scenario = self._scenario(profile)
            self.assertEqual(scenario.company_id, self.env.company, profile)
            shipped = self.env.ref(f"credit_collection.scenario_{profile}").sudo()
            self.assertNotEqual(scenario, shipped)
            self.assertEqual(scenario.name, shipped.name)
            self.assertEqual(self._levels(scenario), self._levels(shipped), profile)
            self.assertEqual(
                scenario.min_interval_days, shipped.min_interval_days, profile
            )
            if scenario.stage_ids:
                self.assertEqual(scenario.stage_ids.company_id, self.env.company)
        self.assertEqual(
            self.env.company.credit_collection_scenario_id, self._scenario("negligent")
        )

    def test_install_hook_fills_companies_without_scenarios_only(self):
        company = self.setup_other_company()["company"]
        self.Scenario.sudo().search([("company_id", "=", company.id)]).unlink()
        before = self.Scenario.sudo().search_count([])
        post_init_hook(self.env)
        self.assertEqual(self.Scenario.sudo().search_count([]), before + 7)
        post_init_hook(self.env)
        self.assertEqual(
            self.Scenario.sudo().search_count([]), before + 7, "idempotent"
        )

    def test_negligent_reminds_before_due_date_in_a_friendly_way(self):
        first = self._scenario("negligent").stage_ids[0]
        self.assertEqual(
            (first.level, first.channel, first.auto), ("pre_dunning", "email", True)
        )
        self.assertLess(first.days, 0)
        self.assertEqual(
            first.mail_template_id,
            self.env.ref("credit_collection.mail_template_pre_dunning"),
        )

    def test_bad_is_firm_with_short_intervals_and_quick_formal_notice(self):
        bad, negligent = self._scenario("bad"), self._scenario("negligent")
        self.assertLess(bad.min_interval_days, negligent.min_interval_days)
        notice = bad.stage_ids.filtered(lambda s: s.level == "level_3")
        negligent_notice = negligent.stage_ids.filtered(lambda s: s.level == "level_3")
        self.assertEqual(notice.channel, "registered_letter")
        self.assertLess(notice.days, negligent_notice.days)
        self.assertLessEqual(notice.days, 15)

    def test_insolvent_is_demanding_by_phone(self):
        stages = self._scenario("insolvent").stage_ids
        self.assertEqual(stages[:2].mapped("channel"), ["phone", "phone"])
        self.assertIn("payment plan", stages[1].instructions)
        self.assertIn("immediate partial payment", stages[1].instructions)

    def test_administrative_finds_contacts_and_waits_longer(self):
        admin, negligent = self._scenario("administrative"), self._scenario("negligent")
        self.assertGreater(admin.min_interval_days, negligent.min_interval_days)
        self.assertGreater(admin.stage_ids[-1].days, negligent.stage_ids[-1].days)
        self.assertIn("validation process", admin.stage_ids[1].instructions)

    def test_dispute_escalates_fast_to_registered_letter(self):
        stages = self._scenario("dispute").stage_ids
        registered = stages.filtered(lambda s: s.channel == "registered_letter")
        self.assertEqual(registered[0].level, "level_2")
        self.assertLessEqual(registered[0].days, 10)

    def test_automatic_only_sends_a_statement_before_due_date(self):
        stages = self._scenario("automatic").stage_ids
        self.assertEqual(
            self._levels(self._scenario("automatic")), [("pre_dunning", -10, "email")]
        )
        self.assertEqual(
            stages.mail_template_id,
            self.env.ref("credit_collection.mail_template_statement"),
        )

    def test_good_does_nothing(self):
        self.assertFalse(self._scenario("good").stage_ids)

    def test_every_escalating_scenario_ends_in_litigation_after_formal_notice(self):
        for profile in ("negligent", "bad", "insolvent", "administrative", "dispute"):
            stages = self._scenario(profile).stage_ids
            self.assertEqual(stages[-1].level, "litigation", profile)
            self.assertEqual(stages[-2].level, "level_3", profile)
            self.assertTrue(
                (stages[-2] | stages[-1]).mapped("blocks_sales") == [True, True]
            )

    def test_automatic_email_stages_all_have_templates(self):
        stages = self.Stage.search([("channel", "=", "email"), ("auto", "=", True)])
        self.assertTrue(stages)
        self.assertTrue(all(stages.mapped("mail_template_id")))
