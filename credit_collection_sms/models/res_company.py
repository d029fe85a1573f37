from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    credit_collection_sms_hour_from = fields.Float(
        string="SMS from",
        default=9.0,
        help="Collection text messages leave from this hour, in the recipient's "
        "time zone, on working days.",
    )
    credit_collection_sms_hour_to = fields.Float(
        string="SMS until",
        default=19.0,
        help="Collection text messages planned later wait for the next working day.",
    )
    credit_collection_sms_cap = fields.Integer(
        string="SMS per customer",
        default=3,
        help="At most this many collection text messages per customer over the "
        "period; beyond it, the stage's fallback channel is used (0: no cap).",
    )
    credit_collection_sms_cap_days = fields.Integer(
        string="SMS cap period (days)", default=30
    )

    @api.constrains(
        "credit_collection_sms_hour_from",
        "credit_collection_sms_hour_to",
        "credit_collection_sms_cap",
        "credit_collection_sms_cap_days",
    )
    def _check_credit_collection_sms(self):
        for company in self:
            start = company.credit_collection_sms_hour_from
            end = company.credit_collection_sms_hour_to
            if not 0 <= start < end <= 24:
                raise ValidationError(
                    self.env._(
                        "The SMS sending hours of %(company)s must run from an "
                        "hour to a later one, between 0 and 24.",
                        company=company.name,
                    )
                )
            if (
                company.credit_collection_sms_cap < 0
                or company.credit_collection_sms_cap_days < 1
            ):
                raise ValidationError(
                    self.env._(
                        "The SMS cap of %(company)s cannot be negative, and its "
                        "period lasts one day at least.",
                        company=company.name,
                    )
                )
