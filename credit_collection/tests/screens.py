"""The screens a collector or a credit manager opens after the morning run,
opened as Odoo's web client opens them: the window action's domain and
context, its search view's default filters and groupings, and the data calls
its view makes (``web_search_read`` / ``web_read_group`` for lists and
kanbans, one ``read_group`` per header of a pivot, ``web_read`` of a form
with the fields of its view). Shared by the query count tests and the
benchmark (``tools/bench.sh``), which times each screen right after the run.
"""

import time

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tools import safe_eval as safe
from odoo.tools.safe_eval import safe_eval

PAGE = 80  # a list's page (an opened group's too), as the web client asks
KANBAN_PAGE = 40  # the records of one kanban column
OPEN_GROUPS = 10  # the groups an expanded list opens
COUNT_LIMIT = 10000  # how far the web client counts a list's records
SUBLIST_PAGE = 40  # the lines of a one2many list in a form

AGENDA = "credit_collection.credit_collection_action_action"
CUSTOMERS = "credit_collection.res_partner_action_collection"


def _report(name):
    return f"credit_collection.credit_collection_{name}_action"


# (label, window action, view type, search defaults replacing the action's
# [, groups the user opens])
SCREENS = [
    ("dashboard card", _report("dashboard"), "kanban", None),
    ("agenda, my actions today", AGENDA, "list", None),
    ("agenda, to do", AGENDA, "list", {"todo": 1}),
    ("agenda, to do by collector", AGENDA, "list", {"todo": 1, "group_user": 1}),
    ("agenda, to do by stage", AGENDA, "list", {"todo": 1, "group_stage": 1}),
    ("agenda, kanban by date", AGENDA, "kanban", {"todo": 1}),
    ("effectiveness", _report("effectiveness"), "pivot", None),
    ("actions per collector", _report("action_analysis"), "pivot", None),
    ("promises kept", _report("promise_report"), "pivot", None),
    ("disputes", _report("dispute_report"), "pivot", None),
    ("aged balance", _report("aged_balance"), "pivot", None),
    ("customers by payer profile", CUSTOMERS, "list", None),
    ("customers, a profile opened", CUSTOMERS, "list", None, 1),
    ("customer's collection tab", CUSTOMERS, "form", None),
    ("the run's form", _report("run"), "form", None),
]


def eval_context(env):
    """What the web client's domains and contexts are evaluated with."""
    return {
        "uid": env.uid,
        "context_today": lambda: fields.Date.context_today(env.user),
        "datetime": safe.datetime,
        "relativedelta": relativedelta,
        "time": safe.time,
        "active_id": False,
        "active_ids": [],
    }


def open_screen(
    env, xmlid, view_type, search_defaults=None, opened_groups=0, record=None
):
    """Open the screen; returns how many rows (records, groups, or both) it
    shows. ``opened_groups``: of a folded grouped list, how many groups the
    user opens (the largest first). ``record`` is the record a form opens
    (its latest one otherwise)."""
    action = env["ir.actions.act_window"]._for_xml_id(xmlid)
    context = safe_eval(action.get("context") or "{}", eval_context(env))
    Model = env[action["res_model"]].with_context(**context)
    domain = safe_eval(action.get("domain") or "[]", eval_context(env))
    view_ids = {kind: view_id for view_id, kind in action.get("views") or []}
    search_view = action.get("search_view_id")
    views = Model.get_views(
        [
            (view_ids.get(view_type), view_type),
            (search_view[0] if search_view else False, "search"),
        ]
    )["views"]
    arch = etree.fromstring(views[view_type]["arch"])
    if view_type == "form":
        record = record or Model.search([], order="id desc", limit=1)
        return len(record.web_read(_specification(Model, arch)))
    if search_defaults is None:
        search_defaults = {
            key[len("search_default_") :]: value
            for key, value in Model.env.context.items()
            if key.startswith("search_default_") and value
        }
    search_arch = etree.fromstring(views["search"]["arch"])
    filters_domain, groupby = _search_defaults(env, search_arch, search_defaults)
    domain = domain + filters_domain
    if view_type == "pivot":
        return _open_pivot(Model, arch, domain)
    if view_type == "kanban" and not groupby and arch.get("default_group_by"):
        groupby = [arch.get("default_group_by")]
    spec = _specification(Model, arch)
    if not groupby:
        return len(_list_page(Model, domain, spec))
    aggregates = [
        f"{name}:{Model._fields[name].aggregator}"
        for name in spec
        if getattr(Model._fields[name], "aggregator", None)
        and Model._fields[name].store
    ]
    groups = Model.web_read_group(domain, aggregates, groupby[:1], limit=PAGE)["groups"]
    if view_type == "kanban":
        # Each column shows its first records.
        for group in groups:
            Model.web_search_read(group["__domain"], spec, limit=KANBAN_PAGE)
        return len(groups)
    # An expanded list opens its first groups; a folded one, those the user
    # clicks: here the largest. Each shows its first page.
    if arch.get("expand") in ("1", "True", "true"):
        opened = groups[:OPEN_GROUPS]
    else:
        count = f"{groupby[0].split(':')[0]}_count"
        opened = sorted(groups, key=lambda group: -group[count])[:opened_groups]
    records = [_list_page(Model, group["__domain"], spec) for group in opened]
    return len(groups) + sum(map(len, records))


