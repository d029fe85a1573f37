from odoo import fields, models


class CreditCollectionDisputeType(models.Model):
    """Why customers dispute invoices (administrative, quality, price error,
    delivery, other): a list each company may extend."""

    _name = "credit.collection.dispute.type"
    _description = "Dispute Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to offer the type to every company."
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Default responsible",
        domain="[('share', '=', False)]",
        help="Who examines disputes of this type unless someone else is chosen "
        "(e.g. the quality manager for quality disputes).",
    )
