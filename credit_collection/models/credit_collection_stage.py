from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .selections import CHANNELS, LEVEL_RANK, STAGE_LEVELS

# The model the stage templates render: one collection action of one customer.
TEMPLATE_MODEL = "credit.collection.action"


class CreditCollectionStage(models.Model):
    _name = "credit.collection.stage"
    _description = "Collection Stage"
    _order = "scenario_id, days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    scenario_id = fields.Many2one(
        "credit.collection.scenario",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="scenario_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    level = fields.Selection(STAGE_LEVELS, required=True, default="level_1")
    days = fields.Integer(
        string="Days from due date",
        required=True,
        help="When the stage becomes due, counted from the invoice due date: "
        "-5 is five days before it, 15 is fifteen days after it.",
    )
    min_amount = fields.Monetary(
        string="Minimum amount",
        currency_field="currency_id",
        help="The stage is skipped while the customer owes less than this "
        "amount (in company currency) on the items concerned.",
    )
    channel = fields.Selection(CHANNELS, required=True, default="email")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain=[("model", "=", TEMPLATE_MODEL)],
        ondelete="restrict",
    )
    auto = fields.Boolean(
        string="Automatic",
        help="Sent by the daily run without review. Otherwise the action is put "
        "on the collector's agenda to validate.",
    )
    attach_invoices = fields.Boolean(
        help="Emails of this stage carry the PDF of each invoice concerned, "
        "besides the statement of account."
    )
    notice_days = fields.Integer(
        string="Notice period (days)",
        help="For a formal notice: the days the customer has to pay, counted "
        "from the acknowledgment of receipt. The next stage waits for them.",
    )
    blocks_sales = fields.Boolean(
        help="Customers who reach this stage are blocked for new sales."
    )
    channel_rule_ids = fields.One2many(
        "credit.collection.channel.rule",
        "stage_id",
        string="Channel rules",
        copy=True,
        help="The first rule that matches the customer replaces the stage's channel.",
    )
    instructions = fields.Text(
        translate=True,
        help="What the collector should do or say at this stage (phone script, "
        "documents to bring to a visit...).",
    )

    @api.constrains("min_amount", "notice_days")
    def _check_min_amount(self):
        for stage in self:
            if stage.min_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The minimum amount of stage '%(stage)s' cannot be negative.",
                        stage=stage.name,
                    )
                )
            if stage.notice_days < 0:
                raise ValidationError(
                    self.env._(
                        "The notice period of stage '%(stage)s' cannot be negative.",
                        stage=stage.name,
                    )
                )

    @api.constrains("level", "days")
    def _check_days_match_level(self):
        for stage in self:
            if stage.level == "pre_dunning" and stage.days > 0:
                raise ValidationError(
                    self.env._(
                        "Pre-dunning stage '%(stage)s' must come before the due "
                        "date or on it (days from due date ≤ 0), not %(days)s "
                        "days after it.",
                        stage=stage.name,
                        days=stage.days,
                    )
                )
            if stage.level != "pre_dunning" and stage.days <= 0:
                raise ValidationError(
                    self.env._(
                        "Dunning stage '%(stage)s' must come after the due date "
                        "(days from due date > 0); only pre-dunning stages come "
                        "before it.",
                        stage=stage.name,
                    )
                )

    @api.model
    def _auto_channels(self):
        """Channels the daily run can send without a collector: those with a
        sender (see ``credit.collection.action._channel_senders``)."""
        return set(self.env["credit.collection.action"]._channel_senders())

    @api.model
    def _channel_templates(self):
        """``{channel: field}``: the field of the template a stage of that
        channel sends (a template of collection actions), which an automatic
        stage needs; other addons add theirs."""
        return {"email": "mail_template_id"}

    @api.constrains("channel", "auto", "mail_template_id")
    def _check_template(self):
        auto_channels = self._auto_channels()
        templates = self._channel_templates()
        labels = dict(self._fields["channel"]._description_selection(self.env))
        for stage in self:
            if stage.auto and stage.channel not in auto_channels:
                raise ValidationError(
                    self.env._(
                        "Stage '%(stage)s' cannot send a %(channel)s automatically: "
                        "clear 'Automatic' so that the daily run puts it on the "
                        "collector's agenda.",
                        stage=stage.name,
                        channel=labels[stage.channel].lower(),
                    )
                )
            field = templates.get(stage.channel)
            if field and stage.auto and not stage[field]:
                raise ValidationError(
                    self.env._(
                        "Stage '%(stage)s' sends its %(channel)s automatically: "
                        "choose the %(template)s it sends.",
                        stage=stage.name,
                        channel=labels[stage.channel],
                        template=self._fields[field]._description_string(self.env),
                    )
                )
            for template in (stage[field] for field in templates.values()):
                if template and template.model != TEMPLATE_MODEL:
                    raise ValidationError(
                        self.env._(
                            "The template '%(template)s' of stage '%(stage)s' is "
                            "made for %(model)s records; a collection stage needs "
                            "a template for collection actions.",
                            template=template.name,
                            stage=stage.name,
                            model=template.model,
                        )
                    )

    @api.constrains("scenario_id", "level", "days")
    def _check_scenario_order(self):
        """Within a scenario, stages climb the escalation as days pass."""
        for scenario in self.scenario_id:
            stages = scenario.stage_ids.sorted(lambda s: (s.days, s.id))
            for previous, stage in pairwise(stages):
                if previous.days == stage.days:
                    raise ValidationError(
                        self.env._(
                            "Stages '%(first)s' and '%(second)s' of scenario "
                            "'%(scenario)s' are both set %(days)s days from the "
                            "due date; each stage needs its own day.",
                            first=previous.name,
                            second=stage.name,
                            scenario=scenario.name,
                            days=stage.days,
                        )
                    )
                if LEVEL_RANK[previous.level] > LEVEL_RANK[stage.level]:
                    raise ValidationError(
                        self.env._(
                            "Stages of scenario '%(scenario)s' are out of order: "
                            "'%(first)s' (%(first_level)s, day %(first_days)s) "
                            "comes before '%(second)s' (%(second_level)s, day "
                            "%(second_days)s). Later stages must be at the same "
                            "or a higher level.",
                            scenario=scenario.name,
                            first=previous.name,
                            first_level=previous._level_label(),
                            first_days=previous.days,
                            second=stage.name,
                            second_level=stage._level_label(),
                            second_days=stage.days,
                        )
                    )
            litigation = stages.filtered(lambda s: s.level == "litigation")
            if len(litigation) > 1:
                raise ValidationError(
                    self.env._(
                        "Scenario '%(scenario)s' has several litigation stages; "
                        "litigation is the single last step.",
                        scenario=scenario.name,
                    )
                )
            if litigation and not stages.filtered(lambda s: s.level == "level_3"):
                raise ValidationError(
                    self.env._(
                        "Scenario '%(scenario)s' goes to litigation without a "
                        "level 3 stage: a formal notice must come before "
                        "litigation.",
                        scenario=scenario.name,
                    )
                )

    def _channel_for(self, is_company, domestic, open_items, email_known=True):
        """The channel this stage uses for a customer (first matching rule)."""
        self.ensure_one()
        for rule in self.channel_rule_ids:
            if rule._matches(is_company, domestic, open_items, email_known):
                return rule.channel
        return self.channel

    def _level_label(self):
        self.ensure_one()
        return dict(self._fields["level"]._description_selection(self.env))[self.level]
