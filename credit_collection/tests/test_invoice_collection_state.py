from odoo import Command, fields
from odoo.tests import Form, tagged

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestInvoiceCollectionState(CreditCollectionCommon):
    @classmethod
    def default_env_context(cls):
        return {}  # keep mail tracking on: the history is part of the feature

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.init_invoice("out_invoice", amounts=[500.0], post=True)
        cls.stage = cls.Scenario._default_for_profile(
            cls.env.company, "negligent"
        ).stage_ids[1]

    def test_new_invoice_starts_normal(self):
        self.assertEqual(self.invoice.collection_status, "normal")
        self.assertFalse(self.invoice.collection_stage_id)
        self.assertFalse(self.invoice.collection_comment)
        self.assertFalse(self.invoice.collection_next_date)

    def test_fields_are_stored_searchable_and_groupable(self):
        Move = self.env["account.move"]
        for name in ("collection_status", "collection_comment"):
            self.assertTrue(Move._fields[name].store, name)
        self.invoice.write(
            {
                "collection_stage_id": self.stage.id,
                "collection_excluded": True,
                "collection_comment": "Will pay Friday",
                "collection_next_date": "2030-01-04",
            }
        )
        self.assertEqual(self.invoice.collection_level, "level_1")
        self.assertEqual(
            Move.search(
                [("collection_status", "=", "excluded"), ("id", "=", self.invoice.id)]
            ),
            self.invoice,
        )
        self.assertEqual(
            Move.search([("collection_comment", "ilike", "friday")]), self.invoice
        )
        groups = Move.read_group(
            [("id", "=", self.invoice.id)],
            ["collection_status", "collection_stage_id", "collection_level"],
            ["collection_status", "collection_stage_id", "collection_level"],
            lazy=False,
        )
        self.assertEqual(groups[0]["collection_status"], "excluded")
        self.assertEqual(groups[0]["collection_stage_id"][0], self.stage.id)
        self.assertEqual(groups[0]["collection_level"], "level_1")

    def test_stage_level_and_next_date_live_beside_the_invoice(self):
        """Kept in credit.collection.invoice.state, the run's upsert leaves
        account_move alone; the invoice list still searches, groups and
        sorts by them, an invoice without a state counting as empty."""
        Move = self.env["account.move"]
        other = self.init_invoice("out_invoice", amounts=[300.0], post=True)
        self.invoice.write(
            {"collection_stage_id": self.stage.id, "collection_next_date": "2030-01-04"}
        )
        state = self.invoice.collection_invoice_state_ids
        self.assertRecordValues(
            state,
            [
                {
                    "stage_id": self.stage.id,
                    "next_date": fields.Date.to_date("2030-01-04"),
                }
            ],
        )
        self.assertFalse(other.collection_invoice_state_ids)
        both = [("id", "in", (self.invoice | other).ids)]
        for domain, expected in (
            ([("collection_stage_id", "=", self.stage.id)], self.invoice),
            ([("collection_stage_id", "!=", self.stage.id)], other),
            ([("collection_stage_id", "=", False)], other),
            ([("collection_stage_id", "!=", False)], self.invoice),
            (
                [("collection_stage_id", "in", [self.stage.id, False])],
                self.invoice | other,
            ),
            ([("collection_stage_id", "ilike", self.stage.name)], self.invoice),
            ([("collection_level", "=", "level_1")], self.invoice),
            ([("collection_level", "not in", ["level_1"])], other),
            ([("collection_next_date", "<=", "2030-01-04")], self.invoice),
            ([("collection_next_date", "=", False)], other),
        ):
            self.assertEqual(Move.search(both + domain), expected, domain)
        fields_info = Move.fields_get(
            ["collection_stage_id", "collection_level", "collection_next_date"],
            ["groupable", "sortable", "searchable"],
        )
        for name, info in fields_info.items():
            self.assertTrue(
                info["groupable"] and info["sortable"] and info["searchable"], name
            )
        groups = Move.read_group(
            both, ["collection_stage_id"], ["collection_stage_id"], lazy=False
        )
        self.assertEqual(
            {
                group["collection_stage_id"] and group["collection_stage_id"][0]: group[
                    "__count"
                ]
                for group in groups
            },
            {self.stage.id: 1, False: 1},
        )
        self.assertEqual(
            Move.search(both, order="collection_next_date desc nulls last").ids,
            [self.invoice.id, other.id],
        )
        # A next date typed on the invoice form is kept in the state too.
        with Form(other) as form:
            form.collection_next_date = "2031-02-03"
        self.assertEqual(
            other.collection_invoice_state_ids.next_date,
            fields.Date.to_date("2031-02-03"),
        )
        self.assertFalse(other.collection_stage_id)

    def test_copy_does_not_inherit_collection_state(self):
        self.invoice.write(
            {"collection_excluded": True, "collection_comment": "Damaged"}
        )
        copy = self.invoice.copy()
        self.assertEqual(copy.collection_status, "normal")
        self.assertFalse(copy.collection_excluded)
        self.assertFalse(copy.collection_comment)

    def test_status_change_is_tracked_on_the_invoice(self):
        invoice = self.invoice
        self._flush_tracking()
        invoice.collection_excluded = True
        self._flush_tracking()
        # Tracking values are readable by administrators only.
        tracked = invoice.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "collection_status"
        )
        self.assertEqual(tracked.new_value_char, "Excluded")

    def test_invoice_form_and_list_show_collection_fields(self):
        with Form(self.invoice) as form:
            self.assertEqual(form.collection_status, "normal")
            form.collection_comment = "Called, accountant on leave"
            with self.assertRaises(AssertionError):  # computed, not typed
                form.collection_status = "promised"
        self.assertEqual(self.invoice.collection_comment, "Called, accountant on leave")
        list_arch = self.env["account.move"].get_view(
            self.env.ref("account.view_out_invoice_tree").id, "list"
        )["arch"]
        for name in (
            "collection_status",
            "collection_stage_id",
            "collection_next_date",
        ):
            self.assertIn(f'name="{name}"', list_arch)
        search_arch = self.env["account.move"].get_view(
            self.env.ref("account.view_account_invoice_filter").id, "search"
        )["arch"]
        self.assertIn("group_collection_status", search_arch)

    def test_status_follows_what_holds_dunning_back(self):
        invoice, customer = self.invoice, self.invoice.commercial_partner_id
        line = invoice.line_ids.filtered(lambda l: l.account_type == "asset_receivable")
        common = {
            "partner_id": customer.id,
            "move_line_ids": [Command.set(line.ids)],
        }
        promise = self.env["credit.collection.promise"].create(
            {**common, "amount": 100.0, "date": fields.Date.today()}
        )
        self.assertEqual(invoice.collection_status, "promised")
        litigation = self.Scenario._default_for_profile(
            self.env.company, "negligent"
        ).stage_ids.filtered(lambda s: s.level == "litigation")
        invoice.collection_stage_id = litigation
        self.assertEqual(invoice.collection_status, "promised", "a stage is no status")
        customer.with_company(
            invoice.company_id
        ).collection_litigation_date = fields.Date.today()
        self.assertEqual(invoice.collection_status, "litigation")
        dispute = self._dispute_invoice(invoice, 50)
        self.assertEqual(invoice.collection_status, "disputed")
        customer.with_company(invoice.company_id).collection_excluded = True
        self.assertEqual(invoice.collection_status, "excluded")
        # Excluded in another company only: not here.
        other = self.env["res.company"].create({"name": "Other company"})
        customer.with_company(other).collection_excluded = True
        customer.with_company(invoice.company_id).collection_excluded = False
        self.assertEqual(invoice.collection_status, "disputed")
        dispute.resolution = "The goods were fine."
        dispute.action_reject()
        self.assertEqual(invoice.collection_status, "litigation")
        customer.with_company(invoice.company_id).collection_litigation_date = False
        self.assertEqual(invoice.collection_status, "promised")
        promise.action_cancel()
        self.assertEqual(invoice.collection_status, "normal")

    def test_vendor_bills_have_no_collection_status(self):
        bill = self.init_invoice("in_invoice", amounts=[500.0], post=True)
        bill.commercial_partner_id.collection_excluded = True
        self.assertEqual(bill.collection_status, "normal")
