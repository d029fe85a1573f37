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
    credit_collection_kpi_email = fields.Boolean(
        related="company_id.credit_collection_kpi_email", readonly=False
    )
    credit_collection_late_charges = fields.Boolean(
        related="company_id.credit_collection_late_charges", readonly=False
    )
    credit_collection_reference_rate = fields.Float(
        related="company_id.credit_collection_reference_rate", readonly=False
    )
    credit_collection_interest_margin = fields.Float(
        related="company_id.credit_collection_interest_margin", readonly=False
    )
    credit_collection_recovery_indemnity = fields.Monetary(
        related="company_id.credit_collection_recovery_indemnity", readonly=False
    )
    credit_collection_charges_individuals = fields.Boolean(
        related="company_id.credit_collection_charges_individuals", readonly=False
    )
    credit_collection_charges_account_id = fields.Many2one(
        related="company_id.credit_collection_charges_account_id", readonly=False
    )
