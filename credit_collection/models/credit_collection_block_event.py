from odoo import fields, models

BLOCK_CAUSES = [
    ("manual", "Blocked by a manager"),
    ("stage", "Collection stage"),
    ("credit_limit", "Credit limit exceeded"),
]


class CreditCollectionBlockEvent(models.Model):
    """One change of a customer's sales block: who or what, when, why.

    Written by the blocking logic only (never edited): the account's
    history of blocks and releases, as sales and auditors ask for it.
    """

    _name = "credit.collection.block.event"
    _description = "Account Block Change"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users",
        string="By",
        readonly=True,
        help="Empty when the change was automatic.",
    )
    blocked = fields.Boolean(readonly=True)
    cause = fields.Selection(BLOCK_CAUSES, readonly=True)
    reason = fields.Text(readonly=True)
