from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestSecurity(CreditCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env.company
        common = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.collector = new_test_user(
            cls.env,
            login="security.collector",
            groups="credit_collection.group_credit_collection_user",
            **common,
        )
        cls.manager = new_test_user(
            cls.env,
            login="credit_manager",
            groups="credit_collection.group_credit_collection_manager",
            **common,
        )
        cls.billing = new_test_user(
            cls.env, login="billing", groups="account.group_account_invoice", **common
        )
        cls.scenario = cls.Scenario._default_for_profile(company, "negligent")
        cls.other_company = cls.setup_other_company()["company"]
        cls.foreign_scenario = cls.Scenario._default_for_profile(
            cls.other_company, "negligent"
        )

    def test_collector_reads_but_does_not_configure(self):
        scenario = self.scenario.with_user(self.collector)
        self.assertTrue(scenario.stage_ids.read(["name"]))
        with self.assertRaises(AccessError):
            scenario.name = "Renamed"
        with self.assertRaises(AccessError):
            scenario.stage_ids[0].days = -8
        with self.assertRaises(AccessError):
            self.Scenario.with_user(self.collector).create({"name": "Mine"})

    def test_manager_configures(self):
        self.scenario.with_user(self.manager).name = "Renamed"
        self.assertEqual(self.scenario.name, "Renamed")
        self.Scenario.with_user(self.manager).create({"name": "Mine"}).unlink()

    def test_collector_works_contacts_and_actions(self):
        customer = self.env["res.partner"].create({"name": "Acme", "is_company": True})
        contact = self.env["res.partner"].create(
            {"name": "Ann", "parent_id": customer.id}
        )
        line = (
            self.env["credit.collection.contact"]
            .with_user(self.collector)
            .create({"partner_id": customer.id, "contact_id": contact.id})
        )
        line.role = "validator"
        action = (
            self.env["credit.collection.action"]
            .with_user(self.collector)
            .create({"partner_id": customer.id})
        )
        self.assertEqual(action.user_id, self.collector)
        with self.assertRaises(AccessError):
            action.unlink()

    def test_billing_user_sees_stage_names_but_no_scenarios(self):
        self.assertTrue(self.scenario.stage_ids.with_user(self.billing).read(["name"]))
        with self.assertRaises(AccessError):
            self.scenario.with_user(self.billing).read(["name"])
        with self.assertRaises(AccessError):
            self.env["credit.collection.action"].with_user(self.billing).search([])

    def test_companies_are_isolated(self):
        visible = self.Scenario.with_user(self.manager).search([])
        self.assertIn(self.scenario, visible)
        self.assertNotIn(self.foreign_scenario, visible)
        with self.assertRaises(AccessError):
            self.foreign_scenario.with_user(self.manager).read(["name"])
        with self.assertRaises(AccessError):
            self.foreign_scenario.stage_ids[0].with_user(self.manager).read(["name"])

    def test_every_model_has_access_rules_and_company_rule(self):
        for model in (
            "credit.collection.scenario",
            "credit.collection.stage",
            "credit.collection.contact",
            "credit.collection.action",
        ):
            ir_model = self.env["ir.model"]._get(model)
            self.assertTrue(ir_model.access_ids, model)
            rules = self.env["ir.rule"].sudo().search([("model_id", "=", ir_model.id)])
            self.assertTrue(
                any("company_ids" in rule.domain_force for rule in rules),
                f"{model} company rule",
            )

    def test_menus_for_collection_users_only(self):
        menu = self.env.ref("credit_collection.menu_credit_collection_root")
        self.assertIn(
            menu.id,
            self.env["ir.ui.menu"].with_user(self.collector)._visible_menu_ids(),
        )
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.billing)._visible_menu_ids()
        )
        config = self.env.ref("credit_collection.menu_credit_collection_scenario")
        self.assertNotIn(
            config.id,
            self.env["ir.ui.menu"].with_user(self.collector)._visible_menu_ids(),
        )

    def test_runs_are_read_by_collectors_and_kept_per_company(self):
        Run = self.env["credit.collection.run"]
        run = Run.create(
            {"company_id": self.env.company.id, "date": "2026-03-11", "trigger": "cron"}
        )
        batch = self.env["credit.collection.run.batch"].create(
            {"run_id": run.id, "sequence": 0, "customer_list": [self.partner_a.id]}
        )
        foreign = Run.create(
            {
                "company_id": self.other_company.id,
                "date": "2026-03-11",
                "trigger": "cron",
            }
        )
        self.assertEqual(Run.with_user(self.collector).search([]), run)
        self.assertTrue(batch.with_user(self.collector).read(["state"]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.collector).read(["name"])
        with self.assertRaises(AccessError):
            run.with_user(self.collector).unlink()
        with self.assertRaises(AccessError):
            Run.with_user(self.billing).search([])

    def test_channel_rules_are_configured_by_managers(self):
        stage = self.scenario.stage_ids[0]
        Rule = self.env["credit.collection.channel.rule"]
        rule = Rule.with_user(self.manager).create(
            {"stage_id": stage.id, "location": "foreign", "channel": "email"}
        )
        self.assertTrue(rule.with_user(self.collector).read(["channel"]))
        with self.assertRaises(AccessError):
            rule.with_user(self.collector).channel = "letter"
        with self.assertRaises(AccessError):
            Rule.with_user(self.collector).create(
                {"stage_id": stage.id, "channel": "email"}
            )
