"""Repository-level checks: helpers shared by the tests of this folder."""

import ast
import os
import subprocess
from pathlib import Path

import pytest

import odoo

REPO_ROOT = Path(__file__).resolve().parent.parent


def repo_addons():
    """Every addon of the repository: a folder at its root with a manifest."""
    return sorted(p.parent for p in REPO_ROOT.glob("*/__manifest__.py"))


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


@pytest.fixture(params=repo_addons(), ids=lambda p: p.name)
def addon_dir(request):
    return request.param


def install_db(db, addons):
    """A fresh database ``db`` with ``addons`` installed, without demo data,
    by Odoo's command line with the tests' configuration."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    install = subprocess.run(
        [
            os.environ.get("ODOO_BIN", "odoo"),
            "-c",
            odoo.tools.config.rcfile,
            "-d",
            db,
            "-i",
            addons,
            "--without-demo=all",
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    return db
