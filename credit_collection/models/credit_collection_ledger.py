from odoo import api, models
from odoo.osv.expression import AND
from odoo.tools import SQL
from odoo.tools.sql import table_kind

from ..tools.pg_arrays import sql_array


class CreditCollectionLedger(models.AbstractModel):
    """The receivable ledger collection works on, written once.

    The *ledger* is the journal items on receivable accounts
    (:meth:`_ledger_domain`); a *receivable item* is one of them that is
    posted, an *open* one is not reconciled yet. Every other form is derived
    from these domains: the domain of searches and of fields, the SQL
    condition of the run, the blocks, the reports, the KPIs and the database
    views, and the filter on records of wizards and actions.

    To leave an account, a journal or a kind of entry out of collection,
    override :meth:`_ledger_domain` in an addon: every screen, run, view and
    KPI follows (the database views built on it are rebuilt when that addon
    is installed or upgraded).
    """

    _name = "credit.collection.ledger"
    _description = "Receivable Ledger of Collection"

    # ------------------------------------------------------------------
    # The rule
    # ------------------------------------------------------------------

    @api.model
    def _ledger_domain(self):
        """The journal items (``account.move.line``) collection works on,
        whatever their state: those on a receivable account (instalments,
        credit notes, payments and opening entries included)."""
        return [("account_id.account_type", "=", "asset_receivable")]

    @api.model
    def _receivable_domain(self):
        """Ledger items that count: posted ones."""
        return AND([self._ledger_domain(), [("parent_state", "=", "posted")]])

    @api.model
    def _open_domain(self):
        """Receivable items still owed (or still to be matched)."""
        return AND([self._receivable_domain(), [("reconciled", "=", False)]])

    # ------------------------------------------------------------------
    # Its other forms
    # ------------------------------------------------------------------

    @api.model
    def _receivable_table(self, alias="line"):
        """The receivable items as a table expression aliased ``alias``, with
        the columns of ``account_move_line``: ``FROM %s`` in place of
        ``FROM account_move_line line``."""
        return self._items_table(self._receivable_domain(), alias)

    @api.model
    def _open_table(self, alias="line"):
        """The open receivable items as a table expression (see above)."""
        return self._items_table(self._open_domain(), alias)

    @api.model
    def _items_table(self, domain, alias):
        # A subquery PostgreSQL pulls up into the query that embeds it (same
        # plan, same indexes as the condition written inline); no record
        # rules: the embedding queries restrict companies and rows themselves.
        lines = self.env["account.move.line"].sudo()
        query = lines._where_calc(domain)
        return SQL(
            "(%s) AS %s",
            query.select(SQL("%s.*", SQL.identifier(lines._table))),
            SQL.identifier(alias),
        )

    @api.model
    def _open_items_sql(self, company_id, join=None, where=None):
        """FROM and WHERE clauses of the open receivable items of a company
        (aliases ``line`` and ``partner``), for the run's queries."""
        return SQL(
            """
              FROM %s
              JOIN res_partner partner ON partner.id = line.partner_id
              %s
             WHERE line.company_id = %s
               AND %s
            """,
            self._open_table(),
            join or SQL(),
            company_id,
            where or SQL("TRUE"),
        )

    @api.model
    def _of_customers(self, customer_ids):
        """A condition on ``line.partner_id``: the items of these customers
        (commercial entities) and their contacts. The contacts' ids are
        given as a list, so that the planner reads the customers' items
        through the partner index instead of scanning every journal item
        (a subquery's estimate made it scan them, once per run batch)."""
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM res_partner WHERE commercial_partner_id = ANY(%s)",
                sql_array(customer_ids, "int4"),
            )
        )
        return SQL(
            "line.partner_id = ANY(%s)",
            sql_array([row[0] for row in self.env.cr.fetchall()], "int4"),
        )

    @api.model
    def _field_domain(self, domain, *record_leaves):
        """``domain`` and ``record_leaves`` (``(field, operator, name)`` whose
        right side names a field of the form's record) as the string domain
        of a relational field, which the web client evaluates."""
        terms = [repr(term) for term in domain]
        terms += [f"({field!r}, {op!r}, {name})" for field, op, name in record_leaves]
        return f"[{', '.join(terms)}]"

    @api.model
    def _ledger_items(self, lines):
        """The ledger's items among ``lines`` (records, no query)."""
        return lines.filtered_domain(self._ledger_domain())

    @api.model
    def _open_items(self, lines):
        """The open receivable items among ``lines``."""
        return lines.filtered_domain(self._open_domain())

    @api.model
    def _owed_items(self, lines):
        """The open items among ``lines`` that the customer owes (not the
        credits waiting to be matched)."""
        return self._open_items(lines).filtered(lambda line: line.amount_residual > 0)

    # ------------------------------------------------------------------
    # What the run writes on the ledger
    # ------------------------------------------------------------------

    @api.model
    def _write_progress(self, day, progress):
        """Write a run's :class:`~..tools.collection_planner.Progress`: the
        stage each item reached on ``day``, and on each invoice its furthest
        item stage and the date its next stage falls due. Bulk SQL: the ORM
        would recompute the whole invoice for two informative columns."""
        if progress.item_stages:
            line_ids = sorted(progress.item_stages)
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO credit_collection_item_state
                           (move_line_id, stage_id, date)
                    SELECT v.id, v.stage_id, %s
                      FROM unnest(%s, %s) AS v(id, stage_id)
                    ON CONFLICT (move_line_id) DO UPDATE
                       SET stage_id = EXCLUDED.stage_id, date = EXCLUDED.date
                    """,
                    day,
                    sql_array(line_ids, "int4"),
                    sql_array(
                        [progress.item_stages[line_id] for line_id in line_ids], "int4"
                    ),
                )
            )
        move_ids = sorted(set(progress.invoice_stages) | set(progress.next_dates))
        if move_ids:
            # Locked as an UPDATE of the invoices would lock them: one that
            # another transaction changed since the run's snapshot (a
            # payment posted meanwhile) fails the batch with a
            # serialization failure, and the batch is done again on what is
            # committed. A share lock writes no row and no index entry.
            self.env.cr.execute(
                SQL(
                    "SELECT 1 FROM account_move WHERE id = ANY(%s) FOR SHARE",
                    sql_array(move_ids, "int4"),
                )
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO credit_collection_invoice_state
                           (move_id, stage_id, next_date)
                    SELECT v.id, v.stage_id, v.next_date
                      FROM unnest(%s, %s, %s) AS v(id, stage_id, next_date)
                    ON CONFLICT (move_id) DO UPDATE
                       SET stage_id = EXCLUDED.stage_id,
                           next_date = EXCLUDED.next_date
                    """,
                    sql_array(move_ids, "int4"),
                    sql_array(
                        [progress.invoice_stages.get(move_id) for move_id in move_ids],
                        "int4",
                    ),
                    sql_array(
                        [progress.next_dates.get(move_id) for move_id in move_ids],
                        "date",
                    ),
                )
            )
        self.env["credit.collection.item.state"].invalidate_model()
        self.env["credit.collection.invoice.state"].invalidate_model()
        self.env["account.move.line"].invalidate_model(
            ["collection_state_ids", "collection_stage_id"]
        )
        self.env["account.move"].invalidate_model(
            [
                "collection_invoice_state_ids",
                "collection_stage_id",
                "collection_level",
                "collection_next_date",
            ]
        )

    # ------------------------------------------------------------------
    # Database views built on the rule (``_collection_ledger_view = True``)
    # ------------------------------------------------------------------

    def init(self):
        """An addon that overrides the rule inherits this model, whose init
        runs when that addon is installed or upgraded: rebuild the database
        views that embed the rule (those already built: at the first
        install each view builds itself)."""
        result = super().init()
        for name, model_class in self.env.registry.items():
            if getattr(model_class, "_collection_ledger_view", False) and table_kind(
                self.env.cr, model_class._table
            ):
                self.env[name].init()
        return result
