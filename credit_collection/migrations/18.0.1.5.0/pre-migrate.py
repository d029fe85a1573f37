from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    """The collection states of items and invoices take their company from
    their item or invoice instead of a column of their own: the daily run
    inserts tens of thousands of them, and the company's foreign key cost a
    check on each (a third of their writing). An invoice's level, written
    beside its stage, is read from the stage."""
    for table, column in (
        ("credit_collection_item_state", "company_id"),
        ("credit_collection_invoice_state", "company_id"),
        # An invoice's level is its stage's, read through it.
        ("credit_collection_invoice_state", "level"),
    ):
        if column_exists(cr, table, column):
            cr.execute(
                SQL(
                    "ALTER TABLE %s DROP COLUMN %s",
                    SQL.identifier(table),
                    SQL.identifier(column),
                )
            )