def _list_page(Model, domain, spec):
    """A list's first page (an opened group's), as the web client reads it."""
    return Model.web_search_read(domain, spec, limit=PAGE, count_limit=COUNT_LIMIT + 1)[
        "records"
    ]


def time_screen(env, *screen, record=None):
    """Seconds and SQL queries to open ``screen`` in a fresh cache (the
    view's architecture, which the web client keeps, loaded before)."""
    open_screen(env, *screen, record=record)
    env.invalidate_all()
    queries = env.cr.sql_log_count
    started = time.perf_counter()
    rows = open_screen(env, *screen, record=record)
    return time.perf_counter() - started, env.cr.sql_log_count - queries, rows


def _search_defaults(env, search_arch, defaults):
    domain, groupby = [], []
    for node in search_arch.iter("filter"):
        if not defaults.get(node.get("name")):
            continue
        if node.get("domain"):
            domain += safe_eval(node.get("domain"), eval_context(env))
        if node.get("context"):
            group = safe_eval(node.get("context"), eval_context(env)).get("group_by")
            groupby += [group] if isinstance(group, str) else list(group or [])
    return domain, groupby


def _open_pivot(Model, arch, domain):
    """A pivot reads one group per combination of its row and column
    headers' first levels, as the web client does when it opens."""
    nodes = list(arch.iter("field"))

    def groupby(kind):
        return [
            f"{node.get('name')}:{node.get('interval')}"
            if node.get("interval")
            else node.get("name")
            for node in nodes
            if node.get("type") == kind
        ][:1]

    measures = [
        f"{node.get('name')}:{Model._fields[node.get('name')].aggregator}"
        for node in nodes
        if node.get("type") == "measure"
    ] or ["__count"]
    rows, cols = groupby("row"), groupby("col")
    combinations = {tuple(row + col) for row in ([], rows) for col in ([], cols)}
    return sum(
        len(Model.read_group(domain, measures, list(combination), lazy=False))
        for combination in combinations
    )


def _specification(Model, arch):
    """The fields a view reads, as the web client's ``specification``:
    many2one's names, and the lines of one2many lists (first page)."""
    spec = {}
    for node in _own_fields(arch):
        field = Model._fields.get(node.get("name"))
        if field is None:
            continue
        if field.type == "many2one":
            spec[field.name] = {"fields": {"display_name": {}}}
        elif field.type in ("one2many", "many2many"):
            sublist = next(iter(node.iterchildren("list", "kanban")), None)
            if sublist is not None:
                Comodel = Model.env[field.comodel_name]
                spec[field.name] = {
                    "fields": _specification(Comodel, sublist),
                    "limit": SUBLIST_PAGE,
                }
            else:
                spec[field.name] = {"fields": {"display_name": {}}}
        else:
            spec[field.name] = {}
    return spec


def _own_fields(node):
    """The view's fields, not those of the views nested in its fields."""
    for child in node.iterchildren():
        if not isinstance(child.tag, str):
            continue
        if child.tag == "field":
            yield child
        else:
            yield from _own_fields(child)
