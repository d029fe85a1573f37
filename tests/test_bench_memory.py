"""The benchmark's workers report their own peak memory and CPU."""

import os
import resource
import subprocess
import sys
import time
from types import SimpleNamespace

import odoo

from tests.benchmarks.run_worker import _cpu_seconds

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


def test_a_worker_reports_its_cpu_and_its_postgresql_backends():
    """The two-worker run's figures: each worker's CPU and its backend's,
    told apart (the run's time on a shared machine is read against them)."""
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        env = SimpleNamespace(cr=cr)
        python_before, postgres_before = _cpu_seconds(env)
        cr.execute("SELECT sum(i) FROM generate_series(1, 3000000) i")
        python_between, postgres_between = _cpu_seconds(env)
        deadline = time.process_time() + 0.3
        while time.process_time() < deadline:
            pass
        python_after, postgres_after = _cpu_seconds(env)
    # the query: the backend's CPU, not this process's
    assert postgres_between - postgres_before > 0.1
    assert python_between - python_before < 0.1
    # this process's loop: its own CPU, not the backend's
    assert python_after - python_between >= 0.3
    assert postgres_after - postgres_between < 0.1


def test_a_backend_number_that_is_no_local_postgresql_is_not_read():
    """PostgreSQL on another machine: the process of that number here, if
    any, is somebody else's, and its CPU is not the backend's."""

    class RemoteCursor:
        def execute(self, _query):
            pass

        def fetchone(self):
            return (os.getpid(),)  # a process here, but not PostgreSQL

    python_seconds, postgres_seconds = _cpu_seconds(SimpleNamespace(cr=RemoteCursor()))
    assert python_seconds > 0
    assert postgres_seconds is None
