"""An addon that overrides the receivable ledger's rule, installed as an
administrator would install it: the database views built on the rule (the
aged balance) follow it at its install, an update of the collection addon
keeps them on it, and once the addon is uninstalled that update brings them
back to the default rule (README, *Architecture*)."""

import os
import subprocess
import textwrap

import pytest

from .conftest import REPO_ROOT, install_db, odoo_addons_path, odoo_conf

ODOO_BIN = os.environ.get("ODOO_BIN", "odoo")
EXAMPLE = "cc_ledger_rule_example"
# A journal code no test data uses: the override is seen in the view's SQL.
LEFT_OUT = "FACTX"


def write_example_addon(root):
    """An addon leaving the journal ``LEFT_OUT`` out of collection, as the
    README's architecture notes show."""
    addon = root / EXAMPLE
    (addon / "models").mkdir(parents=True)
    (addon / "__manifest__.py").write_text(
        repr(
            {
                "name": "Ledger rule example",
                "version": "18.0.1.0.0",
                "depends": ["credit_collection"],
                "license": "AGPL-3",
            }
        )
    )
    (addon / "__init__.py").write_text("from . import models\n")
    (addon / "models" / "__init__.py").write_text("from . import ledger\n")
    (addon / "models" / "ledger.py").write_text(
        textwrap.dedent(
            f"""
            from odoo import models
            from odoo.osv.expression import AND


            class CreditCollectionLedger(models.AbstractModel):
                _inherit = "credit.collection.ledger"

                def _ledger_domain(self):
                    return AND(
                        [
                            super()._ledger_domain(),
                            [("journal_id.code", "!=", {LEFT_OUT!r})],
                        ]
                    )
            """
        )
    )


def odoo(config, db, *args):
    result = subprocess.run(
        [ODOO_BIN, "-c", config, "-d", db, *args, "--stop-after-init", "--no-http"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def aged_balance_follows_the_override(db):
    sql = subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-Atc",
            "SELECT pg_get_viewdef('credit_collection_aged_balance')",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "asset_receivable" in sql
    return LEFT_OUT in sql


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ledger_addon")
    write_example_addon(tmp / "addons")
    config = odoo_conf(
        tmp / "odoo.conf", f"{odoo_addons_path()},{REPO_ROOT},{tmp / 'addons'}"
    )
    db = f"cc_ledger_addon_{os.getpid()}"
    try:
        yield install_db(db, "credit_collection", config=config), config
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)


def test_the_views_follow_an_addon_that_overrides_the_rule(database):
    db, config = database
    assert not aged_balance_follows_the_override(db)
    odoo(config, db, "-i", EXAMPLE)
    assert aged_balance_follows_the_override(db)
    # Updating the collection addon rebuilds its view on the rule in force.
    odoo(config, db, "-u", "credit_collection")
    assert aged_balance_follows_the_override(db)
    uninstall = subprocess.run(
        [ODOO_BIN, "shell", "-c", config, "-d", db, "--no-http"],
        input=(
            "env['ir.module.module'].search([('name', '=', "
            f"{EXAMPLE!r})]).button_immediate_uninstall()\nenv.cr.commit()\n"
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert uninstall.returncode == 0, uninstall.stderr[-3000:]
    odoo(config, db, "-u", "credit_collection")
    assert not aged_balance_follows_the_override(db)
