from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .selections import stage_channels


class CreditCollectionChannelRule(models.Model):
    """Another channel for a stage when the customer calls for it.

    The seeds ask for it: a letter does not reach a customer abroad in time, a
    phone call cannot go through a statement of a hundred invoices, a text
    message suits an individual better than a company.
    """

    _name = "credit.collection.channel.rule"
    _description = "Collection Channel Rule"
    _order = "stage_id, sequence, id"

    sequence = fields.Integer(default=10)
    stage_id = fields.Many2one(
        "credit.collection.stage", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="stage_id.company_id", store=True, index=True, precompute=True
    )
    partner_type = fields.Selection(
        [("any", "Any customer"), ("company", "Companies"), ("person", "Individuals")],
        string="Customer type",
        required=True,
        default="any",
    )
    location = fields.Selection(
        [("any", "Anywhere"), ("domestic", "Domestic"), ("foreign", "Abroad")],
        required=True,
        default="any",
        help="Domestic: the customer's country is the company's (or unknown).",
    )
    email = fields.Selection(
        [("any", "Either way"), ("known", "Email known"), ("unknown", "No email")],
        string="Email address",
        required=True,
        default="any",
        help="Whether the customer's recipients have an email address: e.g. a "
        "letter where no email is known.",
    )
    min_open_items = fields.Integer(
        string="From open items",
        help="Applies when the customer has at least this many open items (0: "
        "no minimum).",
    )
    max_open_items = fields.Integer(
        string="Up to open items",
        help="Applies when the customer has at most this many open items (0: "
        "no maximum).",
    )
    channel = fields.Selection(
        selection=stage_channels, required=True, string="Use channel"
    )

    @api.constrains("min_open_items", "max_open_items")
    def _check_open_items(self):
        for rule in self:
            if rule.min_open_items < 0 or rule.max_open_items < 0:
                raise ValidationError(
                    self.env._(
                        "The numbers of open items of a channel rule of stage "
                        "'%(stage)s' cannot be negative.",
                        stage=rule.stage_id.name,
                    )
                )
            if rule.max_open_items and rule.min_open_items > rule.max_open_items:
                raise ValidationError(
                    self.env._(
                        "A channel rule of stage '%(stage)s' applies from "
                        "%(min)s open items up to %(max)s: the minimum is above "
                        "the maximum.",
                        stage=rule.stage_id.name,
                        min=rule.min_open_items,
                        max=rule.max_open_items,
                    )
                )

    def _matches(self, is_company, domestic, open_items, email_known=True):
        self.ensure_one()
        email_ok = self.email == "any" or ((self.email == "known") == email_known)
        type_ok = self.partner_type == "any" or (
            (self.partner_type == "company") == bool(is_company)
        )
        location_ok = self.location == "any" or (
            (self.location == "domestic") == bool(domestic)
        )
        return (
            type_ok
            and location_ok
            and email_ok
            and open_items >= self.min_open_items
            and (not self.max_open_items or open_items <= self.max_open_items)
        )
