from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    """An invoice's collection stage, level and next date move from
    ``account_move`` to ``credit_collection_invoice_state``, where the daily
    run writes them without rewriting the invoice: their values are copied,
    then the columns (and their indexes) leave ``account_move``."""
    if not column_exists(cr, "account_move", "collection_stage_id"):
        return
    cr.execute(
        SQL(
            """
            INSERT INTO credit_collection_invoice_state
                   (move_id, stage_id, next_date)
            SELECT id, collection_stage_id, collection_next_date
              FROM account_move
             WHERE collection_stage_id IS NOT NULL
                OR collection_next_date IS NOT NULL
            ON CONFLICT (move_id) DO NOTHING
            """
        )
    )
    cr.execute(
        SQL(
            "ALTER TABLE account_move DROP COLUMN collection_stage_id, "
            "DROP COLUMN collection_level, DROP COLUMN collection_next_date"
        )
    )
