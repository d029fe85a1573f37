from odoo import api, models

from ..xlsx.table import remove_old_exports


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.autovacuum
    def _gc_credit_collection_exports(self):
        """The XLSX files of the Collections exports were made to be
        downloaded at once: remove them after a day."""
        remove_old_exports(self.env)
