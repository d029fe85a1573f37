"""The daily run across real processes: two runs at once (and a customer
promising on the portal meanwhile), and a worker that dies between two
batches or inside one. Each case gets its own copy of one generated
database, so that every run starts from the same ledger."""

import json
import os
import subprocess
import sys
import time

import pytest

import odoo

from .conftest import REPO_ROOT, install_db

WORKER = REPO_ROOT / "tests" / "benchmarks" / "run_worker.py"
CUSTOMERS, ITEMS, BATCH = 120, 3, 10


def _psql(db, query):
    return subprocess.run(
        ["psql", "-d", db, "-Atc", query], check=True, capture_output=True, text=True
    ).stdout.strip()


def _worker(db, *args):
    return [
        sys.executable,
        str(WORKER),
        "-c",
        odoo.tools.config.rcfile,
        "-d",
        db,
        *args,
    ]


def _run(db, *args, check=True):
    done = subprocess.run(
        _worker(db, "run", *args), check=False, capture_output=True, text=True
    )
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def _at_once(commands):
    """Run the worker ``commands`` as processes at the same time; returns the
    JSON line each printed (all must succeed)."""
    workers = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for command in commands
    ]
    outputs = [worker.communicate(timeout=600) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * len(workers), outputs
    return [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]


def _result(done):
    return json.loads(done.stdout.strip().splitlines()[-1])


def _action_rows(db):
    """(customer, run day, state) of every action: what must never double."""
    return _psql(
        db,
        "SELECT partner_id, run_date, count(*) FROM credit_collection_action "
        "GROUP BY 1, 2 ORDER BY 1, 2",
    ).splitlines()


@pytest.fixture(scope="module")
def template_db():
    db = install_db(f"cc_proc_template_{os.getpid()}", "credit_collection")
    generate = subprocess.run(
        _worker(db, "generate", "--customers", str(CUSTOMERS), "--items", str(ITEMS)),
        check=False,
        capture_output=True,
        text=True,
    )
    assert generate.returncode == 0, generate.stderr[-3000:]
    # A company that works every day: the tests run on any day of the week,
    # and a run on a day off plans its reminders for the next working day
    # (nothing would be due to send on a weekend).
    _psql(db, "UPDATE res_company SET resource_calendar_id = NULL")
    yield db
    subprocess.run(["dropdb", "--if-exists", db], check=False)


@pytest.fixture
def copy_db(template_db, request):
    copies = []

    def make():
        db = f"{template_db}_{len(copies)}_{request.node.name[:20]}".lower()
        subprocess.run(["dropdb", "--if-exists", db], check=True)
        subprocess.run(["createdb", "-T", template_db, db], check=True)
        copies.append(db)
        return db

    yield make
    for db in copies:
        subprocess.run(["dropdb", "--if-exists", db], check=False)


@pytest.fixture
def expected_actions(copy_db):
    """What one uninterrupted run does on the ledger."""
    db = copy_db()
    result = _result(_run(db, "--batch-size", str(BATCH)))
    assert result["state"] == "done" and result["actions"] > 0
    return _action_rows(db)


def test_two_runs_at_once_make_each_action_once(copy_db, expected_actions):
    db = copy_db()
    results = _at_once([_worker(db, "run", "--batch-size", str(BATCH))] * 2)
    # Both processes worked on one run (sharing its batches), or the second
    # started after the first had finished and found nothing left to do.
    runs = {result["run"] for result in results}
    assert len(runs) == 1 or min(result["actions"] for result in results) == 0
    assert (
        _psql(
            db,
            "SELECT count(*) FROM credit_collection_run_batch WHERE state = 'pending'",
        )
        == "0"
    )
    assert _action_rows(db) == expected_actions


def test_worker_killed_between_batches_then_rerun_completes(copy_db, expected_actions):
    db = copy_db()
    died = _run(
        db, "--batch-size", str(BATCH), "--max-batches", "2", "--die-after", check=False
    )
    assert died.returncode == 3, died.stderr[-3000:]
    assert _result(died)["batches"] == 2
    # The two committed batches stay; the run is left unfinished.
    assert _psql(db, "SELECT state FROM credit_collection_run") == "running"
    assert _psql(
        db,
        "SELECT state, count(*) FROM credit_collection_run_batch GROUP BY 1 ORDER BY 1",
    ).splitlines() == ["done|2", f"pending|{CUSTOMERS // BATCH - 2}"]
    assert 0 < len(_action_rows(db)) < len(expected_actions)
    resumed = _result(_run(db, "--batch-size", str(BATCH)))
    assert resumed["state"] == "done"
    assert _psql(db, "SELECT count(*) FROM credit_collection_run") == "1"
    assert _action_rows(db) == expected_actions


def test_worker_killed_inside_a_batch_then_rerun_completes(copy_db, expected_actions):
    """The process dies in the middle of its third batch, actions created but
    not committed: that batch is lost whole and stays pending; the rerun
    completes the run, nothing doubled, nothing missing."""
    db = copy_db()
    died = _run(db, "--batch-size", str(BATCH), "--die-inside", "2", check=False)
    assert died.returncode == 4, died.stderr[-3000:]
    assert _psql(
        db,
        "SELECT state, count(*) FROM credit_collection_run_batch GROUP BY 1 ORDER BY 1",
    ).splitlines() == ["done|2", f"pending|{CUSTOMERS // BATCH - 2}"]
    # Only the two committed batches' actions exist: none of the third.
    assert _psql(db, "SELECT count(*) FROM credit_collection_action") == _psql(
        db,
        "SELECT sum(action_count) FROM credit_collection_run_batch "
        "WHERE state = 'done'",
    )
    assert 0 < len(_action_rows(db)) < len(expected_actions)
    resumed = _result(_run(db, "--batch-size", str(BATCH)))
    assert resumed["state"] == "done"
    assert _action_rows(db) == expected_actions


def test_serialization_failure_inside_a_batch_is_retried(copy_db, expected_actions):
    """Another transaction updates a batch's invoices while the batch works
    on them: the batch meets PostgreSQL's serialization failure, is rolled
    back and done again on what is committed, and the run completes as if
    nothing happened."""
    db = copy_db()
    result = _result(_run(db, "--batch-size", str(BATCH), "--conflict-inside", "1"))
    assert result["state"] == "done"
    # The second batch was processed twice, every other once.
    processed = sorted(result["processed"].items(), key=lambda pair: int(pair[0]))
    assert [count for _batch, count in processed] == [1, 2] + [1] * (
        CUSTOMERS // BATCH - 2
    )
    assert (
        _psql(
            db,
            "SELECT state, count(*) FROM credit_collection_run_batch GROUP BY 1",
        )
        == f"done|{CUSTOMERS // BATCH}"
    )
    assert _action_rows(db) == expected_actions


def _first_customer(db):
    return int(
        _psql(
            db,
            "SELECT partner_id FROM account_move WHERE move_type = 'out_invoice' "
            "ORDER BY id LIMIT 1",
        )
    )


def _promise_states(db, customer):
    return _psql(
        db,
        "SELECT state, count(*) FROM credit_collection_promise "
        f"WHERE partner_id = {customer} GROUP BY 1",
    )


def test_portal_promise_meeting_a_concurrent_update_is_served_again(copy_db):
    """The promise's item changes under it (a run's batch advancing it): the
    promise meets a serialization failure, is served again as Odoo's HTTP
    layer serves a portal request, and is recorded once."""
    db = copy_db()
    customer = _first_customer(db)
    done = subprocess.run(
        _worker(db, "promise", "--partner-id", str(customer), "--conflict"),
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert _result(done)["tries"] == 2
    assert "SERIALIZATION_FAILURE, 4 tries left" in done.stderr
    assert _promise_states(db, customer) == "open|1"


def test_two_runs_and_a_portal_promise_at_once(copy_db, expected_actions):
    """Two runs and a customer promising on the portal, at the same moment,
    on the same ledger: every process succeeds, the promise is recorded,
    no customer gets two actions, and no other customer's action changes."""
    db = copy_db()
    customer = _first_customer(db)
    start_at = time.time() + 8
    commands = [
        _worker(db, "run", "--batch-size", str(BATCH), "--start-at", str(start_at)),
        _worker(db, "run", "--batch-size", str(BATCH), "--start-at", str(start_at)),
        _worker(
            db, "promise", "--partner-id", str(customer), "--start-at", str(start_at)
        ),
    ]
    _at_once(commands)
    assert _promise_states(db, customer) == "open|1"
    assert (
        _psql(
            db,
            "SELECT count(*) FROM credit_collection_run_batch WHERE state = 'pending'",
        )
        == "0"
    )
    rows = _action_rows(db)
    assert all(row.endswith("|1") for row in rows), rows
    # The promise may land before or after its customer's batch: that
    # customer has at most its one action; every other is as without it.
    others = [row for row in rows if not row.startswith(f"{customer}|")]
    expected_others = [
        row for row in expected_actions if not row.startswith(f"{customer}|")
    ]
    assert others == expected_others


def test_two_senders_at_once_send_each_reminder_once(copy_db):
    db = copy_db()
    _run(db, "--batch-size", str(BATCH))
    due = "FROM credit_collection_action WHERE auto AND state = 'todo'"
    reminders = int(_psql(db, f"SELECT count(*) {due}"))
    assert reminders > 6
    # As the scheduled sending and its second worker do, two at a time.
    start_at = str(time.time() + 15)
    send = _worker(db, "send", "--chunk", "2", "--no-pdf", "--start-at", start_at)
    sent = [result["sent"] for result in _at_once([send] * 2)]
    assert sum(sent) == reminders and min(sent) > 0, sent
    assert _psql(db, f"SELECT count(*) {due}") == "0"
    emails = _psql(
        db,
        "SELECT count(*), count(DISTINCT message.res_id) FROM mail_mail mail "
        "JOIN mail_message message ON message.id = mail.mail_message_id "
        "WHERE message.model = 'credit.collection.action'",
    )
    assert emails == f"{reminders}|{reminders}"


def _hold_row(db, table, row_id, seconds):
    """A transaction that updates a row and keeps it locked for ``seconds``
    (as the agenda's ordering does while it scores the agenda); returns its
    process once the lock is held."""
    holder = subprocess.Popen(
        ["psql", "-d", db, "-v", "ON_ERROR_STOP=1", "-q"],
        stdin=subprocess.PIPE,
        text=True,
    )
    holder.stdin.write(
        f"BEGIN; UPDATE {table} SET write_date = write_date WHERE id = {row_id}; "
        f"SELECT pg_sleep({seconds}); COMMIT;\n"
    )
    holder.stdin.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        waiting = _psql(
            db,
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE state = 'active' AND query LIKE '%pg_sleep%' "
            "AND pid <> pg_backend_pid()",
        )
        if waiting == "1":
            return holder
        time.sleep(0.1)
    holder.kill()
    raise AssertionError("the holding transaction did not start")


def test_a_sender_waits_for_a_reminder_another_transaction_holds(copy_db):
    """The agenda's ordering starts with the sending and scores every action
    to do: a due reminder it holds for a moment is sent when it lets go,
    not skipped until tomorrow's schedule."""
    db = copy_db()
    _run(db, "--batch-size", str(BATCH))
    due = "FROM credit_collection_action WHERE auto AND state = 'todo'"
    reminders = int(_psql(db, f"SELECT count(*) {due}"))
    held = _psql(db, f"SELECT max(id) {due}")
    holder = _hold_row(db, "credit_collection_action", held, seconds=3)
    try:
        done = subprocess.run(
            _worker(db, "send", "--no-pdf"), check=False, capture_output=True, text=True
        )
    finally:
        holder.wait(timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    assert _result(done)["sent"] == reminders
    assert (
        _psql(db, f"SELECT state FROM credit_collection_action WHERE id = {held}")
        == "done"
    )


def test_the_benchmarks_run_without_foreign_key_checks_does_the_same(
    copy_db, expected_actions
):
    """The benchmark's measure of what PostgreSQL's foreign-key checks cost
    the run switches them off for the worker's session only: the run makes
    the same actions, and the database keeps its checks."""
    db = copy_db()
    result = _result(_run(db, "--batch-size", str(BATCH), "--no-foreign-key-checks"))
    assert result["state"] == "done" and not result["foreign_key_checks"]
    assert _action_rows(db) == expected_actions
    with pytest.raises(subprocess.CalledProcessError):
        _psql(
            db,
            "INSERT INTO credit_collection_item_state (move_line_id, stage_id) "
            "VALUES (-1, -1)",
        )
