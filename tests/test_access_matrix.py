"""The access rights of every model of the addons, per group, are those the
README documents (section "Access rights"): the table there is the
contract, this test reads it and compares it with what Odoo grants."""

import re

import pytest

import odoo
from odoo import Command
from odoo.tools import config

from .conftest import REPO_ROOT

# The README's columns: the groups a user of each kind has (besides the
# internal or portal user group every user of that kind has).
COLUMNS = {
    "Employee": [],
    "Billing": ["account.group_account_invoice"],
    "Salesperson": ["sales_team.group_sale_salesman"],
    "Collector": ["credit_collection.group_credit_collection_user"],
    "Collections manager": ["credit_collection.group_credit_collection_manager"],
    "Portal": None,  # a portal user
}
OPERATIONS = (("r", "read"), ("w", "write"), ("c", "create"), ("d", "unlink"))
SECTION = re.compile(r"^## Access rights\n(.*?)(?=^## )", re.DOTALL | re.MULTILINE)


def documented():
    """``{model: {column: rights}}`` from the README's table."""
    section = SECTION.search((REPO_ROOT / "README.md").read_text()).group(1)
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]
    return {row[0].strip("`"): dict(zip(COLUMNS, row[1:], strict=True)) for row in rows}


def _user(env, column, groups):
    values = {"name": f"Matrix {column}", "login": f"matrix.{column.lower()}"}
    if groups is None:
        values["groups_id"] = [Command.set([env.ref("base.group_portal").id])]
    else:
        ids = [env.ref("base.group_user").id, *(env.ref(xmlid).id for xmlid in groups)]
        values["groups_id"] = [Command.set(ids)]
    return env["res.users"].with_context(no_reset_password=True).create(values)


def granted(env):
    """``{model: {column: rights}}`` as Odoo grants them, for every model of
    the addons that is not abstract."""
    users = {column: _user(env, column, groups) for column, groups in COLUMNS.items()}
    Access = env["ir.model.access"]
    table = {}
    for name in sorted(env.registry):
        if not name.startswith("credit.collection.") or env[name]._abstract:
            continue
        table[name] = {
            column: "".join(
                letter
                for letter, operation in OPERATIONS
                if Access.with_user(user).check(name, operation, raise_exception=False)
            )
            or "—"
            for column, user in users.items()
        }
    return table


def markdown(table):
    lines = [
        "| model | " + " | ".join(COLUMNS) + " |",
        "|---|" + "---|" * len(COLUMNS),
    ]
    for model, rights in table.items():
        lines.append(f"| `{model}` | " + " | ".join(rights.values()) + " |")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def env():
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        cr.rollback()


def test_rights_per_group_are_those_documented(env):
    actual = granted(env)
    assert documented() == actual, (
        "The README's access rights differ from the rights granted:\n"
        + markdown(actual)
    )
