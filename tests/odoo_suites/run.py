"""Run Odoo 18's own tests of the modules the addons extend on two fresh
databases, one without the addons and one with every addon of this
repository, side by side, and compare them: no test that passes without the
addons may fail with them. ``tools/odoo-suites.sh`` gives it Odoo and its
configuration; ``--baseline`` runs only the database without the addons and
writes the tests that fail on plain Odoo 18, with the reason, to
``plain_odoo_failures.txt``.

Exit status: 0 when no test fails or skips because of the addons, 1
otherwise, 2 when a run could not be read (a database that did not
install, a log without its summary)."""

import argparse
import ast
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.live.server import free_port
from tests.odoo_suites.results import (
    Comparison,
    LogNotUnderstood,
    parse_log,
)
from tests.odoo_suites.selection import (
    modules_with_addons,
    modules_without_addons,
    odoo_test_tags,
)

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
BASELINE_FILE = HERE / "plain_odoo_failures.txt"
# A side that takes longer than this is stuck (a browser that never returns).
SIDE_TIMEOUT = 75 * 60


def addon_depends(repo=REPO_ROOT):
    """Each addon of the repository and its manifest's ``depends``."""
    return {
        manifest.parent.name: ast.literal_eval(manifest.read_text()).get("depends", [])
        for manifest in sorted(repo.glob("*/__manifest__.py"))
    }


class Side:
    """One database and the run of Odoo's tests on it."""

    def __init__(self, name, modules, args):
        self.name = name
        self.db = f"cc_suites_{name}_{os.getpid()}"
        self.modules = modules
        self.log = Path(args.work) / f"{name}.log"
        self.args = args
        self.process = None
        self.started = self.seconds = None

    def start(self):
        subprocess.run(
            ["dropdb", "--if-exists", self.db], check=True, capture_output=True
        )
        self.log.unlink(missing_ok=True)
        command = [
            self.args.odoo_bin,
            "-c",
            self.args.config,
            "-d",
            self.db,
            "-i",
            ",".join(self.modules),
            "--without-demo=all",
            f"--test-tags={odoo_test_tags()}",
            "--stop-after-init",
            f"--http-port={free_port()}",
            "--log-level=info",
            f"--logfile={self.log}",
        ]
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    def wait(self):
        try:
            self.process.wait(timeout=SIDE_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.seconds = time.monotonic() - self.started
        subprocess.run(
            ["dropdb", "--if-exists", self.db], check=False, capture_output=True
        )

    def result(self):
        try:
            with self.log.open(errors="replace") as lines:
                return parse_log(line.rstrip("\n") for line in lines)
        except (OSError, LogNotUnderstood) as error:
            raise LogNotUnderstood(
                f"the database {self.name} ({self.log}): {error}"
            ) from error


def baseline_text(result, odoo_version):
    """The tests failing or skipped on plain Odoo 18, as ``--baseline``
    writes them."""
    counts = f"{result.run} tests, {result.failed} failed, {result.errors} error(s)"
    lines = [
        "# Odoo 18.0's own tests (tests/odoo_suites/selection.py) failing or",
        "# skipped on a database without the addons. Written by",
        "# `bash tools/odoo-suites.sh --baseline`; never edit it by hand.",
        f"# {odoo_version}, {datetime.date.today().isoformat()}: {counts}",
    ]
    for test, outcome in sorted({**result.failing(), **result.skipped()}.items()):
        lines.append(f"{test} [{outcome.status}] {outcome.reason}")
    return "\n".join(lines) + "\n"


def _odoo_version(odoo_bin):
    done = subprocess.run(
        [odoo_bin, "--version"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "Odoo (version unknown)"


def _failing_lines(text):
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--odoo-bin", required=True)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--work", required=True, help="folder of the logs")
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="run plain Odoo only and write its failing tests to "
        f"{BASELINE_FILE.relative_to(REPO_ROOT)}",
    )
    args = parser.parse_args(argv)
    depends = addon_depends()
    sides = [Side("plain", modules_without_addons(depends), args)]
    if not args.baseline:
        sides.append(Side("addons", modules_with_addons(depends), args))
    for side in sides:
        print(
            f"==> Odoo's tests, database {side.name}: {len(side.modules)} modules",
            file=sys.stderr,
            flush=True,
        )
        side.start()
    for side in sides:
        side.wait()
    try:
        results = [side.result() for side in sides]
    except LogNotUnderstood as error:
        print(f"error: Odoo's own tests could not be read: {error}", file=sys.stderr)
        return 2
    timing = ", ".join(f"{side.name} {side.seconds:.0f} s" for side in sides)
    baseline = baseline_text(results[0], _odoo_version(args.odoo_bin))
    if args.baseline:
        BASELINE_FILE.write_text(baseline)
        print(baseline, end="")
        print(f"Written to {BASELINE_FILE} ({timing}).")
        return 0
    comparison = Comparison(*results)
    print(comparison.report())
    print(f"Time (both databases at once): {timing}.")
    if _failing_lines(baseline) != _failing_lines(BASELINE_FILE.read_text()):
        print(
            f"Note: plain Odoo's failures differ from {BASELINE_FILE.name}; "
            "run `bash tools/odoo-suites.sh --baseline` and commit it."
        )
    return 0 if comparison.ok() else 1


if __name__ == "__main__":
    sys.exit(main())
