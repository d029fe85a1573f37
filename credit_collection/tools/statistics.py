"""Planner statistics after a bulk write. A scheduled job that writes
thousands of rows in minutes (the run, the sending) leaves PostgreSQL's
statistics of those tables as they were before it: autovacuum catches up a
minute or more later, and until then the screens opened after the job are
planned for the tables' old contents (seconds instead of milliseconds).
The job analyses what it wrote, as a bulk load does: ANALYZE samples a
fixed number of rows, so its cost does not grow with the tables."""

from odoo.tools import SQL


def analyze(env, tables):
    """ANALYZE ``tables``: ``{table: columns}``, the columns the job wrote
    (all of them when empty). ANALYZE runs inside the caller's transaction
    and sees its own writes; a table the database user does not own is
    skipped by PostgreSQL with a warning, not an error."""
    for table, columns in tables.items():
        env.cr.execute(
            SQL(
                "ANALYZE %s%s",
                SQL.identifier(table),
                SQL("(%s)", SQL(", ").join(map(SQL.identifier, columns)))
                if columns
                else SQL(),
            )
        )
