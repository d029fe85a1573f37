from odoo import api, fields, models


class CreditCollectionCustomerWizardMixin(models.AbstractModel):
    """A wizard about one customer, opened from a partner: the commercial
    entity of that partner."""

    _name = "credit.collection.customer.wizard.mixin"
    _description = "Wizard about a Customer"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(self.env.context["active_id"])
            values["partner_id"] = partner.commercial_partner_id.id
        return values
