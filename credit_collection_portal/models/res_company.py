from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_collection_portal_link_days = fields.Integer(
        string="Reminder links valid for (days)",
        default=60,
        help="The signed link of a reminder opens the customer's page for this "
        "many days after the reminder.",
    )

    @api.constrains("credit_collection_portal_link_days")
    def _check_credit_collection_portal_link_days(self):
        for company in self:
            if company.credit_collection_portal_link_days < 1:
                raise ValidationError(
                    self.env._("Reminder links are valid for one day at least.")
                )
