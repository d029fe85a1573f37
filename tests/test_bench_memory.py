"""The benchmark's workers report their own peak memory."""

import resource
import subprocess
import sys

from .conftest import REPO_ROOT

BALLAST_MB = 400


def test_a_worker_reports_its_own_peak_not_the_benchmarks():
    """The benchmark builds the ledger in memory, then starts its workers:
    each must report the memory it used, not the benchmark's (Linux's
    ru_maxrss carries the parent's peak over fork and exec; at 50,000
    customers every worker reported the benchmark's 694 MB)."""
    ballast = bytearray(BALLAST_MB * 1024 * 1024)
    for offset in range(0, len(ballast), 4096):  # resident, page by page
        ballast[offset] = 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 > BALLAST_MB
    worker = subprocess.run(
        [
            sys.executable,
            "-c",
            "from tests.benchmarks.run_worker import _peak_mb; print(_peak_mb())",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    del ballast
    peak = float(worker.stdout.strip().splitlines()[-1])
    # Odoo imported: tens of megabytes, far from the parent's ballast.
    assert 10 < peak < BALLAST_MB / 2
