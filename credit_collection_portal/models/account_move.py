import uuid

from odoo import models
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    def _collection_sign(self):
        """Give the invoices without one their access token (the customer's
        page links each invoice signed), in one query: written one by one
        through the ORM, 1,000 invoices took 18 s (each write of an invoice
        runs the accounting checks)."""
        unsigned = self.sudo().filtered(lambda move: not move.access_token)
        if not unsigned:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move move SET access_token = v.token
                  FROM unnest(%s::int[], %s::varchar[]) AS v(id, token)
                 WHERE move.id = v.id AND move.access_token IS NULL
                """,
                unsigned.ids,
                [str(uuid.uuid4()) for _move in unsigned],
            )
        )
        unsigned.invalidate_recordset(["access_token"])
