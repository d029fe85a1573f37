from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.mail.tests.common import MailCase

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestDispute(CollectionRunCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dispute = cls.env["credit.collection.dispute"]
        cls.quality = cls.env.ref("credit_collection.dispute_type_quality")
        cls.salesperson = cls._user("dispute-salesperson", "base.group_user")
        cls.customer = cls._customer("Claimant")
        # 25 days late: level 2 (a call).
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 25)
        cls.items = cls._receivable_items(cls.invoice)

    def _dispute(self, amount=1000, items=None, **vals):
        return self.Dispute.create(
            {
                "partner_id": self.customer.id,
                "type_id": self.quality.id,
                "description": "Two pallets damaged",
                "amount": amount,
                "move_line_ids": [Command.set((items or self.items).ids)],
                **vals,
            }
        )

    def _credit_note(self, amount, reconcile_with=None):
        refund = self._post_invoice(
            self.customer, amount, invoice_date=TODAY, move_type="out_refund"
        )
        if reconcile_with:
            (self._receivable_items(refund) | reconcile_with).reconcile()
        return refund

    # Validation and states -----------------------------------------------

    def test_bad_disputes_are_refused_with_their_reason(self):
        with self.assertRaisesRegex(ValidationError, "greater than zero"):
            self._dispute(amount=0)
        with self.assertRaisesRegex(ValidationError, "only owe"):
            self._dispute(amount=1500)
        stranger = self._receivable_items(
            self._invoice_days_late(self._customer("Someone else"), 100, 3)
        )
        with self.assertRaisesRegex(
            ValidationError, "not receivable items of Claimant"
        ):
            self._dispute(amount=50, items=stranger)

    def test_another_companys_dispute_type_is_refused(self):
        other = self.setup_other_company()["company"]
        kind = self.env["credit.collection.dispute.type"].create(
            {"name": "Other company's", "company_id": other.id}
        )
        with (
            self.assertRaisesRegex(UserError, "Incompatible companies"),
            self.env.cr.savepoint(),
        ):
            self._dispute(amount=50, type_id=kind.id)
        self.assertFalse(self.Dispute.search([("partner_id", "=", self.customer.id)]))

    def test_open_dispute_edits_are_checked_again(self):
        dispute = self._dispute(amount=400)
        with self.assertRaisesRegex(ValidationError, "only owe"):
            dispute.amount = 1200
        other = self._receivable_items(self._invoice_days_late(self.customer, 500, 2))
        dispute.move_line_ids = [Command.link(other.id)]
        self.assertEqual(dispute.amount_due_at_dispute, 1500)
        dispute.amount = 1200
        with self.assertRaisesRegex(ValidationError, "only owe"):
            dispute.move_line_ids = [Command.unlink(other.id)]
        stranger = self._receivable_items(
            self._invoice_days_late(self._customer("Bystander"), 100, 3)
        )
        with self.assertRaisesRegex(ValidationError, "not receivable items"):
            dispute.move_line_ids = [Command.link(stranger.id)]

    def test_states_and_resolution_time(self):
        with freeze_time("2026-03-11 09:00:00"):
            dispute = self._dispute()
        self.assertEqual(self.invoice.collection_status, "disputed")
        self.assertEqual(self.invoice.collection_dispute_ids, dispute)
        dispute.action_start()
        self.assertEqual(dispute.state, "in_progress")
        with self.assertRaisesRegex(UserError, "does not apply"):
            dispute.action_start()
        with self.assertRaisesRegex(UserError, "Say why"):
            dispute.action_reject()
        dispute.resolution = "Photos show the damage happened after delivery."
        with freeze_time("2026-03-14 21:00:00"):
            dispute.action_reject()
        self.assertRecordValues(
            dispute, [{"state": "rejected", "resolution_days": 3.5}]
        )
        self.assertEqual(self.invoice.collection_status, "normal")
        with self.assertRaisesRegex(ValidationError, "evidence"):
            dispute.amount = 10
        dispute.action_reopen()
        self.assertEqual(
            (dispute.state, self.invoice.collection_status), ("open", "disputed")
        )
        dispute.action_resolve()
        self.assertEqual(dispute.state, "resolved")

    def test_credit_note_reconciled_with_the_item_resolves_the_dispute(self):
        dispute = self._dispute(amount=200)
        refund = self._credit_note(200, reconcile_with=self.items)
        self.assertRecordValues(
            dispute, [{"state": "resolved", "credit_note_id": refund.id}]
        )
        self.assertIn(refund.name, dispute.message_ids[0].body)
        self.assertEqual(self.invoice.collection_status, "normal")

    def test_a_payment_does_not_resolve_a_dispute(self):
        dispute = self._dispute(amount=200)
        self._pay(self.invoice, amount=300)
        self.assertEqual(dispute.state, "open")

    # The run ---------------------------------------------------------------

    def test_only_the_disputed_part_of_an_item_waits(self):
        self._dispute(amount=400)
        self._run()
        action = self._actions(self.customer)
        self.assertEqual(action.stage_id, self.stages["level_2"])
        self.assertEqual(action.amount_due, 600)

    def test_a_fully_disputed_customer_gets_nothing(self):
        other = self._invoice_days_late(self.customer, 300, 25)
        dispute = self._dispute(
            amount=1300, items=self.items | self._receivable_items(other)
        )
        run = self._run()
        self.assertFalse(self._actions(self.customer))
        self.assertEqual(run.skip_stats, {"nothing_owed": 1})
        # Resolved without a credit note: the debt is asked again.
        dispute.action_resolve()
        self._run(TODAY + timedelta(days=1))
        self.assertEqual(self._actions(self.customer).amount_due, 1300)

    # The internal actor ------------------------------------------------------

    def test_responsible_gets_an_activity_and_answers_without_collection_rights(self):
        dispute = self._dispute(responsible_id=self.salesperson.id)
        activity = dispute.activity_ids
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertIn("Examine the dispute", activity.summary)
        self.assertIn(self.salesperson.partner_id, dispute.message_partner_ids)
        as_salesperson = dispute.with_user(self.salesperson)
        self.assertEqual(as_salesperson.read(["state"])[0]["state"], "open")
        as_salesperson.message_post(
            body="Delivery note signed without reserve.", message_type="comment"
        )
        as_salesperson.action_start()
        self.assertEqual(dispute.state, "in_progress")
        self.assertIn("Delivery note signed", dispute.message_ids.mapped("body")[0])
        # Other disputes stay out of sight, and so do collection actions.
        other = self._dispute(amount=100)
        with self.assertRaises(AccessError):
            other.with_user(self.salesperson).read(["state"])
        self.assertEqual(self.Dispute.with_user(self.salesperson).search([]), dispute)
        with self.assertRaises(AccessError):
            self.env["credit.collection.action"].with_user(self.salesperson).search([])

    def test_responsible_is_emailed_with_a_link_to_the_dispute(self):
        with self.mock_mail_gateway():
            dispute = self._dispute(responsible_id=self.salesperson.id)
        self.assertSentEmail(self.env.user.partner_id, self.salesperson.partner_id)
        sent = self._new_mails.filtered(
            lambda mail: self.salesperson.partner_id in mail.recipient_ids
        )
        self.assertIn("Examine the dispute of Claimant", sent.body_html)
        self.assertIn(f"res_id={dispute.id}", sent.body_html)

    def test_type_default_responsible_and_reassignment(self):
        self.quality.responsible_id = self.salesperson
        dispute = self._dispute()
        self.assertEqual(dispute.responsible_id, self.salesperson)
        other = new_test_user(
            self.env, login="dispute-quality", groups="base.group_user"
        )
        dispute.responsible_id = other
        self.assertEqual(dispute.activity_ids.user_id, self.salesperson | other)

    def test_disputes_count_in_the_suggested_profile(self):
        self._dispute()
        Advisor = self.env["credit.collection.profile.advisor"]
        history = Advisor._payment_histories(self.company, [self.customer.id], TODAY)
        self.assertEqual(history[self.customer.id].disputed, 1)
