from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestContactConstraints(CreditCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Acme", "is_company": True})
        cls.accountant = Partner.create(
            {"name": "Ann Payable", "parent_id": cls.customer.id}
        )
        cls.stranger = Partner.create({"name": "Stan Ger"})
        cls.Contact = cls.env["credit.collection.contact"]

    def test_contact_of_the_customer(self):
        line = self.Contact.create(
            {
                "partner_id": self.customer.id,
                "contact_id": self.accountant.id,
                "role": "validator",
            }
        )
        self.assertEqual(self.customer.collection_contact_ids, line)
        self.assertEqual(line.recipient_type, "to")
        self.assertEqual(line.email, self.accountant.email)

    def test_contact_of_another_customer(self):
        with self.assertRaisesRegex(
            ValidationError,
            "Stan Ger is not a contact of Acme: only the customer's own contacts",
        ):
            self.Contact.create(
                {"partner_id": self.customer.id, "contact_id": self.stranger.id}
            )

    def test_list_on_a_child_contact(self):
        with self.assertRaisesRegex(
            ValidationError, r"belong to the customer's commercial entity \(Acme\)"
        ):
            self.Contact.create(
                {"partner_id": self.accountant.id, "contact_id": self.accountant.id}
            )

    def test_same_person_twice(self):
        self.Contact.create(
            {"partner_id": self.customer.id, "contact_id": self.accountant.id}
        )
        with self.assertRaisesRegex(
            ValidationError, "Acme, Ann Payable is already a collection contact of Acme"
        ):
            self.Contact.create(
                {"partner_id": self.customer.id, "contact_id": self.accountant.id}
            )

    def test_company_follows_customer(self):
        self.customer.company_id = self.env.company
        line = self.Contact.create(
            {"partner_id": self.customer.id, "contact_id": self.accountant.id}
        )
        self.assertEqual(line.company_id, self.env.company)
