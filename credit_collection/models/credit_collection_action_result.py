from odoo import api, fields, models
from odoo.tools import SQL

RESULT_FIELDS = [
    "result_next_date",
    "result_amount_due",
    "result_amount_paid",
    "result_last_paid_date",
]


# One of the files that extend the action, each with what it holds (see
# credit_collection_action.py): one class per file by design.
class CreditCollectionAction(models.Model):
    """What each done action brought in: what its items still owed when it
    was done, and what the customer paid on them before the next action
    done for that customer (or since, for the last one).

    Kept on the action, refreshed when an action is done and when its items
    are paid or unpaid, rather than worked out from every payment each time
    the effectiveness is read: that read grows with the whole history of
    actions done (a year of daily runs is hundreds of thousands), and a
    pivot reads it once per header.

    Payments only: a credit note settles an item without the customer
    paying, so it is left out of both what was paid and what was due."""

    _inherit = "credit.collection.action"  # pylint: disable=consider-merging-classes-inherited

    result_next_date = fields.Date(
        string="Next action on",
        readonly=True,
        copy=False,
        help="The payments counted for the action stop at the next action "
        "done for the customer.",
    )
    result_amount_due = fields.Monetary(
        string="Due when done",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="What the items of the action still owed when it was done, "
        "credit notes issued before the next action left out.",
    )
    result_amount_paid = fields.Monetary(
        string="Paid after",
        currency_field="currency_id",
        readonly=True,
        copy=False,
        help="What the customer paid on the items of the action before the "
        "next action done for the customer.",
    )
    result_last_paid_date = fields.Date(
        string="Last paid on",
        readonly=True,
        copy=False,
        help="The day of the last payment counted for the action.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions.filtered(lambda action: action.state == "done")._results_after_done()
        return actions

    def write(self, vals):
        # A done action whose message bounced is done no more: the earlier
        # actions' payments no longer stop at it.
        undone = self.browse()
        if vals.get("state", "done") != "done":
            undone = self.filtered(lambda action: action.state == "done")
        result = super().write(vals)
        # collection_measure_later: a caller marking many actions done one by
        # one measures them itself, once.
        if vals.get("state") == "done" and not self.env.context.get(
            "collection_measure_later"
        ):
            self._results_after_done()
        undone._results_after_done()
        return result

    @api.model
    def _acted_on_sql(self, alias="action"):
        """The day an action counts from, in SQL: the day it was done, or
        its planned day if it was not done through the agenda."""
        return SQL(
            "COALESCE(%s.done_date::date, %s.date)",
            SQL.identifier(alias),
            SQL.identifier(alias),
        )

    def _results_after_done(self):
        """These actions were just done (or are done no more): measure them,
        and the customer's earlier done actions whose payments stop at
        them."""
        if self:
            self._measure(
                SQL(
                    """
                    SELECT earlier.id
                      FROM credit_collection_action done
                      JOIN credit_collection_action earlier
                        ON earlier.partner_id = done.partner_id
                       AND earlier.company_id = done.company_id
                       AND earlier.state = 'done'
                       AND (earlier.id = done.id
                            OR earlier.result_next_date IS NULL
                            OR earlier.result_next_date >= %s)
                     WHERE done.id = ANY(%s)
                    """,
                    self._acted_on_sql("done"),
                    self.ids,
                )
            )

    @api.model
    def _results_for_items(self, lines):
        """Payments on ``lines`` came or went: measure again the done actions
        that concern them."""
        if lines:
            self._measure(
                SQL(
                    """
                    SELECT rel.credit_collection_action_id
                      FROM account_move_line_credit_collection_action_rel rel
                      JOIN credit_collection_action action
                        ON action.id = rel.credit_collection_action_id
                       AND action.state = 'done'
                     WHERE rel.account_move_line_id = ANY(%s)
                    """,
                    lines.ids,
                )
            )

    @api.model
    def _measure(self, actions):
        """Measure again, in one statement, the done actions whose ids the
        query ``actions`` selects: the next action done for the customer,
        then per item what was paid before the action, and paid or credited
        before the next one."""
        self.flush_model(
            ["state", "date", "done_date", "partner_id", "company_id", "move_line_ids"]
        )
        self.env["account.move.line"].flush_model(["balance", "move_id"])
        self.env["account.move"].flush_model(["move_type"])
        self.env["account.partial.reconcile"].flush_model(
            ["amount", "max_date", "debit_move_id", "credit_move_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                WITH target(id) AS (
                    %(actions)s
                ), ordered AS (
                    SELECT action.id,
                           %(acted_on)s AS date,
                           LEAD(%(acted_on)s) OVER (
                               PARTITION BY action.company_id, action.partner_id
                               ORDER BY %(acted_on)s, action.id
                           ) AS next_date
                      FROM credit_collection_action action
                     WHERE action.state = 'done'
                       AND action.partner_id IN (
                           SELECT partner_id FROM credit_collection_action
                            WHERE id IN (SELECT id FROM target))
                ), windowed AS (
                    SELECT * FROM ordered WHERE id IN (SELECT id FROM target)
                ), items AS (
                    %(items)s
                ), totals AS (
                    SELECT action_id, SUM(balance - before - credited) AS due,
                           SUM(paid) AS paid, MAX(last_paid) AS last_paid
                      FROM items
                  GROUP BY action_id
                )
                UPDATE credit_collection_action action
                   SET result_next_date = windowed.next_date,
                       result_amount_due = COALESCE(totals.due, 0),
                       result_amount_paid = LEAST(COALESCE(totals.paid, 0),
                                                  COALESCE(totals.due, 0)),
                       result_last_paid_date = totals.last_paid
                  FROM windowed
             LEFT JOIN totals ON totals.action_id = windowed.id
                 WHERE action.id = windowed.id
                """,
                actions=actions,
                acted_on=self._acted_on_sql(),
                items=self._items_paid_sql(),
            )
        )
        self.invalidate_model(RESULT_FIELDS)

    @api.model
    def _items_paid_sql(self):
        """Per action of ``windowed`` (its id, date and the next action's)
        and per debit item of it: its balance, what was paid before the
        action, paid and credited between the action and the next one, and
        the day of the last payment in that window."""
        return SQL(
            """
                SELECT windowed.id AS action_id, line.balance,
                       COALESCE(SUM(partial.amount) FILTER (
                           WHERE partial.max_date < windowed.date), 0)
                           AS before,
                       COALESCE(SUM(partial.amount) FILTER (
                           WHERE %(in_window)s AND NOT %(refund)s), 0)
                           AS paid,
                       COALESCE(SUM(partial.amount) FILTER (
                           WHERE %(in_window)s AND %(refund)s), 0)
                           AS credited,
                       MAX(partial.max_date) FILTER (
                           WHERE %(in_window)s AND NOT %(refund)s)
                           AS last_paid
                  FROM windowed
                  JOIN account_move_line_credit_collection_action_rel rel
                    ON rel.credit_collection_action_id = windowed.id
                  JOIN account_move_line line
                    ON line.id = rel.account_move_line_id
                   AND line.balance > 0
                  LEFT JOIN account_partial_reconcile partial
                    ON partial.debit_move_id = line.id
                  LEFT JOIN account_move_line counterpart
                    ON counterpart.id = partial.credit_move_id
                  LEFT JOIN account_move counter_move
                    ON counter_move.id = counterpart.move_id
              GROUP BY windowed.id, line.id
            """,
            in_window=SQL(
                "(partial.max_date >= windowed.date AND (windowed.next_date "
                "IS NULL OR partial.max_date < windowed.next_date))"
            ),
            refund=SQL("COALESCE(counter_move.move_type = 'out_refund', FALSE)"),
        )

    def init(self):
        result = super().init()
        # Done actions not measured yet (those of a release that did not keep
        # the measure): measured once, on install or upgrade.
        self._measure(
            SQL(
                "SELECT id FROM credit_collection_action "
                "WHERE state = 'done' AND result_amount_due IS NULL"
            )
        )
        return result
