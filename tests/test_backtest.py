"""The agenda's backtest (tests/benchmarks/bench_agenda_order.py) at a
reduced size: a world is built, the run plans and the agenda is scored, the
30 days are simulated for each order, the table and its checks printed.
Full size, the README's table: ``bash tools/bench.sh --backtest``."""

import ast
import os
import subprocess
from datetime import date, timedelta

import pytest

from .benchmarks.backtest_simulator import Entry, cash_in
from .benchmarks.backtest_world import Behaviour, Customer, Invoice
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
    assert "(foresight) | (hindsight)" in stdout
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


def test_the_simulator_plays_each_morning_agenda():
    """Each working day the collector takes that morning's agenda: an action
    done stays done, an action whose items are paid is passed over, and a
    customer's n-th action done gets its n-th drawn answer."""
    monday = date(2027, 1, 4)
    tuesday = monday + timedelta(days=1)
    due = monday - timedelta(days=20)
    # Never pays by itself; answers half of the calls, the next day.
    behaviour = Behaviour(
        "test", 1, "bad", lambda rng: None, {"email": 0.0, "phone": 0.5}, (1, 1)
    )
    # The first customer ignores its first call and answers its second.
    first = Customer(behaviour, "bad", 100, answers=[(0.9, 2), (0.1, 3)])
    second = Customer(behaviour, "bad", 100, answers=[(0.1, 1)])
    invoices = {
        10: Invoice(due, 1000.0),
        11: Invoice(due, 300.0),
        20: Invoice(due, 500.0, paid_on=monday),  # paid before any call
    }
    call_first = Entry(1, 1, "phone", 1000.0, 20, monday, 900.0, (10,))
    call_second = Entry(2, 2, "phone", 500.0, 20, monday, 950.0, (20,))
    call_again = Entry(3, 1, "phone", 300.0, 21, tuesday, 100.0, (11,))
    agendas = [(monday, [call_first, call_second]), (tuesday, [call_first, call_again])]
    customers = {1: first, 2: second}
    end = monday + timedelta(days=30)
    assert cash_in(agendas, customers, invoices, None, 0, end) == 500.0
    # One call a day: Monday the first customer's (the second's invoice is
    # paid), ignored; Tuesday not that call again but the next one,
    # answered: 300 more.
    assert cash_in(agendas, customers, invoices, "score", 1, end) == 800.0
    # Nothing answered when the collector stops after Monday's call.
    assert cash_in(agendas[:1], customers, invoices, "score", 1, end) == 500.0
