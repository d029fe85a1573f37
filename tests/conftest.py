"""Repository-level checks: helpers shared by the tests of this folder."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import odoo

from .live.server import OdooServer
from .live.smtp import SmtpSink
from .live.world import Live

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


def odoo_conf(path, addons_path):
    """The tests' Odoo configuration with another addons path, in ``path``."""
    lines = [
        f"addons_path = {addons_path}" if line.startswith("addons_path") else line
        for line in Path(odoo.tools.config.rcfile).read_text().splitlines()
    ]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def odoo_addons_path():
    """Odoo's own addons folders, as the tests' Odoo has them."""
    return ",".join(
        path
        for path in odoo.tools.config["addons_path"].split(",")
        if Path(path, "base", "__manifest__.py").exists()
        or Path(path, "web", "__manifest__.py").exists()
    )


def install_db(db, addons, *options, odoo_bin=None, config=None, demo=False):
    """A fresh database ``db`` with ``addons`` installed, without demo data
    unless ``demo``, by Odoo's command line (``odoo_bin``, else the tests'
    one) with the tests' configuration (or ``config``) and ``options``."""
    subprocess.run(["dropdb", "--if-exists", db], check=True)
    install = subprocess.run(
        [
            odoo_bin or os.environ.get("ODOO_BIN", "odoo"),
            "-c",
            config or odoo.tools.config.rcfile,
            "-d",
            db,
            "-i",
            addons,
            *([] if demo else ["--without-demo=all"]),
            "--stop-after-init",
            "--no-http",
            "--log-level=warn",
            *options,
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    return db


def run_bench_script(script, db, *args):
    """Run a benchmark script of ``tests/benchmarks`` on ``db`` with the
    tests' configuration; each line it prints is a figure of the run."""
    done = subprocess.run(
        [sys.executable, str(script), "-c", odoo.tools.config.rcfile, "-d", db, *args],
        check=False,
        capture_output=True,
        text=True,
    )
    for line in done.stdout.splitlines():
        print(FIGURES + line)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    return done.stdout


# Odoo logs these when the SMTP server drops the connection in the middle of
# a message (tests/test_live_mail.py does it on purpose).
EXPECTED_SERVER_ERRORS = (
    "odoo.addons.mail.models.mail_mail: Exception while processing mail",
    "odoo.addons.mail.models.mail_mail: Failed processing mail queue",
)


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """A real Odoo server (HTTP and cron) on a new database with every addon,
    sending through a real SMTP server on 127.0.0.1: shared by
    the tests that drive the product from outside (tests/test_live_*.py)."""
    db = f"cc_live_{os.getpid()}"
    if template := os.environ.get("CC_LIVE_TEMPLATE"):
        # While working on these tests: a copy of a database installed once.
        subprocess.run(["createdb", "-T", template, db], check=True)
    else:
        install_db(db, ",".join(addon.name for addon in repo_addons()))
    smtp = SmtpSink()
    smtp.start()
    server = OdooServer(
        odoo.tools.config.rcfile, db, tmp_path_factory.mktemp("live") / "server.log"
    )
    try:
        server.start()
        yield Live(server, smtp).configure()
        server.stop()
        # What the tests do not see, the server's log does: no error but
        # Odoo's own report of the connection the SMTP server drops.
        unexpected = [
            line
            for line in server.log().splitlines()
            if re.search(r" (ERROR|CRITICAL) ", line)
            and not any(expected in line for expected in EXPECTED_SERVER_ERRORS)
        ]
        assert not unexpected, "\n".join(unexpected)
    finally:
        server.stop()
        smtp.stop()
        subprocess.run(["dropdb", "--if-exists", db], check=False)
