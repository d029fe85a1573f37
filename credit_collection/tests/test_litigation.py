import io
import zipfile
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestLitigation(CollectionRunCommon):
    """Handing a customer over to litigation, and the dossier it takes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls._user(
            "litigation-manager",
            "account.group_account_invoice,"
            "credit_collection.group_credit_collection_manager",
        )
        cls.collector = cls._collector_user("litigation-collector")
        cls.agency = cls.env["res.partner"].create({"name": "Recouvre & Co"})
        cls.customer = cls._customer("Defaulter")
        cls.reminded = cls._invoice_days_late(cls.customer, 1000, 10)
        cls.noticed = cls._invoice_days_late(cls.customer, 2500, 45)

    def _history(self):
        """An emailed reminder, then a formal notice printed and received."""
        self._run(TODAY - timedelta(days=35))  # 10 days late: an email
        self._run()  # 45 days late: the registered letter
        notice = self._actions(self.customer).filtered(
            lambda a: a.channel == "registered_letter"
        )
        with freeze_time(TODAY):
            notice.action_print_letters()
        notice.receipt_date = TODAY + timedelta(days=2)
        return notice

    def _hand_over(self, user=None):
        form = Form(
            self.env["credit.collection.litigation"]
            .with_user(user or self.manager)
            .with_context(active_model="res.partner", active_id=self.customer.id)
        )
        form.agency_id = self.agency
        form.note = "Formal notice unanswered."
        with freeze_time(TODAY + timedelta(days=15)):
            return form.save().action_hand_over()

    def test_hand_over_freezes_dunning_and_gives_the_dossier(self):
        self._history()
        # An action left on the agenda is cancelled by the hand-over.
        pending = self.Action.create(
            {"partner_id": self.customer.id, "channel": "phone", "date": TODAY}
        )
        download = self._hand_over()
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.collection_litigation_date, TODAY + timedelta(15))
        self.assertEqual(customer.collection_litigation_user_id, self.manager)
        self.assertEqual(customer.collection_agency_id, self.agency)
        self.assertEqual(pending.state, "cancelled")
        self.assertEqual(
            set((self.reminded | self.noticed).mapped("collection_status")),
            {"litigation"},
        )
        self.assertTrue(
            customer.activity_ids.filtered(lambda a: a.user_id == self.manager)
        )
        # The dossier: attached to the customer's chatter and downloaded.
        dossier = customer.message_ids[0].attachment_ids
        self.assertEqual(download["url"], f"/web/content/{dossier.id}?download=true")
        with zipfile.ZipFile(io.BytesIO(dossier.raw)) as archive:
            names = archive.namelist()
            summary = archive.read(names[0]).decode()
        self.assertTrue(names[0].startswith("00_summary."))
        invoices = [n for n in names if n.startswith("invoices/")]
        self.assertEqual(len(invoices), 2)
        evidence = [n for n in names if n.startswith("evidence/")]
        self.assertEqual(evidence, sorted(evidence), "in date order")
        self.assertTrue(any("Letter - Defaulter" in n for n in evidence))
        self.assertTrue(any("Statement - Defaulter" in n for n in evidence))
        self.assertTrue(any("payment reminder" in n for n in evidence), evidence)
        # The summary: what is owed, then every action of the history.
        self.assertIn("Litigation dossier", summary)
        self.assertIn(self.noticed.name, summary)
        self.assertIn("3,500.00", summary)
        self.assertIn("Recouvre &amp; Co", summary)
        for action in self._actions(self.customer):
            self.assertIn(action.name, summary)

    def test_no_reminder_in_litigation_until_it_ends(self):
        self._hand_over()
        run = self._run(TODAY + timedelta(days=20))
        self.assertFalse(self._actions(self.customer))
        self.assertEqual(run.skip_stats, {"litigation": 1})
        self.customer.with_user(self.manager).action_end_litigation()
        self.assertEqual(self.noticed.collection_status, "normal")
        self._run(TODAY + timedelta(days=21))
        self.assertTrue(self._actions(self.customer))

    def test_no_hand_over_in_a_company_of_someone_else(self):
        other = self.setup_other_company()["company"]
        wizard = (
            self.env["credit.collection.litigation"]
            .with_user(self.manager)
            .create({"partner_id": self.customer.id, "company_id": other.id})
        )
        with self.assertRaisesRegex(AccessError, "cannot hand over customers"):
            wizard.action_hand_over()
        self.assertFalse(self.customer.with_company(other).collection_litigation_date)

    def test_only_managers_hand_over_or_end_litigation(self):
        with self.assertRaises(AccessError):
            self._hand_over(self.collector)
        self._hand_over()
        with self.assertRaises(AccessError):
            self.customer.with_user(self.collector).action_end_litigation()
        self.assertTrue(
            self.customer.with_company(self.company).collection_litigation_date
        )

    def test_the_dossier_keeps_emails_as_sent(self):
        self._history()
        customer = self.customer
        email = self._actions(customer).filtered(lambda a: a.channel == "email")
        email.message_post(
            body="I will pay next week.",
            message_type="email",
            subject="Re: payment reminder",
            partner_ids=customer.ids,
        )
        dossier = self.env["credit.collection.dossier"]._build(customer, self.company)
        with zipfile.ZipFile(io.BytesIO(dossier.raw)) as archive:
            replies = [n for n in archive.namelist() if "Re_ payment reminder" in n]
            self.assertEqual(len(replies), 1)
            page = archive.read(replies[0]).decode()
        self.assertIn("I will pay next week.", page)
        self.assertIn(customer.email, page)
