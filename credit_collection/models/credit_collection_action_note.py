from odoo import api, fields, models
from odoo.exceptions import UserError


class CreditCollectionActionNote(models.Model):
    """A note appended to a collection action: the only way to add to an
    action once done, since done actions are evidence. Notes are evidence
    too: written once, with their author and time, never changed."""

    _name = "credit.collection.action.note"
    _description = "Collection Action Note"
    _order = "date, id"

    action_id = fields.Many2one(
        "credit.collection.action", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="action_id.company_id", store=True, index=True)
    body = fields.Text(string="Note", required=True)
    author_id = fields.Many2one(
        "res.users",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    @api.model_create_multi
    def create(self, vals_list):
        # Who wrote it and when is not for the writer to choose.
        for vals in vals_list:
            vals.update(author_id=self.env.uid, date=fields.Datetime.now())
        return super().create(vals_list)

    def write(self, vals):
        if self:
            raise UserError(
                self.env._(
                    "A note on a collection action cannot be changed: add another one."
                )
            )
        return super().write(vals)

    def unlink(self):
        if self:
            raise UserError(
                self.env._(
                    "A note on a collection action cannot be deleted: add another one."
                )
            )
        return super().unlink()
