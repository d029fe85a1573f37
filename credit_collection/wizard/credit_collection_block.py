from odoo import api, fields, models


class CreditCollectionBlock(models.TransientModel):
    """A Collections manager blocks a customer's account for sales, or lifts
    their own block, and says why."""

    _name = "credit.collection.block"
    _description = "Block or Unblock an Account"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    block = fields.Boolean(default=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(self.env.context["active_id"])
            values["partner_id"] = partner.commercial_partner_id.id
        return values

    def action_confirm(self):
        self.ensure_one()
        self.partner_id._collection_block_by_hand(self.reason, block=self.block)
        return {"type": "ir.actions.act_window_close"}
