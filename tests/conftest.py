"""Repository-level checks: helpers shared by the tests of this folder."""

import ast
import os
import subprocess
from pathlib import Path

import pytest

import odoo

REPO_ROOT = Path(__file__).resolve().parent.parent

# A test prints each figure it measured (volume, soak) after this; the
# run's summary repeats them, since pytest keeps the output of passing tests
# to itself.
FIGURES = "figures: "


def pytest_terminal_summary(terminalreporter):
    blocks = []
    for report in terminalreporter.stats.get("passed", []):
        # Odoo's test runner writes characters without a newline: a figure
        # may follow them on the line.
        lines = [
            line.partition(FIGURES)[2]
            for line in report.capstdout.splitlines()
            if report.when == "call" and FIGURES in line
        ]
        if lines:
            blocks.append((report.nodeid, lines))
    if blocks:
        terminalreporter.section("figures")
        for nodeid, lines in blocks:
            terminalreporter.write_line(nodeid)
            for line in lines:
                terminalreporter.write_line(f"    {line}")


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
