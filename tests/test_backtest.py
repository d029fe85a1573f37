"""The agenda's backtest (tests/benchmarks/bench_agenda_order.py) at a
reduced size: a world is built, the run plans and the agenda is scored, the
30 days are simulated for each order, the table and its checks printed.
Full size, the README's table: ``bash tools/bench.sh --backtest``."""

import ast
import os
import subprocess

import pytest

from .conftest import REPO_ROOT, install_db, run_bench_script

BENCHMARKS = REPO_ROOT / "tests" / "benchmarks"
SCRIPT = BENCHMARKS / "bench_agenda_order.py"


@pytest.fixture(scope="module")
def backtest_db():
    db = install_db(f"cc_backtest_{os.getpid()}", "credit_collection")
    yield db
    subprocess.run(["dropdb", "--if-exists", db], check=False)


def test_the_backtest_compares_the_orders(backtest_db):
    stdout = run_bench_script(
        SCRIPT,
        backtest_db,
        "--customers",
        "300",
        "--history-days",
        "150",
        "--seeds",
        "1,2",
        "--per-day",
        "3,10",
    )
    header = "seed | K/day | score | amount due | days overdue | planned date"
    assert header in stdout
    rows = [line for line in stdout.splitlines() if line.startswith(("1 |", "2 |"))]
    assert len(rows) == 4, "two seeds, two numbers of actions a day"
    assert "checks: all hold" in stdout
    # The gains are figures, printed with their target, not checks.
    assert "Target (+15% over the best other order" in stdout


def test_the_simulator_knows_nothing_of_the_score():
    """The world and the simulator read and write the models' public data
    only: no import of the addon's code (its score, its tools)."""
    for name in ("backtest_world.py", "backtest_simulator.py"):
        tree = ast.parse((BENCHMARKS / name).read_text())
        imported = {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        } | {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert not [module for module in imported if "credit_collection" in module], (
            name,
            imported,
        )
