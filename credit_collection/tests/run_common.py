from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command

from .common import CreditCollectionCommon

# A Wednesday: the default working calendar works on it.
TODAY = date(2026, 3, 11)


class CollectionRunCommon(CreditCollectionCommon):
    """A scenario with one stage per level, and helpers to run it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.country_id = cls.env.ref("base.fr")
        cls.scenario = cls._create_scenario(
            [
                (
                    "pre_dunning",
                    -5,
                    {
                        "channel": "email",
                        "auto": True,
                        "mail_template_id": cls.env.ref(
                            "credit_collection.mail_template_pre_dunning"
                        ).id,
                    },
                ),
                (
                    "level_1",
                    5,
                    {
                        "channel": "email",
                        "auto": True,
                        "mail_template_id": cls.template_level_1.id,
                    },
                ),
                ("level_2", 20, {"channel": "phone"}),
                ("level_3", 40, {"channel": "registered_letter", "min_amount": 500}),
                ("litigation", 60, {"channel": "letter"}),
            ],
            name="Run scenario",
            min_interval_days=3,
        )
        cls.stages = {stage.level: stage for stage in cls.scenario.stage_ids}
        cls.company.credit_collection_scenario_id = cls.scenario
        cls.Action = cls.env["credit.collection.action"]
        cls.Run = cls.env["credit.collection.run"]

    @classmethod
    def _customer(cls, name, **vals):
        """A French company customer that every channel can reach."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                "phone": "+33 1 23 45 67 89",
                "street": "1 rue de la Paix",
                "city": "Paris",
                "zip": "75002",
                "country_id": cls.env.ref("base.fr").id,
                **vals,
            }
        )

    @classmethod
    def _invoice_days_late(cls, partner, amount, days_late, **kwargs):
        due = TODAY - timedelta(days=days_late)
        return cls._post_invoice(
            partner, amount, due=due, invoice_date=due - timedelta(days=30), **kwargs
        )

    def _run(self, day=TODAY, send=True, **kwargs):
        """Run the company on ``day``, then (as the scheduled action the run
        starts would) queue the automatic messages due."""
        with freeze_time(day):
            run = self.Run._run_company(self.company, **kwargs)
            if send:
                self.Action._send_due(self.company)
            return run

    def _pay(self, invoice, day=TODAY, amount=None):
        """Register a payment of ``invoice`` (in full by default) on ``day``."""
        vals = {"payment_date": day}
        if amount is not None:
            vals.update(amount=amount, payment_difference_handling="open")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(vals)._create_payments()

    def _actions(self, partners):
        return self.Action.search([("partner_id", "in", partners.ids)])

    def _scenario_for(self, partner, scenario):
        partner.with_company(self.company).collection_scenario_id = scenario

    @staticmethod
    def _set_contacts(partner, contacts):
        partner.collection_contact_ids = [
            Command.create({"contact_id": contact.id, "recipient_type": kind})
            for contact, kind in contacts
        ]
