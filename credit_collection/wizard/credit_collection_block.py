from odoo import fields, models


class CreditCollectionBlock(models.TransientModel):
    """A Collections manager blocks a customer's account for sales, or lifts
    their own block, and says why."""

    _name = "credit.collection.block"
    _inherit = ["credit.collection.customer.wizard.mixin"]
    _description = "Block or Unblock an Account"

    block = fields.Boolean(default=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.partner_id._collection_block_by_hand(self.reason, block=self.block)
        return {"type": "ir.actions.act_window_close"}
