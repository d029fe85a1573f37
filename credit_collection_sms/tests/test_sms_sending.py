from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.credit_collection.tests.run_common import TODAY, CollectionRunCommon
from odoo.addons.mail.tests.common import MailCase
from odoo.addons.sms.tests.common import SMSCase

# TODAY (a Wednesday) at 10:00 UTC: 11:00 in Paris, inside the window.
MORNING = datetime(2026, 3, 11, 10, 0)


@tagged("post_install", "-at_install")
class TestSmsSending(CollectionRunCommon, MailCase, SMSCase):
    """The daily run's text messages, through Odoo's SMS queue and its
    gateway (the only thing mocked)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.collector = cls._collector_user("sms-collector")
        cls.stages["level_1"].write(
            {
                "channel": "sms",
                "sms_template_id": cls.env.ref(
                    "credit_collection_sms.sms_template_level_1"
                ).id,
                "sms_fallback_channel": "email",
            }
        )
        cls.company.write(
            {
                "credit_collection_sms_hour_from": 9.0,
                "credit_collection_sms_hour_to": 19.0,
                "credit_collection_sms_cap": 3,
                "credit_collection_sms_cap_days": 30,
                "credit_collection_user_id": cls.collector.id,
            }
        )

    def _mobile_customer(self, name, mobile="06 12 34 56 78", **vals):
        customer = self._customer(name, mobile=mobile, **vals)
        self._invoice_days_late(customer, 1200, 10)
        return customer

    def _run_at(self, moment):
        """The daily run and its sending at ``moment`` (UTC), then Odoo's SMS
        queue."""
        with freeze_time(moment), self.mockSMSGateway():
            run = self._run(day=moment)
            self.env["sms.sms"].sudo()._process_queue()
        return run

    def _send_due_at(self, moment):
        with freeze_time(moment), self.mockSMSGateway():
            self.Action._send_due(self.company)
            self.env["sms.sms"].sudo()._process_queue()

    # Sending ---------------------------------------------------------------

    def test_run_sends_the_text_through_the_sms_queue(self):
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(MORNING)
        action = self._actions(customer)
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(self._sms[0]["number"], "+33612345678")
        body = self._sms[0]["body"]
        self.assertIn(self.company.name, body)
        self.assertIn("1,200.00", body)
        self.assertIn("03/01/2026", body, "the due date")
        # The reminder's link (the signed portal page, with the portal addon).
        self.assertIn(action._sms_link(), body)
        self.assertEqual(
            action._sms_link(), (action._reminder_links() or [("", "")])[0][1]
        )
        self.assertRecordValues(
            action,
            [
                {
                    "channel": "sms",
                    "state": "done",
                    "sms_number": "+33612345678",
                    "sms_status": "pending",
                    "sms_template_id": self.stages["level_1"].sms_template_id.id,
                }
            ],
        )
        self.assertEqual(action.mail_message_id.message_type, "sms")
        self.assertIn("1,200.00", action.mail_message_id.body)

    def test_the_agenda_says_why_in_words_of_text_messages(self):
        customer = self._mobile_customer("Atelier Texto")
        action = self.Action.create(
            {
                "partner_id": customer.id,
                "stage_id": self.stages["level_1"].id,
                "channel": "sms",
                "date": TODAY,
                "move_line_ids": [
                    Command.set(
                        self.env["account.move.line"]
                        .search([("partner_id", "=", customer.id)])
                        .filtered(lambda line: line.account_type == "asset_receivable")
                        .ids
                    )
                ],
            }
        )
        with freeze_time(TODAY):
            self.Action._refresh_recovery(self.company)
        self.assertIn(
            "paid within 30 days after a text message at this stage",
            action.with_context(lang="en_US").recovery_reason,
        )

    def test_sending_starts_the_sms_queue(self):
        """Odoo's SMS queue runs hourly: the sending starts it, so that the
        text leaves as soon as it is written."""
        queue = self.env.ref("sms.ir_cron_sms_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        before = Trigger.search([("cron_id", "=", queue.id)])
        self._mobile_customer("Atelier Rapide")
        with freeze_time(MORNING), self.mockSMSGateway():
            self._run(day=MORNING)
        self.assertEqual(len(Trigger.search([("cron_id", "=", queue.id)]) - before), 1)

    def test_effectiveness_by_sms_template(self):
        """A text whose invoice is paid two days later: paid in full, by its
        template."""
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(MORNING)
        action = self._actions(customer)
        invoice = action.move_line_ids.move_id
        self._pay(invoice, day=action.done_date.date() + timedelta(days=2))
        self.env.flush_all()
        row = self.env["credit.collection.effectiveness"].search(
            [("action_id", "=", action.id)]
        )
        self.assertRecordValues(
            row,
            [
                {
                    "channel": "sms",
                    "sms_template_id": self.stages["level_1"].sms_template_id.id,
                    "amount_paid": 1200,
                    "days_to_pay": 2,
                }
            ],
        )

    def test_no_duplicate_text_on_a_second_run(self):
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(MORNING)
        self._run_at(datetime(2026, 3, 11, 15, 0))
        self._run_at(datetime(2026, 3, 12, 10, 0))
        self.assertEqual(len(self._actions(customer)), 1)
        self.assertEqual(
            self.env["sms.sms"].sudo().search_count([("partner_id", "=", customer.id)]),
            1,
        )

    def test_the_contact_country_reads_a_local_number(self):
        """A contact with a Belgian address of its own: its local number is
        read as Belgian, even for a French customer."""
        customer = self._mobile_customer("Atelier Dupont", mobile=False, phone=False)
        contact = self.env["res.partner"].create(
            {
                "name": "Luc Peeters",
                "type": "other",
                "parent_id": customer.id,
                "mobile": "0470 12 34 56",
                "country_id": self.env.ref("base.be").id,
            }
        )
        self._set_contacts(customer, [(contact, "to")])
        self._run_at(MORNING)
        action = self._actions(customer)
        self.assertEqual(action.recipient_ids, contact)
        self.assertEqual(action.state, "done", action.failure_reason)
        self.assertEqual(self._sms[0]["number"], "+32470123456")

    # A number that cannot take a text -------------------------------------

    def test_each_company_of_a_run_reads_local_numbers_in_its_country(self):
        """The scheduled run works in each company it runs: a local number
        of a customer without a country is judged in the country of the
        company that plans the text (Belgium here), as the sending reads it,
        not in the country of the company the job started in (France)."""
        belgian = self._euro_company("Belgian Collections")
        belgian.write(
            {
                "country_id": self.env.ref("base.be").id,
                "email": "collections@belgian.example.com",
                "credit_collection_sms_hour_from": 9.0,
                "credit_collection_sms_hour_to": 19.0,
            }
        )
        belgian.credit_collection_scenario_id = self._create_scenario(
            [
                (
                    "level_1",
                    5,
                    {
                        "channel": "sms",
                        "auto": True,
                        "sms_template_id": self.stages["level_1"].sms_template_id.id,
                        "sms_fallback_channel": "email",
                    },
                )
            ],
            name="Belgian scenario",
            company_id=belgian.id,
        )
        customer = self._customer("Garage Bruxellois", mobile="0470 12 34 56")
        customer.country_id = False
        self._post_invoice(
            customer,
            1200,
            due=TODAY - timedelta(days=10),
            invoice_date=TODAY - timedelta(days=40),
            company=belgian,
        )
        self.assertEqual(self.env.company, self.company)
        with freeze_time(MORNING), self.mockSMSGateway():
            self.Run._run_company(belgian)
            self.Action._send_due(belgian)
        self.assertRecordValues(
            self._actions(customer),
            [
                {
                    "company_id": belgian.id,
                    "channel": "sms",
                    "state": "done",
                    "failure_reason": False,
                    "sms_number": "+32470123456",
                }
            ],
        )

    def test_invalid_number_fails_the_action_and_asks_to_fix_it(self):
        landline = self._mobile_customer("Cabinet Martin", mobile="01 23 45 67 89")
        other = self._mobile_customer("Atelier Dupont")
        self._run_at(MORNING)
        failed = self._actions(landline)
        self.assertEqual(failed.state, "failed")
        self.assertIn("not a mobile", failed.failure_reason)
        self.assertIn("01 23 45 67 89", failed.failure_reason)
        fix = failed.activity_ids
        self.assertEqual(fix.summary, "Fix the mobile number")
        self.assertEqual(fix.user_id, self.collector)
        self.assertEqual(self._actions(other).state, "done", "the run went on")
        self.assertEqual([sms["number"] for sms in self._sms], ["+33612345678"])
        # The next run tries again, without a second activity.
        self._run_at(datetime(2026, 3, 12, 10, 0))
        retried = self._actions(landline) - failed
        self.assertEqual(retried.state, "failed")
        self.assertFalse(retried.activity_ids)

    def test_missing_number_says_so(self):
        customer = self._mobile_customer("Cabinet Martin", mobile=False, phone=False)
        self._run_at(MORNING)
        action = self._actions(customer)
        self.assertEqual(action.state, "failed")
        self.assertIn("No mobile number for Cabinet Martin", action.failure_reason)

    # The sending window ---------------------------------------------------

    def test_outside_the_window_the_text_waits_for_it(self):
        """Paris: 19:00 local (18:00 UTC) is past the window; the text waits
        for 09:00 the next morning (08:00 UTC), when the send cron is
        called again."""
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(datetime(2026, 3, 11, 18, 0))
        action = self._actions(customer)
        self.assertFalse(self._sms)
        self.assertEqual(action.state, "todo")
        self.assertEqual(action.sms_not_before, datetime(2026, 3, 12, 8, 0))
        cron = self.env.ref("credit_collection.ir_cron_collection_send")
        self.assertTrue(
            self.env["ir.cron.trigger"].search(
                [("cron_id", "=", cron.id), ("call_at", "=", action.sms_not_before)]
            )
        )
        self._send_due_at(datetime(2026, 3, 12, 7, 59))
        self.assertFalse(self._sms)
        self._send_due_at(datetime(2026, 3, 12, 8, 0))
        self.assertEqual(len(self._sms), 1)
        self.assertEqual(action.state, "done")

    def test_paid_while_waiting_sends_nothing(self):
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(datetime(2026, 3, 11, 18, 0))
        action = self._actions(customer)
        self._pay(action.move_line_ids.move_id)
        self._send_due_at(datetime(2026, 3, 12, 8, 0))
        self.assertFalse(self._sms)
        self.assertEqual(action.state, "cancelled")

    def test_window_edge_in_the_recipients_time_zone(self):
        """A contact in New York (EDT, UTC-4 after 8 March 2026): 12:59 UTC
        is 08:59 there, too early; 13:00 UTC is 09:00, on time; the Paris
        customer was reached long before."""
        paris = self._mobile_customer("Atelier Dupont")
        new_york = self._mobile_customer(
            "Brooklyn Tools",
            mobile="(201) 555-0123",
            country_id=self.env.ref("base.us").id,
            tz="America/New_York",
        )
        self._run_at(datetime(2026, 3, 11, 12, 59))
        self.assertEqual([sms["number"] for sms in self._sms], ["+33612345678"])
        self.assertEqual(self._actions(paris).state, "done")
        waiting = self._actions(new_york)
        self.assertEqual(waiting.sms_not_before, datetime(2026, 3, 11, 13, 0))
        self._send_due_at(datetime(2026, 3, 11, 13, 0))
        self.assertEqual([sms["number"] for sms in self._sms], ["+12015550123"])

    def test_no_time_zone_of_its_own_uses_the_countrys(self):
        """A Spanish customer without a time zone: Madrid's (UTC+1 in
        March), so 08:30 UTC (09:30 there) is inside the window."""
        madrid = self._mobile_customer(
            "Talleres Ruiz",
            mobile="612 34 56 78",
            country_id=self.env.ref("base.es").id,
        )
        self._run_at(datetime(2026, 3, 11, 8, 30))
        self.assertEqual(self._actions(madrid).state, "done")

    def test_weekend_waits_for_monday(self):
        """Friday 13 March, 19:30 in Paris: the text waits for Monday 09:00
        (Saturday and Sunday are not working days of the company)."""
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(datetime(2026, 3, 13, 18, 30))
        action = self._actions(customer)
        self.assertEqual(action.sms_not_before, datetime(2026, 3, 16, 8, 0))
        self._send_due_at(datetime(2026, 3, 14, 10, 0))
        self.assertFalse(self._sms, "not on Saturday")

    # Opt-out and cap -------------------------------------------------------

    def test_opted_out_number_falls_back_to_email(self):
        customer = self._mobile_customer("Atelier Dupont")
        self.env["phone.blacklist"].sudo().add("+33612345678")
        with self.mock_mail_gateway():
            self._run_at(MORNING)
        action = self._actions(customer)
        self.assertFalse(self._sms)
        self.assertEqual((action.channel, action.state), ("email", "done"))
        self.assertTrue(
            self._new_mails.filtered(lambda m: m.res_id == action.id),
            "the reminder went by email",
        )
        self.assertTrue(
            any("opted out" in body for body in action.message_ids.mapped("body"))
        )

    def test_cap_per_customer_falls_back(self):
        self.company.credit_collection_sms_cap = 1
        self.stages["level_1"].sms_fallback_channel = "phone"
        customer = self._mobile_customer("Atelier Dupont")
        first = self.Action.create(self._manual_sms_values(customer))
        second = self.Action.create(self._manual_sms_values(customer))
        with freeze_time(MORNING), self.mockSMSGateway():
            first._send_automatically()
            second._send_automatically()
            self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(len(self._sms), 1)
        self.assertEqual((first.channel, first.state), ("sms", "done"))
        self.assertEqual((second.channel, second.state), ("phone", "todo"))
        self.assertFalse(second.auto, "on the collector's agenda")
        self.assertTrue(second.activity_ids)

    def _manual_sms_values(self, customer):
        return {
            "partner_id": customer.id,
            "company_id": self.company.id,
            "stage_id": self.stages["level_1"].id,
            "channel": "sms",
            "auto": True,
            "date": TODAY,
            "user_id": self.collector.id,
            "recipient_ids": [Command.set(customer.ids)],
            "move_line_ids": [
                Command.set(
                    self.env["account.move.line"]
                    .search(
                        [
                            ("partner_id", "=", customer.id),
                            ("account_type", "=", "asset_receivable"),
                        ]
                    )
                    .ids
                )
            ],
        }

    # Delivery reports ------------------------------------------------------

    def test_gateway_error_fails_the_action_with_the_reason(self):
        customer = self._mobile_customer("Atelier Dupont")
        with freeze_time(MORNING), self.mockSMSGateway(sim_error="wrong_number_format"):
            self._run(day=MORNING)
            self.env["sms.sms"].sudo()._process_queue()
        action = self._actions(customer)
        self.assertEqual(action.state, "failed")
        self.assertEqual(action.sms_status, "exception")
        self.assertIn("+33612345678", action.failure_reason)
        self.assertIn("Wrong Number Format", action.failure_reason)

    def test_gateway_down_fails_the_action_and_the_next_run_retries(self):
        """Odoo's SMS service answers with a server error: the action fails
        with the reason; the next run texts again at the same stage."""
        customer = self._mobile_customer("Atelier Dupont")
        with freeze_time(MORNING), self.mockSMSGateway(sim_error="server_error"):
            self._run(day=MORNING)
            self.env["sms.sms"].sudo()._process_queue()
        action = self._actions(customer)
        self.assertEqual(action.state, "failed")
        self.assertEqual(
            action.failure_reason,
            "The text message to +33612345678 failed: Server Error",
        )
        later = MORNING + timedelta(days=5)
        self._run_at(later)
        retry = self._actions(customer) - action
        self.assertEqual(
            (retry.stage_id, retry.channel, retry.state),
            (self.stages["level_1"], "sms", "done"),
        )
        self.assertEqual([sms["number"] for sms in self._sms], ["+33612345678"])

    def _tracker(self, action):
        """What links the action's text to Odoo's delivery reports."""
        return (
            self.env["sms.tracker"]
            .sudo()
            .search(
                [
                    (
                        "mail_notification_id.mail_message_id",
                        "=",
                        action.mail_message_id.id,
                    )
                ]
            )
        )

    def test_bounce_reported_later_fails_the_done_action(self):
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(MORNING)
        action = self._actions(customer)
        self.assertEqual(action.state, "done")
        tracker = self._tracker(action)
        tracker._action_update_from_provider_error("invalid_destination")
        self.assertEqual(action.sms_status, "bounce")
        self.assertEqual(action.state, "failed")
        self.assertIn("The text message to +33612345678 failed", action.failure_reason)

    def test_delivered_report_shows_on_the_action(self):
        customer = self._mobile_customer("Atelier Dupont")
        self._run_at(MORNING)
        action = self._actions(customer)
        tracker = self._tracker(action)
        tracker._action_update_from_sms_state("sent")
        self.assertEqual((action.sms_status, action.state), ("sent", "done"))

    # By hand, and configuration -----------------------------------------------

    def test_collector_sends_the_text_from_the_composer(self):
        self.stages["level_1"].auto = False
        customer = self._mobile_customer("Atelier Dupont")
        with freeze_time(MORNING):
            self._run()
        action = self._actions(customer)
        self.assertEqual(action.state, "todo")
        wizard_action = action.with_user(self.collector).action_send_sms()
        composer = (
            self.env["sms.composer"]
            .with_user(self.collector)
            .with_context(**wizard_action["context"])
            .create({})
        )
        self.assertIn("1,200.00", composer.body)
        self.assertEqual(composer.recipient_single_number, "+33612345678")
        # The collector picks the firmer text, then edits it.
        firmer = self.env.ref("credit_collection_sms.sms_template_level_2")
        composer.template_id = firmer
        composer.body = "Hello, 1,200.00 is overdue: can you call me back?"
        with freeze_time(MORNING), self.mockSMSGateway():
            composer.action_send_sms()
        self.assertEqual(self._sms[0]["body"], composer.body)
        self.assertEqual((action.state, action.sms_number), ("done", "+33612345678"))
        self.assertEqual(action.sms_template_id, firmer)
        self.assertFalse(action.activity_ids, "the agenda entry is done")

    def test_automatic_sms_stage_needs_a_template_of_actions(self):
        stage = self.stages["level_1"]
        with self.assertRaisesRegex(
            ValidationError, "sends its SMS automatically: choose the SMS template"
        ):
            stage.sms_template_id = False
        partner_text = self.env["sms.template"].create(
            {
                "name": "Birthday",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "body": "Happy birthday",
            }
        )
        with self.assertRaisesRegex(ValidationError, "made for res.partner records"):
            stage.sms_template_id = partner_text

    def test_collector_texts_a_customer_from_its_form(self):
        customer = self._mobile_customer("Atelier Dupont")
        wizard_action = customer.with_user(self.collector).action_collection_send_sms()
        action = self.Action.browse(wizard_action["context"]["default_res_id"])
        self.assertRecordValues(
            action,
            [{"channel": "sms", "state": "todo", "amount_due": 1200.0, "auto": False}],
        )
        composer = (
            self.env["sms.composer"]
            .with_user(self.collector)
            .with_context(**wizard_action["context"])
            .create({})
        )
        with freeze_time(MORNING), self.mockSMSGateway():
            composer.action_send_sms()
        self.assertEqual(self._sms[0]["number"], "+33612345678")
        self.assertIn("1,200.00", self._sms[0]["body"])
        self.assertEqual(action.state, "done")

    def test_every_template_in_each_language(self):
        """Each default text (before the due date, levels 1 to 3) rendered
        for a French, a Spanish and a German customer: its own words, the
        due date and the amount written the language's way."""
        words = {
            "fr_FR": {
                "pre_dunning": "arrivent à échéance le",
                "level_1": "étaient dus le",
                "level_2": "deuxième relance",
                "level_3": "dernière relance avant mise en demeure",
            },
            "es_ES": {
                "pre_dunning": "vencen el",
                "level_1": "siguen impagados",
                "level_2": "segundo aviso",
                "level_3": "aviso final antes de medidas formales",
            },
            "de_DE": {
                "pre_dunning": "fällig am",
                "level_1": "Bitte zahlen Sie oder nennen Sie den Grund",
                "level_2": "2. Mahnung",
                "level_3": "Letzte Mahnung",
            },
        }
        dates = {"fr_FR": "01/03/2026", "es_ES": "01/03/2026", "de_DE": "01.03.2026"}
        amounts = {"fr_FR": r"1\s200,00", "es_ES": r"1\.200,00", "de_DE": r"1\.200,00"}
        for lang in words:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection", "credit_collection_sms"], list(words), overwrite=True
        )
        customers = {
            lang: self._mobile_customer(f"Customer {lang}", lang=lang) for lang in words
        }
        self._run_at(MORNING)
        for lang, expected in words.items():
            action = self._actions(customers[lang])
            for level, text in expected.items():
                template = self.env.ref(f"credit_collection_sms.sms_template_{level}")
                body = template._render_field("body", action.ids, compute_lang=True)[
                    action.id
                ]
                with self.subTest(lang=lang, level=level):
                    self.assertIn(text, body)
                    self.assertIn(dates[lang], body)
                    self.assertRegex(body, amounts[lang])

    def test_text_in_the_customers_language(self):
        """The level 1 text for a French, a Spanish and a German customer:
        the words, the due date and the amount as each language writes
        them."""
        expected = {
            "fr_FR": (
                "+33612345671",
                "étaient dus le 01/03/2026 et restent impayés",
                r"1\s200,00",
            ),
            "es_ES": (
                "+33612345672",
                "vencidos el 01/03/2026 siguen impagados",
                r"1\.200,00",
            ),
            "de_DE": (
                "+33612345673",
                "seit 01.03.2026 fällig. Bitte zahlen Sie",
                r"1\.200,00",
            ),
        }
        for lang in expected:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["credit_collection", "credit_collection_sms"],
            list(expected),
            overwrite=True,
        )
        for lang, (number, _words, _amount) in expected.items():
            self._mobile_customer(f"Customer {lang}", mobile=number, lang=lang)
        self._run_at(MORNING)
        bodies = {sms["number"]: sms["body"] for sms in self._sms}
        for lang, (number, words, amount) in expected.items():
            with self.subTest(lang=lang):
                self.assertIn(words, bodies[number])
                self.assertRegex(bodies[number], amount)
