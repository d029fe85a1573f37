from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    credit_collection_portal_link_days = fields.Integer(
        related="company_id.credit_collection_portal_link_days", readonly=False
    )
