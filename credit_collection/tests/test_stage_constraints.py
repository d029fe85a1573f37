from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import CreditCollectionCommon


@tagged("post_install", "-at_install")
class TestStageConstraints(CreditCollectionCommon):
    def test_valid_escalation_is_accepted(self):
        scenario = self._create_scenario(
            [
                ("pre_dunning", -5, {}),
                ("level_1", 5, {}),
                ("level_1", 12, {}),
                ("level_2", 30, {}),
                ("level_3", 45, {}),
                ("litigation", 60, {}),
            ]
        )
        self.assertEqual(scenario.stage_count, 6)
        self.assertEqual(scenario.stage_ids.mapped("days"), [-5, 5, 12, 30, 45, 60])

    def test_pre_dunning_after_due_date(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"Pre-dunning stage 'pre_dunning at 3' must come before the due date",
        ):
            self._create_scenario([("pre_dunning", 3, {})])

    def test_dunning_level_before_due_date(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"Dunning stage 'level_1 at 0' must come after the due date",
        ):
            self._create_scenario([("level_1", 0, {})])

    def test_two_stages_on_the_same_day(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"are both set 10 days from the due date; each stage needs its own day",
        ):
            self._create_scenario([("level_1", 10, {}), ("level_2", 10, {})])

    def test_stages_out_of_order(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"out of order: 'level_2 at 10' \(Level 2, day 10\) comes before "
            r"'level_1 at 20' \(Level 1, day 20\)",
        ):
            self._create_scenario([("level_2", 10, {}), ("level_1", 20, {})])

    def test_out_of_order_after_an_edit(self):
        scenario = self._create_scenario([("level_1", 10, {}), ("level_2", 20, {})])
        with self.assertRaisesRegex(ValidationError, "out of order"):
            scenario.stage_ids.filtered(lambda s: s.level == "level_1").days = 25

    def test_litigation_before_level_3(self):
        with self.assertRaisesRegex(
            ValidationError, r"out of order: 'litigation at 20' \(Litigation, day 20\)"
        ):
            self._create_scenario([("litigation", 20, {}), ("level_3", 30, {})])

    def test_litigation_without_level_3(self):
        with self.assertRaisesRegex(
            ValidationError, "goes to litigation without a level 3 stage"
        ):
            self._create_scenario([("level_1", 5, {}), ("litigation", 60, {})])

    def test_single_litigation_stage(self):
        with self.assertRaisesRegex(ValidationError, "has several litigation stages"):
            self._create_scenario(
                [("level_3", 30, {}), ("litigation", 60, {}), ("litigation", 90, {})]
            )

    def test_automatic_email_needs_template(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"Stage 'level_1 at 5' sends its Email automatically: "
            r"choose the Email template it sends",
        ):
            self._create_scenario([("level_1", 5, {"channel": "email", "auto": True})])

    def test_manual_email_without_template_is_allowed(self):
        scenario = self._create_scenario(
            [("level_1", 5, {"channel": "email", "auto": False})]
        )
        self.assertFalse(scenario.stage_ids.mail_template_id)

    def test_automatic_email_with_template(self):
        scenario = self._create_scenario(
            [
                (
                    "level_1",
                    5,
                    {
                        "channel": "email",
                        "auto": True,
                        "mail_template_id": self.template_level_1.id,
                    },
                )
            ]
        )
        self.assertEqual(scenario.stage_ids.mail_template_id, self.template_level_1)

    def test_template_of_another_model(self):
        invoice_template = self.env.ref("account.email_template_edi_invoice")
        with self.assertRaisesRegex(
            ValidationError,
            r"The template '.*' of stage 'level_1 at 5' is made for "
            r"account.move records",
        ):
            self._create_scenario(
                [("level_1", 5, {"mail_template_id": invoice_template.id})]
            )

    def test_negative_minimum_amount(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"The minimum amount of stage 'level_1 at 5' cannot be negative",
        ):
            self._create_scenario([("level_1", 5, {"min_amount": -1.0})])

    def test_stage_company_follows_scenario(self):
        scenario = self._create_scenario([("level_1", 5, {})])
        self.assertEqual(scenario.stage_ids.company_id, self.env.company)

    def test_only_emails_go_out_automatically(self):
        with self.assertRaisesRegex(
            ValidationError,
            r"Stage 'level_2 at 20' cannot send a phone call automatically: clear "
            r"'Automatic'",
        ):
            self._create_scenario([("level_2", 20, {"channel": "phone", "auto": True})])

    def test_channel_rule_open_items_must_make_sense(self):
        scenario = self._create_scenario([("level_2", 20, {})])
        stage = scenario.stage_ids
        with self.assertRaisesRegex(
            ValidationError,
            r"applies from 10 open items up to 5: the minimum is above the maximum",
        ):
            stage.channel_rule_ids = [
                Command.create(
                    {"min_open_items": 10, "max_open_items": 5, "channel": "email"}
                )
            ]
        with self.assertRaisesRegex(
            ValidationError, r"open items of a channel rule of stage 'level_2 at 20' "
        ):
            stage.channel_rule_ids = [
                Command.create({"min_open_items": -1, "channel": "email"})
            ]

    def test_channel_rules_copied_with_the_scenario(self):
        scenario = self._create_scenario([("level_2", 20, {})])
        scenario.stage_ids.channel_rule_ids = [
            Command.create({"location": "foreign", "channel": "email"})
        ]
        copy = scenario.copy()
        self.assertEqual(copy.stage_ids.channel_rule_ids.location, "foreign")
        self.assertEqual(copy.stage_ids.channel_rule_ids.company_id, copy.company_id)
