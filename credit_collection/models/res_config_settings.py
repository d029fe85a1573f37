from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_collection_scenario_id = fields.Many2one(
        related="company_id.credit_collection_scenario_id", readonly=False
    )
    credit_collection_min_interval_days = fields.Integer(
        related="company_id.credit_collection_min_interval_days", readonly=False
    )
    credit_collection_user_id = fields.Many2one(
        related="company_id.credit_collection_user_id", readonly=False
    )
    credit_collection_profile_auto = fields.Boolean(
        related="company_id.credit_collection_profile_auto", readonly=False
    )
    credit_collection_profile_stable_days = fields.Integer(
        related="company_id.credit_collection_profile_stable_days", readonly=False
    )
    credit_collection_plan_down_payment = fields.Float(
        related="company_id.credit_collection_plan_down_payment", readonly=False
    )
    credit_collection_plan_approval_amount = fields.Monetary(
        related="company_id.credit_collection_plan_approval_amount", readonly=False
    )
