from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    """The collection states of items and invoices take their company from
    their item or invoice instead of a column of their own: the daily run
    inserts tens of thousands of them, and the company's foreign key cost a
    check on each (a third of their writing)."""
    for table in ("credit_collection_item_state", "credit_collection_invoice_state"):
        if column_exists(cr, table, "company_id"):
            cr.execute(
                SQL("ALTER TABLE %s DROP COLUMN company_id", SQL.identifier(table))
            )
