from odoo.tests import tagged

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestPartnerCollection(CreditCollectionCommon):
    @classmethod
    def default_env_context(cls):
        return {}  # keep mail tracking on: the history is part of the feature

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme", "is_company": True}
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Bob", "parent_id": cls.customer.id}
        )
        cls.other_company = cls.setup_other_company()["company"]
        cls.company = cls.env.company

    def _scenario(self, profile, company=None):
        return self.Scenario._default_for_profile(company or self.company, profile)

    def test_without_profile_the_company_default_applies(self):
        self.assertFalse(self.customer.payer_profile)
        self.assertEqual(
            self.customer.collection_effective_scenario_id,
            self.company.credit_collection_scenario_id,
        )

    def test_profile_chooses_its_scenario(self):
        self.customer.payer_profile = "dispute"
        self.assertEqual(
            self.customer.collection_effective_scenario_id, self._scenario("dispute")
        )

    def test_customer_scenario_overrides_profile(self):
        own = self._create_scenario(name="Key account", stages=[("level_1", 20, {})])
        self.customer.write({"payer_profile": "bad", "collection_scenario_id": own.id})
        self.assertEqual(self.customer.collection_effective_scenario_id, own)

    def test_profile_without_scenario_falls_back_to_company_default(self):
        self._scenario("insolvent").payer_profile = False
        self.customer.payer_profile = "insolvent"
        self.assertEqual(
            self.customer.collection_effective_scenario_id,
            self.company.credit_collection_scenario_id,
        )

    def test_no_scenario_at_all(self):
        self.company.credit_collection_scenario_id = False
        self.assertFalse(self.customer.collection_effective_scenario_id)

    def test_contacts_follow_their_commercial_entity(self):
        self.customer.payer_profile = "administrative"
        self.assertEqual(
            self.buyer.collection_effective_scenario_id,
            self._scenario("administrative"),
        )

    def test_settings_are_per_company(self):
        collector = self.env.user
        self.customer.write(
            {
                "payer_profile": "bad",
                "collection_user_id": collector.id,
                "collection_excluded": True,
                "collection_blocked": True,
            }
        )
        in_other = self.customer.with_company(self.other_company)
        self.assertFalse(in_other.payer_profile)
        self.assertFalse(in_other.collection_user_id)
        self.assertFalse(in_other.collection_excluded)
        self.assertFalse(in_other.collection_blocked)
        in_other.payer_profile = "good"
        self.assertEqual(self.customer.payer_profile, "bad")
        self.assertEqual(
            in_other.collection_effective_scenario_id,
            self._scenario("good", self.other_company),
        )
        self.assertEqual(
            self.customer._collection_scenario(self.other_company),
            self._scenario("good", self.other_company),
        )

    def test_search_and_group_by_profile(self):
        self.customer.payer_profile = "automatic"
        found = self.env["res.partner"].search([("payer_profile", "=", "automatic")])
        self.assertIn(self.customer, found)
        groups = self.env["res.partner"].read_group(
            [("id", "=", self.customer.id)], ["payer_profile"], ["payer_profile"]
        )
        self.assertEqual([g["payer_profile"] for g in groups], ["automatic"])

    def test_profile_change_is_tracked(self):
        customer = self.customer
        self._flush_tracking()
        customer.payer_profile = "bad"
        self._flush_tracking()
        # Tracking values are readable by administrators only.
        tracked = (
            self.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.res_id", "=", customer.id),
                    ("mail_message_id.model", "=", "res.partner"),
                    ("field_id.name", "=", "payer_profile"),
                ]
            )
        )
        self.assertEqual(tracked.new_value_char, "Bad payer")
