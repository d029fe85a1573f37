from odoo import api, fields, models
from odoo.exceptions import ValidationError

ACTION_MODEL = "credit.collection.action"


def _fallback_channels(model):
    return [
        (value, label)
        for value, label in model.env["credit.collection.stage"]
        ._fields["channel"]
        ._description_selection(model.env)
        if value != "sms"
    ]


class CreditCollectionStage(models.Model):
    _inherit = "credit.collection.stage"

    channel = fields.Selection(
        selection_add=[("sms", "SMS")], ondelete={"sms": "set default"}
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        string="SMS template",
        domain=[("model", "=", ACTION_MODEL)],
        help="The text the stage sends, in the customer's language.",
    )
    sms_fallback_channel = fields.Selection(
        selection=_fallback_channels,
        string="Instead of an SMS",
        default="email",
        help="The channel used when the customer opted out of text messages or "
        "already got the most the company allows over the period.",
    )

    @api.constrains("channel", "auto", "sms_template_id")
    def _check_sms_template(self):
        for stage in self:
            if stage.channel == "sms" and stage.auto and not stage.sms_template_id:
                raise ValidationError(
                    self.env._(
                        "Stage '%(stage)s' sends text messages automatically: "
                        "choose the SMS template it sends.",
                        stage=stage.name,
                    )
                )
            if stage.sms_template_id and stage.sms_template_id.model != ACTION_MODEL:
                raise ValidationError(
                    self.env._(
                        "The SMS template '%(template)s' of stage '%(stage)s' is "
                        "made for %(model)s records; a collection stage needs one "
                        "for collection actions.",
                        template=stage.sms_template_id.name,
                        stage=stage.name,
                        model=stage.sms_template_id.model,
                    )
                )
