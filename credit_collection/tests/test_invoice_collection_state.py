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
        for name in (
            "collection_stage_id",
            "collection_level",
            "collection_status",
            "collection_comment",
            "collection_next_date",
        ):
            self.assertTrue(Move._fields[name].store, name)
        self.invoice.write(
            {
                "collection_stage_id": self.stage.id,
                "collection_status": "promised",
                "collection_comment": "Will pay Friday",
                "collection_next_date": "2030-01-04",
            }
        )
        self.assertEqual(self.invoice.collection_level, "level_1")
        self.assertEqual(
            Move.search(
                [("collection_status", "=", "promised"), ("id", "=", self.invoice.id)]
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
        self.assertEqual(groups[0]["collection_status"], "promised")
        self.assertEqual(groups[0]["collection_stage_id"][0], self.stage.id)
        self.assertEqual(groups[0]["collection_level"], "level_1")

    def test_copy_does_not_inherit_collection_state(self):
        self.invoice.write(
            {"collection_status": "disputed", "collection_comment": "Damaged"}
        )
        copy = self.invoice.copy()
        self.assertEqual(copy.collection_status, "normal")
        self.assertFalse(copy.collection_comment)

    def test_status_change_is_tracked_on_the_invoice(self):
        invoice = self.invoice
        self._flush_tracking()
        invoice.collection_status = "disputed"
        self._flush_tracking()
        # Tracking values are readable by administrators only.
        tracked = invoice.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "collection_status"
        )
        self.assertEqual(tracked.new_value_char, "Disputed")

    def test_invoice_form_and_list_show_collection_fields(self):
        with Form(self.invoice) as form:
            self.assertEqual(form.collection_status, "normal")
            form.collection_comment = "Called, accountant on leave"
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
