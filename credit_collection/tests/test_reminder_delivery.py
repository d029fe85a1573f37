from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest.mock import MagicMock, patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MailCase

from .run_common import TODAY, CollectionRunCommon


@tagged("post_install", "-at_install")
class TestReminderDelivery(CollectionRunCommon, MailCase):
    """What an emailed reminder carries, and what happens when it does not
    reach the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Mailed")
        # 10 days late: level 1, an automatic email.
        cls.invoice = cls._invoice_days_late(cls.customer, 1000, 10)

    def _reminder(self):
        action = self._actions(self.customer)
        self.assertEqual((action.channel, action.state), ("email", "done"))
        return action

    def test_reminder_carries_the_statement_and_stays_on_the_action(self):
        self._run()
        action = self._reminder()
        self.assertEqual(action.mail_template_id, self.template_level_1)
        message = action.mail_message_id
        statement = message.attachment_ids.filtered(
            lambda a: a.name.startswith("Statement - Mailed")
        )
        self.assertEqual(len(statement), 1)
        self.assertEqual(
            (statement.res_model, statement.res_id), (action._name, action.id)
        )
        # Tests render reports as HTML (no wkhtmltopdf run): the statement
        # lists the invoice.
        self.assertIn(self.invoice.name, statement.raw.decode())
        self.assertNotIn(self.invoice.name, message.attachment_ids.mapped("name"))

    def test_stage_can_attach_the_invoices(self):
        self.stages["level_1"].attach_invoices = True
        self._run()
        attachments = self._reminder().mail_message_id.attachment_ids
        invoice_pdf = attachments.filtered(
            lambda a: a.name == self.invoice._get_invoice_report_filename()
        )
        self.assertEqual(len(invoice_pdf), 1)
        self.assertEqual(len(attachments), 2)

    def test_unreachable_address_fails_the_action_and_the_next_run_retries(self):
        self.customer.email = "not-an-address"
        self._run()
        action = self._reminder()
        with self.mock_mail_gateway():
            self.env["mail.mail"].sudo().search(
                [("mail_message_id", "=", action.mail_message_id.id)]
            ).send()
        self.assertEqual(action.state, "failed")
        self.assertIn("could not be delivered", action.failure_reason)
        self.customer.email = "accounts@mailed.example.com"
        self._run(TODAY + timedelta(days=5))
        retry = self._actions(self.customer) - action
        self.assertEqual(retry.stage_id, self.stages["level_1"])

    def test_mail_server_down_fails_the_action_and_the_next_run_retries(self):
        """The outgoing mail server refuses connections while the queue
        sends: the reminder's action fails with the server's reason; once
        the server is back, the next run asks again at the same stage and
        that reminder goes out."""
        self._run()
        action = self._reminder()
        queue = self.env["mail.mail"].sudo()
        with patch.object(
            type(self.env["ir.mail_server"]),
            "connect",
            side_effect=ConnectionRefusedError(111, "Connection refused"),
        ):
            queue.search([("mail_message_id", "=", action.mail_message_id.id)]).send()
        self.assertEqual(action.state, "failed")
        self.assertIn("could not be delivered", action.failure_reason)
        self.assertIn("Connection refused", action.failure_reason)
        self._run(TODAY + timedelta(days=5))
        retry = self._actions(self.customer) - action
        self.assertEqual(
            (retry.stage_id, retry.state), (self.stages["level_1"], "done")
        )
        with self.mock_mail_gateway():
            queue.search([("mail_message_id", "=", retry.mail_message_id.id)]).send()
        self.assertEqual(retry.state, "done")
        self.assertEqual(len(self._mails), 1)

    def test_another_email_about_the_action_failing_changes_nothing(self):
        self._run()
        action = self._reminder()
        note = action.message_post(
            body="FYI",
            partner_ids=self.env["res.partner"]
            .create({"name": "Broken", "email": "not-an-address"})
            .ids,
        )
        with self.mock_mail_gateway():
            self.env["mail.mail"].sudo().search(
                [("mail_message_id", "=", note.id)]
            ).send()
        self.assertEqual(action.state, "done")

    def test_bounce_fails_the_done_action_with_the_reason(self):
        self._run()
        action = self._reminder()
        self.env["mail.thread"]._routing_handle_bounce(
            False,
            {
                "email_from": "MAILER-DAEMON <mailer-daemon@example.com>",
                "to": "bounce@example.com",
                "message_id": "<dsn-1@example.com>",
                "bounced_email": self.customer.email_normalized,
                "bounced_partner": self.customer,
                "bounced_msg_ids": [action.mail_message_id.message_id],
                "bounced_message": action.mail_message_id,
                "body": "550 mailbox unavailable",
            },
        )
        self.assertEqual(action.state, "failed")
        self.assertIn("mailed@example.com bounced", action.failure_reason)
        self.assertIn(
            "bounced", action.message_ids[0].body, "the thread says so as well"
        )

    def test_a_done_reminder_is_still_evidence(self):
        self._run()
        action = self._reminder()
        with self.assertRaisesRegex(UserError, "evidence"):
            action.write({"state": "failed", "failure_reason": "typed by hand"})

    def _contact(self, name):
        return self.env["res.partner"].create(
            {
                "name": name,
                "parent_id": self.customer.id,
                "email": f"{name.lower()}@mailed.example.com",
            }
        )

    def _mail_of(self, action):
        return self.env["mail.mail"].search(
            [("mail_message_id", "=", action.mail_message_id.id)]
        )

    def test_recipients_by_role_in_to_and_cc(self):
        payables, controller = self._contact("Payables"), self._contact("Controller")
        self._set_contacts(self.customer, [(payables, "to"), (controller, "cc")])
        self._run()
        mail = self._mail_of(self._reminder())
        self.assertEqual(mail.email_to, payables.email_formatted)
        self.assertEqual(mail.email_cc, controller.email_formatted)
        self.assertFalse(mail.recipient_ids, "one email with To and Cc headers")
        self.assertEqual(mail.mail_message_id.partner_ids, payables | controller)

    def test_cc_contacts_only_copy_the_customer(self):
        controller = self._contact("Controller")
        self._set_contacts(self.customer, [(controller, "cc")])
        self._run()
        mail = self._mail_of(self._reminder())
        self.assertEqual(mail.email_to, self.customer.email_formatted)
        self.assertEqual(mail.email_cc, controller.email_formatted)

    def test_the_customers_reply_lands_in_the_actions_thread(self):
        self._run()
        action = self._reminder()
        sent = action.mail_message_id
        raw = (
            f"From: {self.customer.email_formatted}\r\n"
            "To: catchall@example.com\r\n"
            f"Subject: Re: {sent.subject}\r\n"
            f"In-Reply-To: {sent.message_id}\r\n"
            f"References: {sent.message_id}\r\n"
            "Message-Id: <reply-1@mailed.example.com>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            "We paid yesterday, see the transfer of 1,000.00.\r\n"
        )
        thread_id = self.env["mail.thread"].message_process(None, raw)
        self.assertEqual(thread_id, action.id)
        reply = action.message_ids.filtered(
            lambda m: m.message_id == "<reply-1@mailed.example.com>"
        )
        self.assertIn("We paid yesterday", reply.body)
        self.assertEqual(reply.author_id, self.customer)

    def test_sending_starts_the_mail_queue(self):
        """Odoo's mail queue runs hourly: the sending starts it, so that the
        reminders leave as soon as they are written."""
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", queue.id)])
        self._run()
        self._reminder()
        started = Trigger.search([("cron_id", "=", queue.id)]) - before
        self.assertEqual(len(started), 1)
        self.assertLessEqual(started.call_at, fields.Datetime.now())

    def test_nothing_to_send_leaves_the_mail_queue_alone(self):
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search_count([("cron_id", "=", queue.id)])
        self.Action._send_due(self.company)
        self.assertEqual(Trigger.search_count([("cron_id", "=", queue.id)]), before)

    def _collector(self):
        collector = self._user(
            "reply-collector", "credit_collection.group_credit_collection_user"
        )
        self.customer.collection_user_id = collector
        return collector

    def _incoming(self, action, extra_headers="", body="We paid yesterday."):
        sent = action.mail_message_id
        return (
            f"From: {self.customer.email_formatted}\r\n"
            "To: catchall@example.com\r\n"
            f"Subject: Re: {sent.subject}\r\n"
            f"In-Reply-To: {sent.message_id}\r\n"
            f"References: {sent.message_id}\r\n"
            f"Message-Id: <incoming-{len(action.message_ids)}@mailed.example.com>\r\n"
            f"{extra_headers}"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "\r\n"
            f"{body}\r\n"
        )

    def test_the_customers_reply_notifies_the_collector(self):
        collector = self._collector()
        self._run()
        action = self._reminder()
        self.assertIn(collector.partner_id, action.message_partner_ids)
        with self.mock_mail_gateway():
            self.env["mail.thread"].message_process(None, self._incoming(action))
        reply = action.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual(reply.notification_ids.res_partner_id, collector.partner_id)

    def test_an_automatic_reply_is_kept_as_a_note_that_notifies_no_one(self):
        self._collector()
        self._run()
        action = self._reminder()
        with self.mock_mail_gateway():
            self.env["mail.thread"].message_process(
                None,
                self._incoming(
                    action,
                    "Auto-Submitted: auto-replied\r\n",
                    "I am out of the office until Monday.",
                ),
            )
        reply = action.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("out of the office", reply.body)
        self.assertEqual(reply.subtype_id, self.env.ref("mail.mt_note"))
        self.assertFalse(reply.notification_ids)
        self.assertEqual(action.state, "done")

    def _bounce(self, action, email):
        self.env["mail.thread"]._routing_handle_bounce(
            False,
            {
                "email_from": "MAILER-DAEMON <mailer-daemon@example.com>",
                "to": "bounce@example.com",
                "message_id": f"<dsn-{email}@example.com>",
                "bounced_email": email,
                "bounced_partner": self.env["res.partner"],
                "bounced_msg_ids": [action.mail_message_id.message_id],
                "bounced_message": action.mail_message_id,
                "body": "550 mailbox unavailable",
            },
        )

    def test_bounces_ask_the_collector_once_to_fix_the_address(self):
        """Each recipient's bounce, and the bounce of the next day's
        reminder: one activity for the collector while it is open."""
        collector = self._collector()
        payables, controller = self._contact("Payables"), self._contact("Controller")
        self._set_contacts(self.customer, [(payables, "to"), (controller, "cc")])
        self._run()
        action = self._reminder()
        self._bounce(action, payables.email_normalized)
        self._bounce(action, controller.email_normalized)
        self._run(TODAY + timedelta(days=5))
        retry = self._actions(self.customer) - action
        self._bounce(retry, payables.email_normalized)
        self.assertEqual((action | retry).mapped("state"), ["failed", "failed"])
        requests = (action | retry).activity_ids
        self.assertEqual(len(requests), 1)
        self.assertEqual(
            (requests.summary, requests.user_id),
            ("Fix the email address", collector),
        )
        self.assertIn(payables.email_normalized, requests.note)

    def test_answers_go_to_the_catchall_not_to_the_collector(self):
        """The reminder is written from the collector, but its Reply-To is
        the company's catchall: the answer comes back to Odoo, whose gateway
        posts it in the reminder's thread, not to the collector's mailbox."""
        domain = self.env["mail.alias.domain"].create({"name": "collect.test"})
        self.company.alias_domain_id = domain
        self.customer.collection_user_id = self._collector()
        self._run()
        mail = self._mail_of(self._reminder())
        self.assertIn("reply-collector", mail.email_from)
        self.assertIn("catchall@collect.test", mail.reply_to)

    def test_a_connection_dropped_while_sending_fails_the_reminder(self):
        """The mail server drops the connection in the middle of the
        reminder: Odoo gives the email up (it never sends an email twice);
        the action fails with the reason, and the next run asks again."""
        self._run()
        action = self._reminder()
        mail = self._mail_of(action)
        server = type(self.env["ir.mail_server"])
        with (
            patch.object(server, "connect", return_value=MagicMock()),
            patch.object(
                server,
                "send_email",
                side_effect=SMTPServerDisconnected("Connection unexpectedly closed"),
            ),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            mail.sudo().process_email_queue(ids=mail.ids)
        self.assertEqual(mail.state, "exception")
        self.assertEqual(action.state, "failed")
        self.assertIn("Connection unexpectedly closed", action.failure_reason)
        self._run(TODAY + timedelta(days=5))
        retry = self._actions(self.customer) - action
        self.assertEqual(retry.stage_id, self.stages["level_1"])
