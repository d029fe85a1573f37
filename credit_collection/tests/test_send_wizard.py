from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.mail.tests.common import MailCase

from .run_common import CollectionRunCommon


@tagged("post_install", "-at_install")
class TestSendWizard(CollectionRunCommon, MailCase):
    """Reminders reviewed, edited and readdressed before they go."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Level 1 by hand: the collector reviews the emails of the day.
        cls.stages["level_1"].auto = False
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.first = cls._customer("Premier", lang="fr_FR")
        cls.second = cls._customer("Second")
        cls.accountant = cls.env["res.partner"].create(
            {
                "name": "Accountant",
                "parent_id": cls.second.id,
                "email": "accountant@second.example.com",
            }
        )
        cls._set_contacts(cls.second, [(cls.accountant, "cc")])
        cls.invoice_first = cls._invoice_days_late(cls.first, 1000, 10)
        cls.invoice_second = cls._invoice_days_late(cls.second, 400, 10)

    def _wizard(self, actions):
        return Form(
            self.env["credit.collection.send"].with_context(
                active_model="credit.collection.action", active_ids=actions.ids
            )
        )

    @staticmethod
    def _line(form, partner):
        """The wizard's line of ``partner``, to edit."""
        for index in range(len(form.line_ids)):
            if form.line_ids._records[index]["partner_id"] == partner.id:
                return form.line_ids.edit(index)
        raise AssertionError(f"no line for {partner.name}")

    def test_preview_edit_and_send_several_customers(self):
        self._run()
        actions = self._actions(self.first | self.second)
        self.assertEqual(set(actions.mapped("state")), {"todo"})
        form = self._wizard(actions)
        self.assertEqual(len(form.line_ids), 2)
        with self._line(form, self.second) as line:
            self.assertIn(self.invoice_second.name, line.body)
            self.assertEqual(line.recipient_cc_ids[:], self.accountant)
            line.subject = "About your invoice"
            line.body = "<p>Please call me about the invoice.</p>"
        wizard = form.save()
        with self.mock_mail_gateway():
            wizard.action_send()
        self.assertEqual(set(actions.mapped("state")), {"done"})
        second = actions.filtered(lambda a: a.partner_id == self.second)
        # Edited, yet written from the stage's template: measured by it.
        self.assertEqual(second.mail_template_id, self.template_level_1)
        mail = self.env["mail.mail"].search(
            [("mail_message_id", "=", second.mail_message_id.id)]
        )
        self.assertEqual(mail.state, "outgoing", "queued for the mail queue")
        self.assertEqual(mail.subject, "About your invoice")
        self.assertIn("Please call me", str(mail.body_html))
        self.assertEqual(mail.email_cc, self.accountant.email_formatted)
        self.assertTrue(
            mail.attachment_ids.filtered(lambda a: a.name.startswith("Statement"))
        )
        self.assertFalse(second.activity_ids, "the agenda entry is closed")

    def test_each_reminder_in_its_customers_language(self):
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection"], ["fr_FR"], overwrite=True
        )
        self._run()
        form = self._wizard(self._actions(self.first | self.second))
        with self._line(form, self.first) as line:
            self.assertIn("rappel", line.subject.lower())
        with self._line(form, self.second) as line:
            self.assertIn("payment reminder", line.subject)

    def test_a_failed_action_is_sent_once_an_address_is_chosen(self):
        self.second.email = False
        self.second.collection_contact_ids = [Command.clear()]
        self._run()
        failed = self._actions(self.second)
        self.assertEqual(failed.state, "failed")
        form = self._wizard(failed)
        with self._line(form, self.second) as line:
            line.recipient_ids.add(self.accountant)
        with self.mock_mail_gateway():
            form.save().action_send()
        self.assertEqual(failed.state, "done")

    def test_no_recipient_no_sending(self):
        self._run()
        form = self._wizard(self._actions(self.second))
        with self._line(form, self.second) as line:
            line.recipient_ids.clear()
            line.recipient_cc_ids.clear()
        with self.assertRaisesRegex(UserError, "no recipient with an email"):
            form.save().action_send()

    def test_done_actions_are_not_sent_again(self):
        self._run()
        action = self._actions(self.first)
        action.action_done()
        with self.assertRaisesRegex(UserError, "to do, or that failed"):
            self._wizard(action)
