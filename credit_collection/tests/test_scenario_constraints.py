from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestScenarioConstraints(CreditCollectionCommon):
    def test_negative_minimum_interval(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"minimum number of days between two actions of scenario 'Too eager' "
            r"cannot be negative",
        ):
            self._create_scenario(name="Too eager", min_interval_days=-1)

    def test_one_scenario_per_profile_and_company(self):
        existing = self.Scenario._default_for_profile(self.env.company, "bad")
        self.assertTrue(
            existing, "the company's copy of the default scenarios maps 'bad'"
        )
        with self.assertRaisesRegex(
            ValidationError,
            rf"The payer profile 'Bad payer' already uses scenario '{existing.name}' "
            rf"in company {self.env.company.name}",
        ):
            self._create_scenario(name="Harsher", payer_profile="bad")

    def test_profile_can_move_once_released(self):
        existing = self.Scenario._default_for_profile(self.env.company, "bad")
        existing.payer_profile = False
        harsher = self._create_scenario(name="Harsher", payer_profile="bad")
        self.assertEqual(
            self.Scenario._default_for_profile(self.env.company, "bad"), harsher
        )

    def test_archived_scenario_releases_its_profile(self):
        existing = self.Scenario._default_for_profile(self.env.company, "bad")
        existing.active = False
        harsher = self._create_scenario(name="Harsher", payer_profile="bad")
        self.assertEqual(
            self.Scenario._default_for_profile(self.env.company, "bad"), harsher
        )

    def test_same_profile_in_another_company(self):
        other_company = self.setup_other_company()["company"]
        other = self.Scenario._default_for_profile(other_company, "bad")
        self.assertTrue(other)
        self.assertNotEqual(
            other, self.Scenario._default_for_profile(self.env.company, "bad")
        )

    def test_copy_keeps_stages_but_not_profile(self):
        original = self.Scenario._default_for_profile(self.env.company, "negligent")
        copy = original.copy()
        self.assertFalse(copy.payer_profile)
        self.assertEqual(copy.name, f"{original.name} (copy)")
        self.assertEqual(
            copy.stage_ids.mapped("days"), original.stage_ids.mapped("days")
        )
        self.assertNotEqual(copy.stage_ids, original.stage_ids)

    def test_new_scenario_interval_defaults_to_company_setting(self):
        self.env.company.credit_collection_min_interval_days = 12
        self.assertEqual(self._create_scenario().min_interval_days, 12)

    def test_company_default_interval_cannot_be_negative(self):
        with self.assertRaisesRegex(
            ValidationError,
            "default minimum number of days between two collection actions of .* "
            "cannot be negative",
        ):
            self.env.company.credit_collection_min_interval_days = -3

    def test_settings_write_company_defaults(self):
        scenario = self.Scenario._default_for_profile(self.env.company, "bad")
        settings = self.env["res.config.settings"].create(
            {
                "credit_collection_scenario_id": scenario.id,
                "credit_collection_min_interval_days": 9,
            }
        )
        settings.execute()
        self.assertEqual(self.env.company.credit_collection_scenario_id, scenario)
        self.assertEqual(self.env.company.credit_collection_min_interval_days, 9)

    def test_company_default_scenario_of_another_company(self):
        other_company = self.setup_other_company()["company"]
        foreign = self.Scenario._default_for_profile(other_company, "bad")
        with self.assertRaisesRegex(
            ValidationError,
            rf"The default collection scenario of {self.env.company.name} must be one "
            rf"of its own scenarios; '{foreign.name}' belongs to {other_company.name}",
        ):
            self.env.company.credit_collection_scenario_id = foreign
