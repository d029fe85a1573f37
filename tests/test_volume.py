"""The volume check (tests/benchmarks/bench_volume.py) at a reduced size:
two companies in two currencies, their runs, exports, dashboard and KPIs,
and the invariants the script checks. Full size (10,000 customers x 10
items per company): ``bash tools/bench.sh --volume``."""

import os
import subprocess
import sys

import pytest

import odoo

from .conftest import FIGURES, REPO_ROOT, install_db

SCRIPT = REPO_ROOT / "tests" / "benchmarks" / "bench_volume.py"
CUSTOMERS, ITEMS, LARGE = 150, 4, 100


@pytest.fixture(scope="module")
def volume_db():
    db = install_db(f"cc_volume_{os.getpid()}", "credit_collection_portal")
    yield db
    subprocess.run(["dropdb", "--if-exists", db], check=False)


def test_two_companies_two_currencies(volume_db):
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "-c",
            odoo.tools.config.rcfile,
            "-d",
            volume_db,
            "--customers",
            str(CUSTOMERS),
            "--items",
            str(ITEMS),
            "--large-customer",
            str(LARGE),
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    for line in done.stdout.splitlines():
        print(FIGURES + line)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert "(EUR)" in done.stdout, "company B books in another currency"
    assert f"aged balance: {2 * (CUSTOMERS * ITEMS + LARGE)} rows" in done.stdout
    assert done.stdout.count(f"({LARGE} items), median of 5: ") == 2
    # Timings are figures, printed with their targets, not checks.
    assert "\ntargets: " in done.stdout
    assert "checks: all hold" in done.stdout
