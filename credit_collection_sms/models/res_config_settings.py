from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_collection_sms_hour_from = fields.Float(
        related="company_id.credit_collection_sms_hour_from", readonly=False
    )
    credit_collection_sms_hour_to = fields.Float(
        related="company_id.credit_collection_sms_hour_to", readonly=False
    )
    credit_collection_sms_cap = fields.Integer(
        related="company_id.credit_collection_sms_cap", readonly=False
    )
    credit_collection_sms_cap_days = fields.Integer(
        related="company_id.credit_collection_sms_cap_days", readonly=False
    )
