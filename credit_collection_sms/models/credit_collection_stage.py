from odoo import api, fields, models

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

    @api.model
    def _channel_templates(self):
        return super()._channel_templates() | {"sms": "sms_template_id"}

    @api.constrains("channel", "auto", "mail_template_id", "sms_template_id")
    def _check_template(self):
        return super()._check_template()
