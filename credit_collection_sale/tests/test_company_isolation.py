from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.credit_collection.tests.run_common import CollectionRunCommon

TODAY = date(2026, 3, 11)


@tagged("post_install", "-at_install")
class TestCompanyIsolation(CollectionRunCommon):
    """Company B's collection records, of every model of the addons, never
    reach the users of company A, whatever their group. It lives in the
    sales bridge because that addon is installed with every model.

    Company B (in EUR, company A in USD) gets a whole collection life: a run
    with its batches and item states, actions (emails sent, a registered
    letter that blocks the account), a note, a promise kept and one open, a
    dispute resolved and one open, a payment plan, the contacts of a customer
    of its own (contacts follow their customer), a channel rule,
    its own dispute type, the month's KPIs and a release of a blocked order.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls._euro_company("Company B")
        group = "credit_collection.group_credit_collection_"
        cls.users_a = {
            "employee": cls._user("iso.employee", "base.group_user"),
            "billing": cls._user("iso.billing", "account.group_account_invoice"),
            "salesperson": cls._user("iso.sales", "sales_team.group_sale_salesman"),
            "collector": cls._user("iso.collector", f"{group}user"),
            "manager": cls._user(
                "iso.manager", f"{group}manager,sales_team.group_sale_salesman"
            ),
        }
        cls.manager_b = cls._user(
            "iso.manager.b",
            f"{group}manager,sales_team.group_sale_salesman",
            cls.company_b,
        )
        cls._company_b_life()

    @classmethod
    def _invoice_b(cls, customer, amount, days_late):
        due = TODAY - timedelta(days=days_late)
        return cls._post_invoice(
            customer,
            amount,
            due=due,
            invoice_date=due - timedelta(days=30),
            company=cls.company_b,
        )

    @classmethod
    def _company_b_life(cls):
        B = cls.company_b
        env_b = cls.env(context=dict(cls.env.context, allowed_company_ids=B.ids))
        cls.mailed = cls._customer("B mailed")
        cls.noticed = cls._customer("B noticed")
        cls.mailed_invoice = cls._invoice_b(cls.mailed, 1000, 10)
        cls._invoice_b(cls.mailed, 400, 10)
        cls._invoice_b(cls.noticed, 2000, 45)
        Run = env_b["credit.collection.run"]
        with freeze_time(TODAY):
            Run._run_company(B)
            env_b["credit.collection.action"]._send_due(B)
        actions = env_b["credit.collection.action"].search([("company_id", "=", B.id)])
        assert actions, "the run of company B made no action"
        actions[0].note_ids = [Command.create({"body": "Called, no answer."})]
        items = cls._receivable_items(cls.mailed_invoice)
        Promise = env_b["credit.collection.promise"]
        with freeze_time(TODAY):
            kept, _open = Promise.create(
                [
                    {
                        "partner_id": cls.mailed.id,
                        "company_id": B.id,
                        "date": TODAY + timedelta(days=days),
                        "amount": amount,
                        "move_line_ids": [Command.set(items.ids)],
                    }
                    for amount, days in ((100, 5), (200, 20))
                ]
            )
        kept.write({"state": "kept", "closed_date": TODAY, "amount_kept": 100})
        kind = env_b["credit.collection.dispute.type"].create(
            {"name": "Company B only", "company_id": B.id}
        )
        Dispute = env_b["credit.collection.dispute"]
        disputes = Dispute.create(
            [
                {
                    "partner_id": cls.mailed.id,
                    "company_id": B.id,
                    "type_id": kind.id,
                    "description": "Damaged",
                    "amount": amount,
                    "move_line_ids": [Command.set(items.ids)],
                }
                for amount in (50, 60)
            ]
        )
        disputes[0].action_resolve()
        plan = env_b["credit.collection.plan"].create(
            {
                "partner_id": cls.noticed.id,
                "company_id": B.id,
                "move_line_ids": [
                    Command.set(
                        cls.noticed.with_company(B)._collection_open_items(B).ids
                    )
                ],
            }
        )
        plan.action_generate_lines()
        # Contacts follow their customer: a customer of company B only.
        own = cls._customer("B's own customer", company_id=B.id)
        own.collection_contact_ids = [
            Command.create({"contact_id": own.id, "recipient_type": "to"})
        ]
        stage = env_b["credit.collection.stage"].search([("company_id", "=", B.id)])[0]
        stage.channel_rule_ids = [
            Command.create({"channel": "phone", "max_open_items": 3})
        ]
        env_b["credit.collection.kpi"]._record_months(B, [date(2026, 2, 1)])
        cls._release_b(env_b)

    @classmethod
    def _release_b(cls, env_b):
        """A blocked customer's order in company B, and its release."""
        B = cls.company_b
        cls.noticed.with_company(B).with_user(cls.manager_b).with_context(
            allowed_company_ids=B.ids
        )._collection_block_by_hand("Cheque bounced")
        product = cls.env["product.product"].create({"name": "Tiles", "list_price": 10})
        order = (
            env_b["sale.order"]
            .with_user(cls.manager_b)
            .create(
                {
                    "partner_id": cls.noticed.id,
                    "company_id": B.id,
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 1})
                    ],
                }
            )
        )
        action = order.action_collection_request_release()
        env_b[action["res_model"]].with_user(cls.manager_b).with_context(
            **action["context"]
        ).create({"note": "Pays late but pays."}).action_request()

    def _models(self):
        """Every model of the addons that keeps records."""
        return [
            name
            for name in sorted(self.env.registry)
            if name.startswith("credit.collection.")
            and not self.env[name]._abstract
            and not self.env[name]._transient
        ]

    def test_company_b_records_exist_for_every_model(self):
        """The check below means something only if company B has records of
        each model."""
        empty = [
            model
            for model in self._models()
            if not self.env[model]
            .sudo()
            .search_count([("company_id", "=", self.company_b.id)])
        ]
        self.assertEqual(empty, [])

    def test_no_user_of_company_a_reaches_company_b(self):
        for model in self._models():
            records_b = (
                self.env[model].sudo().search([("company_id", "=", self.company_b.id)])
            )
            for kind, user in self.users_a.items():
                Model = self.env[model].with_user(user)
                with self.subTest(model=model, user=kind):
                    if not Model.has_access("read"):
                        continue
                    self.assertFalse(Model.search([("id", "in", records_b.ids)]))
                    with self.assertRaises(AccessError):
                        records_b[:1].with_user(user).read(["company_id"])
                    self.env.invalidate_all()

    def test_company_b_users_see_their_own(self):
        """The same rules let company B's manager work: the check above is
        not passing because nothing is readable."""
        for model in self._models():
            records_b = (
                self.env[model].sudo().search([("company_id", "=", self.company_b.id)])
            )
            with self.subTest(model=model):
                seen = (
                    self.env[model]
                    .with_user(self.manager_b)
                    .with_context(allowed_company_ids=self.company_b.ids)
                    .search([("id", "in", records_b.ids)])
                )
                self.assertEqual(seen, records_b)
