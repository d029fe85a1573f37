from odoo import api, fields, models
from odoo.tools import SQL


class CreditCollectionEffectiveness(models.Model):
    _inherit = "credit.collection.effectiveness"

    sms_template_id = fields.Many2one(
        "sms.template", string="SMS template", readonly=True
    )

    @api.model
    def _action_columns(self):
        return {
            **super()._action_columns(),
            "sms_template_id": SQL("action.sms_template_id"),
        }
