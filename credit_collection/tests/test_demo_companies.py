from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.credit_collection.models.credit_collection_demo_history import (
    HISTORY_MONTHS,
)

from .demo_common import DemoDataCase

# What each company keeps to itself.
COMPANY_MODELS = [
    "res.partner",
    "account.move",
    "credit.collection.action",
    "credit.collection.dispute",
    "credit.collection.kpi",
    "credit.collection.scenario",
]


@tagged("post_install", "-at_install")
class TestDemoCompanies(DemoDataCase):
    """The demo's second company: it books in EUR, its customers read French
    and German, it has its own scenarios, collector and year of history, and
    each company's collector sees only their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.main = cls.env.ref("base.main_company")
        cls.europe = cls.env.ref("credit_collection.res_company_europe")
        cls.collector = cls.env.ref("credit_collection.user_collector")
        cls.collector_europe = cls.env.ref("credit_collection.user_collector_europe")

    def _of(self, model, company):
        domain = [("company_id", "=", company.id)]
        if model == "res.partner":
            domain.append(("customer_rank", ">", 0))
        return self.env[model].search(domain)

    def test_books_in_eur_for_french_and_german_customers(self):
        self.assertEqual(self.europe.currency_id, self.env.ref("base.EUR"))
        self.assertNotEqual(self.main.currency_id, self.europe.currency_id)
        customers = self._of("res.partner", self.europe)
        self.assertEqual(set(customers.mapped("lang")), {"fr_FR", "de_DE"})
        invoices = self._of("account.move", self.europe).filtered(
            lambda move: move.move_type == "out_invoice"
        )
        self.assertEqual(invoices.currency_id, self.europe.currency_id)

    def test_its_own_scenarios_collector_and_history(self):
        scenarios = self._of("credit.collection.scenario", self.europe)
        self.assertEqual(
            sorted(scenarios.mapped("payer_profile")),
            sorted(
                self._of("credit.collection.scenario", self.main).mapped(
                    "payer_profile"
                )
            ),
        )
        self.assertEqual(
            self.europe.credit_collection_scenario_id.company_id, self.europe
        )
        actions = self._of("credit.collection.action", self.europe)
        self.assertEqual(actions.user_id, self.collector_europe)
        self.assertTrue(actions.filtered(lambda action: action.state == "todo"))
        self.assertTrue(actions.filtered(lambda action: action.state == "done"))
        self.assertGreaterEqual(
            len(self._of("credit.collection.kpi", self.europe)), HISTORY_MONTHS
        )
        self.assertTrue(
            self._of("credit.collection.dispute", self.europe).filtered(
                lambda dispute: dispute.state == "resolved"
            )
        )
        # A negligent payer that pays weeks late.
        kessler = self.env.ref(
            "credit_collection.res_partner_europe_negligent_2"
        ).with_company(self.europe)
        self.assertEqual(kessler.payer_profile, "negligent")
        self.assertEqual(kessler.payer_profile_suggestion, "bad")
        self.assertTrue(kessler.payer_profile_suggestion_reason)

    def test_a_reminder_in_the_customer_language(self):
        vasseur = self.env.ref("credit_collection.res_partner_europe_negligent_1")
        action = self._of("credit.collection.action", self.europe).filtered(
            lambda action: (
                action.partner_id == vasseur
                and action.state == "todo"
                and action.channel == "email"
            )
        )
        self.assertEqual(len(action), 1)
        template = action.stage_id.mail_template_id

        def subject(lang):
            return template.with_context(lang=lang)._render_field(
                "subject", action.ids
            )[action.id]

        self.assertNotEqual(subject("fr_FR"), subject("en_US"))
        action.with_company(self.europe)._send_email()
        message = action.message_ids.filtered(lambda message: message.subject)[:1]
        self.assertEqual(message.subject, subject("fr_FR"))

    def test_each_collector_sees_only_their_company(self):
        for user, own, other in (
            (self.collector, self.main, self.europe),
            (self.collector_europe, self.europe, self.main),
        ):
            for model in COMPANY_MODELS:
                if model == "res.partner" and other == self.main:
                    continue  # the main company's customers are shared
                theirs = self._of(model, other)
                self.assertTrue(theirs, model)
                as_user = self.env[model].with_user(user)
                self.assertFalse(
                    as_user.search([("id", "in", theirs.ids)]),
                    f"{user.login} sees {model} of {other.name}",
                )
                mine = self._of(model, own)
                if mine:
                    self.assertTrue(
                        as_user.search([("id", "in", mine.ids)]), (user.login, model)
                    )
            # Nor can they switch to the other company.
            with self.assertRaises(AccessError):
                self.env["credit.collection.action"].with_user(user).with_context(
                    allowed_company_ids=[other.id]
                ).search([])

    def test_the_administrator_works_in_both(self):
        admin = self.env.ref("base.user_admin")
        self.assertIn(self.europe, admin.company_ids)
        Action = (
            self.env["credit.collection.action"]
            .with_user(admin)
            .with_context(allowed_company_ids=[self.main.id, self.europe.id])
        )
        self.assertEqual(
            set(Action.search([]).company_id.ids), {self.main.id, self.europe.id}
        )
