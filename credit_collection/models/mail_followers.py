from odoo import api, models

from ..tools.bulk_create import bulk_create
from .mail_thread import BULK_INSERT


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model_create_multi
    def create(self, vals_list):
        """Followers of a subscription made with ``BULK_INSERT`` (the
        collectors of thousands of new actions) in one INSERT: Odoo's
        ``_insert_followers`` gives each its document, partner and default
        subtypes, and ``create`` adds nothing to them but its cache."""
        if self.env.context.get(BULK_INSERT):
            return bulk_create(self, vals_list)
        return super().create(vals_list)
