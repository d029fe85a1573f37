from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestAccountBlocking(CollectionRunCommon):
    """Each way an account is blocked for sales and unblocked, and the log
    of every change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._collector_user("block-collector")
        cls.manager = cls._user(
            "block-manager",
            "account.group_account_invoice,"
            "credit_collection.group_credit_collection_manager",
        )
        cls.customer = cls._customer("Blocked Ltd")
        cls.eur = cls.setup_other_currency("EUR")  # 2 EUR for 1 USD

    def _events(self, customer=None):
        return self.env["credit.collection.block.event"].search(
            [("partner_id", "=", (customer or self.customer).id)], order="id"
        )

    def _block_by_hand(self, user, reason, block=True):
        wizard = (
            self.env["credit.collection.block"]
            .with_user(user)
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create({"reason": reason, "block": block})
        )
        wizard.action_confirm()

    # By hand ---------------------------------------------------------------

    def test_manager_blocks_and_unblocks_with_a_reason(self):
        self._block_by_hand(self.manager, "Cheque bounced twice.")
        self.assertTrue(self.customer.collection_blocked)
        self.assertEqual(self.customer.collection_block_cause, "manual")
        self.assertEqual(self.customer.collection_block_reason, "Cheque bounced twice.")
        self.assertTrue(self.customer.collection_block_date)
        event = self._events()
        self.assertRecordValues(
            event,
            [
                {
                    "blocked": True,
                    "cause": "manual",
                    "user_id": self.manager.id,
                    "reason": "Cheque bounced twice.",
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertIn("Account blocked for sales", self.customer.message_ids[0].body)
        self._block_by_hand(self.manager, "Paid by bank transfer.", block=False)
        self.assertFalse(self.customer.collection_blocked)
        self.assertFalse(self.customer.collection_block_date)
        self.assertRecordValues(
            self._events()[1:],
            [
                {
                    "blocked": False,
                    "user_id": self.manager.id,
                    "reason": "Paid by bank transfer.",
                }
            ],
        )

    def test_only_managers_block_and_a_reason_is_needed(self):
        with self.assertRaises(AccessError):
            self._block_by_hand(self.collector, "I feel like it.")
        with self.assertRaises(UserError):
            self._block_by_hand(self.manager, "   ")
        self.assertFalse(self.customer.collection_blocked)
        self.assertFalse(self._events())

    def test_a_block_is_per_company(self):
        self._block_by_hand(self.manager, "Cheque bounced.")
        other = self.env["res.company"].create({"name": "Other Co"})
        self.assertFalse(self.customer.with_company(other).collection_blocked)

    def test_accounts_ticked_blocked_before_causes_stay_blocked(self):
        """An account ticked as blocked before blocks had causes (the upgrade
        to 18.0.1.1.0) becomes a block by hand, logged."""
        self.customer.with_company(self.company).collection_blocked = True
        self.env["res.partner"]._collection_adopt_legacy_blocks()
        self.assertTrue(self.customer.collection_blocked)
        self.assertTrue(self.customer.collection_block_manual)
        self.assertEqual(self.customer.collection_block_cause, "manual")
        self.assertEqual(self._events().reason, "Blocked before the block log existed.")
        # A later refresh keeps it.
        self.customer._collection_refresh_blocking(self.company)
        self.assertTrue(self.customer.collection_blocked)

    # By the collection stage --------------------------------------------------

    def _blocking_level_2(self):
        self.stages["level_2"].blocks_sales = True

    def test_a_stage_that_blocks_sales_blocks_the_account(self):
        self._blocking_level_2()
        invoice = self._invoice_days_late(self.customer, 900, 25)
        self._run()
        self.assertTrue(self.customer.collection_blocked)
        self.assertEqual(self.customer.collection_block_cause, "stage")
        self.assertIn(
            self.stages["level_2"].name, self.customer.collection_block_reason
        )
        self.assertIn("900.00", self.customer.collection_block_reason)
        self.assertRecordValues(
            self._events(), [{"blocked": True, "cause": "stage", "user_id": False}]
        )
        self._pay(invoice)
        self.assertFalse(self.customer.collection_blocked, "paid: unblocked")
        self.assertRecordValues(
            self._events()[1:], [{"blocked": False, "cause": False, "user_id": False}]
        )

    def test_a_lower_stage_does_not_block(self):
        self._blocking_level_2()
        self._invoice_days_late(self.customer, 900, 10)  # level 1
        self._run()
        self.assertFalse(self.customer.collection_blocked)
        self.assertFalse(self._events())

    def test_a_credit_note_unblocks(self):
        self._blocking_level_2()
        invoice = self._invoice_days_late(self.customer, 900, 25)
        self._run()
        credit_note = self._post_invoice(
            self.customer, 900, due=TODAY, move_type="out_refund"
        )
        (
            self._receivable_items(invoice) | self._receivable_items(credit_note)
        ).reconcile()
        self.assertFalse(self.customer.collection_blocked)

    def test_a_dispute_settled_by_a_credit_note_unblocks(self):
        """Disputing the blocking invoice does not unblock (a customer could
        otherwise unblock itself); the credit note that settles the dispute
        does."""
        self._blocking_level_2()
        invoice = self._invoice_days_late(self.customer, 900, 25)
        self._run()
        dispute = self._dispute_invoice(invoice, 900)
        self.assertTrue(self.customer.collection_blocked)
        credit_note = self._post_invoice(
            self.customer, 900, due=TODAY, move_type="out_refund"
        )
        (
            self._receivable_items(invoice) | self._receivable_items(credit_note)
        ).reconcile()
        self.assertEqual(dispute.state, "resolved")
        self.assertFalse(self.customer.collection_blocked)

    def test_unblocking_by_hand_keeps_an_automatic_block(self):
        self._blocking_level_2()
        self._invoice_days_late(self.customer, 900, 25)
        self._run()
        self._block_by_hand(self.manager, "Also a bounced cheque.")
        self.assertEqual(self.customer.collection_block_cause, "manual")
        with self.assertRaises(UserError) as refusal:
            self._block_by_hand(self.manager, "Promised to pay.", block=False)
        self.assertIn("stays blocked", str(refusal.exception))
        # The refused unblock wrote nothing: the block by hand stands.
        self.env.invalidate_all()
        self.assertTrue(self.customer.collection_block_manual)
        self.assertEqual(self.customer.collection_block_cause, "manual")

    # By the credit limit --------------------------------------------------------

    def test_exposure_above_the_credit_limit_blocks_in_any_currency(self):
        """Limit 1,000 USD: 1,000 EUR (500 USD at 2 EUR per USD) then 400 USD
        is 900 USD, under; 300 USD more is 1,200 USD, over; paying the EUR
        invoice brings it back to 700 USD."""
        self.company.account_use_credit_limit = True
        self.customer.with_company(self.company).credit_limit = 1000
        in_eur = self._invoice_days_late(self.customer, 1000, 5, currency=self.eur)
        self._invoice_days_late(self.customer, 400, 5)
        self.assertFalse(self.customer.collection_blocked)
        self._invoice_days_late(self.customer, 300, 5)
        self.assertTrue(self.customer.collection_blocked)
        self.assertEqual(self.customer.collection_block_cause, "credit_limit")
        self.assertIn("1,200.00", self.customer.collection_block_reason)
        self.assertIn("1,000.00", self.customer.collection_block_reason)
        self._pay(in_eur)
        self.assertFalse(self.customer.collection_blocked)
        self.assertEqual(self._events().mapped("cause"), ["credit_limit", False])

    def test_no_credit_limit_check_when_the_company_does_not_use_them(self):
        self.company.account_use_credit_limit = False
        self.customer.with_company(self.company).credit_limit = 100
        self._invoice_days_late(self.customer, 5000, 5)
        self.assertFalse(self.customer.collection_blocked)

    # What others see ---------------------------------------------------------

    def test_draft_invoice_of_a_blocked_customer_warns(self):
        self._block_by_hand(self.manager, "Cheque bounced.")
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.customer.id}
        )
        self.assertEqual(
            draft.collection_block_warning,
            "Blocked Ltd is blocked for sales: Cheque bounced. Overdue: $\xa00.00. "
            "Collection stage: none. Collector: none.",
        )
        other = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self._customer("Fine Ltd").id}
        )
        self.assertFalse(other.collection_block_warning)

    def test_salespeople_read_the_block_history(self):
        self._block_by_hand(self.manager, "Cheque bounced.")
        salesperson = self._user("block-salesperson", "base.group_user")
        events = self.env["credit.collection.block.event"].with_user(salesperson)
        self.assertEqual(
            events.search([("partner_id", "=", self.customer.id)]).reason,
            "Cheque bounced.",
        )
        with self.assertRaises(AccessError):
            events.search([("partner_id", "=", self.customer.id)]).write(
                {"reason": "Nothing happened."}
            )
