"""A customer's collection history as an XLSX workbook: its chronology
(actions, promises, disputes, plans, payments, messages) and the items it
still owes."""

from odoo import fields

from .aged_balance import aged_balance_sheet
from .table import Column, selection_labels


def history_columns(env):
    _ = env._
    return [
        Column(_("Date"), 17, "datetime"),
        Column(_("What"), 18),
        Column(_("Description"), 50),
        Column(_("Channel"), 16),
        Column(_("Status"), 14),
        # Amounts of promises, disputes and payments do not add up together.
        Column(_("Amount"), 16, "money"),
        Column(_("Currency"), 9),
        Column(_("By"), 20),
    ]


def history_rows(customer, companies):
    Timeline = customer.env["credit.collection.timeline"]
    labels = selection_labels(Timeline, "kind", "channel")
    events = Timeline.search(
        [
            ("partner_id", "=", customer.id),
            ("company_id", "in", [False, *companies.ids]),
        ],
        order="date, id",
    )
    for event in events:
        yield (
            # In the reader's time zone, as dates show in Odoo.
            fields.Datetime.context_timestamp(event, event.date).replace(tzinfo=None)
            if event.date
            else None,
            labels["kind"].get(event.kind, ""),
            event.name or "",
            labels["channel"].get(event.channel, ""),
            event.state_label or "",
            event.amount,
            event.currency_id.name or "",
            event.user_id.name or "",
        )


def history_sheets(customer, companies):
    env = customer.env
    open_items = [
        ("partner_id", "=", customer.id),
        ("company_id", "in", companies.ids),
    ]
    return [
        (env._("History"), history_columns(env), history_rows(customer, companies)),
        aged_balance_sheet(env, open_items, name=env._("Open items")),
    ]
