"""Collection actions (the agenda, or any selection of actions) as XLSX
rows, read a page at a time in the agenda's order: what acting is expected
to bring in first."""

from odoo.osv import expression
from odoo.tools import SQL

from .table import Column, selection_labels

PAGE_SIZE = 2000
PAGE_FIELDS = [
    "date",
    "date_bucket",
    "partner_id",
    "stage_id",
    "channel",
    "user_id",
    "state",
    "amount_overdue",
    "amount_due",
    "expected_recovery",
    "outcome",
    "comment",
]


def agenda_columns(env):
    _ = env._
    return [
        Column(_("Planned date"), 12, "date"),
        Column(_("When"), 12),
        Column(_("Customer"), 32),
        Column(_("Phone"), 18),
        Column(_("Stage"), 20),
        Column(_("Channel"), 16),
        Column(_("Collector"), 20),
        Column(_("Status"), 10),
        Column(_("Amount overdue"), 16, "money", True),
        Column(_("Amount due"), 16, "money", True),
        Column(_("Expected recovery"), 16, "money", True),
        Column(_("Why"), 60),
        Column(_("Payer profile"), 18),
        Column(_("Invoices"), 30),
        Column(_("Outcome"), 14),
        Column(_("Comment"), 40),
    ]


def _pages(env, domain):
    """The actions matching ``domain``, the most expected to bring in
    first, a page at a time (keyset: each page starts after the last one
    read), dropped from memory once written."""
    Action = env["credit.collection.action"]
    after = []
    while True:
        actions = Action.search(
            domain + after, order="expected_recovery desc, id", limit=PAGE_SIZE
        )
        if not actions:
            return
        yield actions
        last = actions[-1]
        after = expression.OR(
            [
                [("expected_recovery", "<", last.expected_recovery)],
                [
                    ("expected_recovery", "=", last.expected_recovery),
                    ("id", ">", last.id),
                ],
            ]
        )
        env.invalidate_all()


def _invoice_names(env, actions):
    """``{action id: "INV/1, INV/2"}``: the invoices of each action, in one
    query (through the ORM, every field of 5 items and 5 invoices per action
    was read: most of the export's time)."""
    Action = env["credit.collection.action"]
    Action.flush_model(["move_line_ids"])
    env["account.move"].flush_model(["name"])
    relation = Action._fields["move_line_ids"]
    rows = env.execute_query(
        SQL(
            """
            SELECT rel.%(action)s, string_agg(DISTINCT move.name, ', ')
              FROM %(relation)s rel
              JOIN account_move_line line ON line.id = rel.%(line)s
              JOIN account_move move ON move.id = line.move_id
             WHERE rel.%(action)s = ANY(%(ids)s)
          GROUP BY 1
            """,
            relation=SQL.identifier(relation.relation),
            action=SQL.identifier(relation.column1),
            line=SQL.identifier(relation.column2),
            ids=actions.ids,
        )
    )
    return dict(rows)


def agenda_rows(env, domain):
    Action = env["credit.collection.action"]
    labels = selection_labels(
        Action, "date_bucket", "channel", "state", "payer_profile", "outcome"
    )
    for actions in _pages(env, domain):
        # Only the fields written: reading one field of a record loads all
        # of its model's stored columns.
        actions.fetch(PAGE_FIELDS)
        actions.partner_id.fetch(["complete_name", "phone", "mobile"])
        invoices = _invoice_names(env, actions)
        for action in actions:
            customer = action.partner_id
            yield (
                action.date,
                labels["date_bucket"].get(action.date_bucket, ""),
                customer.complete_name,
                customer.phone or customer.mobile or "",
                action.stage_id.display_name or "",
                labels["channel"].get(action.channel, ""),
                action.user_id.name or "",
                labels["state"].get(action.state, ""),
                action.amount_overdue,
                action.amount_due,
                action.expected_recovery,
                action.recovery_reason or "",
                labels["payer_profile"].get(action.payer_profile, ""),
                invoices.get(action.id, ""),
                labels["outcome"].get(action.outcome, ""),
                action.comment or "",
            )


def agenda_sheet(env, domain):
    return (env._("Collection actions"), agenda_columns(env), agenda_rows(env, domain))
