"""The volume check (tests/benchmarks/bench_volume.py) at a reduced size:
two companies in two currencies, their runs, exports, dashboard and KPIs,
and the invariants the script checks. Full size (10,000 customers x 10
items per company): ``bash tools/bench.sh --volume``."""

import os
import subprocess

import pytest

from .conftest import REPO_ROOT, install_db, run_bench_script

SCRIPT = REPO_ROOT / "tests" / "benchmarks" / "bench_volume.py"
CUSTOMERS, ITEMS, LARGE = 150, 4, 100


@pytest.fixture(scope="module")
def volume_db():
    db = install_db(f"cc_volume_{os.getpid()}", "credit_collection_portal")
    yield db
    subprocess.run(["dropdb", "--if-exists", db], check=False)


def test_two_companies_two_currencies(volume_db):
    stdout = run_bench_script(
        SCRIPT,
        volume_db,
        "--customers",
        str(CUSTOMERS),
        "--items",
        str(ITEMS),
        "--large-customer",
        str(LARGE),
    )
    assert "(EUR)" in stdout, "company B books in another currency"
    assert f"aged balance: {2 * (CUSTOMERS * ITEMS + LARGE)} rows" in stdout
    assert stdout.count(f"({LARGE} items), median of 5: ") == 2
    # Timings are figures, printed with their targets, not checks.
    assert "\ntargets: " in stdout
    assert "checks: all hold" in stdout
