from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.credit_collection.tests.run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestSaleBlocking(CollectionRunCommon):
    """A blocked customer's order: the banner, the refused confirmation, the
    release asked by sales and decided by a Collections manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls._user(
            "sale-salesperson", "sales_team.group_sale_salesman"
        )
        cls.manager = cls._user(
            "sale-collection-manager",
            "sales_team.group_sale_salesman,"
            "credit_collection.group_credit_collection_manager",
        )
        cls.other_manager = cls._user(
            "sale-collection-manager-2",
            "credit_collection.group_credit_collection_manager",
        )
        cls.customer = cls._customer("Blocked Retail")
        cls.product = cls.env["product.product"].create(
            {"name": "Pallet of tiles", "list_price": 100.0, "taxes_id": False}
        )
        cls.eur = cls.setup_other_currency("EUR")  # 2 EUR for 1 USD

    def _order(self, amount=500.0, customer=None, currency=None, user=None):
        values = {
            "partner_id": (customer or self.customer).id,
            "company_id": self.company.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "product_uom_qty": 1,
                        "price_unit": amount,
                        "tax_id": False,
                    }
                )
            ],
        }
        if currency:
            values["pricelist_id"] = (
                self.env["product.pricelist"]
                .create({"name": f"In {currency.name}", "currency_id": currency.id})
                .id
            )
        return self.env["sale.order"].with_user(user or self.salesperson).create(values)

    def _block(self, reason="Cheque bounced."):
        self.env["credit.collection.block"].with_user(self.manager).with_context(
            active_model="res.partner", active_id=self.customer.id
        ).create({"reason": reason, "block": True}).action_confirm()

    def _request(self, order, user=None, note="Big customer, pays late but pays."):
        action = order.with_user(
            user or self.salesperson
        ).action_collection_request_release()
        self.env[action["res_model"]].with_user(user or self.salesperson).with_context(
            **action["context"]
        ).create({"note": note}).action_request()
        return order.collection_release_ids

    def _approve(self, release, user=None, **decision):
        release = release.with_user(user or self.manager)
        release.write(decision)
        release.action_approve()

    # Blocked ---------------------------------------------------------------

    def test_blocked_customer_order_shows_why_and_cannot_be_confirmed(self):
        self._block()
        order = self._order()
        self.assertIn(
            "Blocked Retail is blocked for sales: Cheque bounced",
            order.collection_block_warning,
        )
        with self.assertRaises(UserError) as refusal:
            order.with_user(self.salesperson).action_confirm()
        self.assertIn("cannot be confirmed", str(refusal.exception))
        self.assertIn("Request a release", str(refusal.exception))
        self.assertEqual(order.state, "draft")
        fine = self._order(customer=self._customer("Fine Retail"))
        self.assertFalse(fine.collection_block_warning)
        fine.with_user(self.salesperson).action_confirm()
        self.assertEqual(fine.state, "sale")

    def test_refusal_in_the_salespersons_language(self):
        """The refusal and the block's summary, in French, Spanish and
        German (as the web client sends the user's language)."""
        expected = {
            "fr_FR": ("ne peut pas être confirmé", "est bloqué pour les ventes"),
            "es_ES": ("no se puede confirmar", "tiene las ventas bloqueadas"),
            "de_DE": ("kann nicht bestätigt werden", "ist für Verkäufe gesperrt"),
        }
        for lang in expected:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection", "credit_collection_sale"], list(expected), True
        )
        self._block()
        order = self._order()
        for lang, texts in expected.items():
            self.salesperson.lang = lang
            with self.subTest(lang=lang), self.assertRaises(UserError) as refusal:
                order.with_user(self.salesperson).with_context(
                    lang=lang
                ).action_confirm()
            for text in texts:
                self.assertIn(text, str(refusal.exception))
            self.assertNotIn("cannot be confirmed", str(refusal.exception))
            self.env.invalidate_all()

    # Asking --------------------------------------------------------------------

    def test_salesperson_requests_a_release(self):
        self._block()
        order = self._order()
        release = self._request(order)
        self.assertRecordValues(
            release,
            [
                {
                    "state": "requested",
                    "requested_by_id": self.salesperson.id,
                    "partner_id": self.customer.id,
                }
            ],
        )
        self.assertEqual(
            set(release.activity_ids.user_id.ids),
            {self.manager.id, self.other_manager.id}
            | set(
                self.env.ref("credit_collection.group_credit_collection_manager")
                .users.filtered(lambda u: self.company in u.company_ids and not u.share)
                .ids
            )
            - {self.salesperson.id},
        )
        self.assertIn(self.manager.partner_id, release.message_ids[0].partner_ids)
        self.assertIn("Release requested", order.message_ids[0].body)
        self.assertTrue(order.collection_release_pending)
        with self.assertRaises(UserError):
            self._request(order)

    # Deciding ------------------------------------------------------------------

    def test_only_another_collections_manager_decides(self):
        self._block()
        order = self._order(user=self.manager)
        release = self._request(order, user=self.manager)
        with self.assertRaises(AccessError):
            self._approve(release, user=self.salesperson)
        with self.assertRaises(AccessError):
            release.with_user(self.manager).action_approve()
        self.assertEqual(release.state, "requested")
        self._approve(release, user=self.other_manager)
        self.assertEqual(release.state, "approved")
        self.assertEqual(release.decided_by_id, self.other_manager)

    def test_release_for_this_order_only(self):
        self._block()
        order = self._order()
        release = self._request(order)
        self._approve(release, scope="order", decision_comment="Once.")
        self.assertIn(
            "Release approved by sale-collection-manager", order.message_ids[0].body
        )
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(release.confirmed_order_ids, order)
        self.assertIn("under Release of Blocked Retail", order.message_ids[0].body)
        with self.assertRaises(UserError):
            self._order().with_user(self.salesperson).action_confirm()

    def test_release_until_a_date_expires(self):
        self._block()
        release = self._request(self._order())
        today = fields.Date.context_today(release)
        self._approve(release, scope="period", valid_until=today + timedelta(days=7))
        self._order().with_user(self.salesperson).action_confirm()
        self._order().with_user(self.salesperson).action_confirm()
        self.assertEqual(len(release.confirmed_order_ids), 2)
        later = self._order()
        with freeze_time(today + timedelta(days=8)), self.assertRaises(UserError):
            later.with_user(self.salesperson).action_confirm()

    def test_release_up_to_an_amount(self):
        self._block()
        release = self._request(self._order(600))
        self._approve(
            release,
            scope="amount",
            max_amount=1000,
            valid_until=fields.Date.context_today(release) + timedelta(days=30),
        )
        release.order_id.with_user(self.salesperson).action_confirm()
        with self.assertRaises(UserError):
            self._order(500).with_user(self.salesperson).action_confirm()
        # 800 EUR is 400 USD: still within the 1,000 USD.
        self._order(800, currency=self.eur).with_user(self.salesperson).action_confirm()
        self.assertEqual(len(release.confirmed_order_ids), 2)

    def test_refusal_needs_a_reason_and_keeps_the_block(self):
        self._block()
        order = self._order()
        release = self._request(order)
        with self.assertRaises(UserError):
            release.with_user(self.manager).action_refuse()
        release.with_user(self.manager).write({"decision_comment": "Pay first."})
        release.with_user(self.manager).action_refuse()
        self.assertEqual(release.state, "refused")
        self.assertIn(
            f"Release refused by {self.manager.name}: Pay first.",
            order.message_ids[0].body,
        )
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).action_confirm()

    # Exposure ------------------------------------------------------------------

    def test_orders_count_in_the_exposure_in_any_currency(self):
        """Limit 1,000 USD. An invoice of 400 USD and a confirmed order of
        1,000 EUR (500 USD) not invoiced: 900 USD. A quotation of 300 USD
        would pass the limit: a warning, and it can be confirmed; once it
        is, the account is blocked."""
        self.company.account_use_credit_limit = True
        self.customer.with_company(self.company).credit_limit = 1000
        self._invoice_days_late(self.customer, 400, 5)
        self._order(1000, currency=self.eur).with_user(
            self.salesperson
        ).action_confirm()
        self.assertFalse(self.customer.collection_blocked)
        quotation = self._order(300)
        self.assertIn("has reached its credit limit", quotation.partner_credit_warning)
        quotation.with_user(self.salesperson).action_confirm()
        self.assertTrue(self.customer.collection_blocked)
        self.assertEqual(self.customer.collection_block_cause, "credit_limit")
        self.assertIn("1,200.00", self.customer.collection_block_reason)
        with self.assertRaises(UserError):
            self._order(50).with_user(self.salesperson).action_confirm()
