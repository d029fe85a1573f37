"""A separate Odoo process for the process-level tests of the daily run.

    python run_worker.py -c CONF -d DB generate --customers N --items M
    python run_worker.py -c CONF -d DB run [--batch-size B] [--max-batches K]
                                           [--die-after] [--die-inside K]
                                           [--conflict-inside K]
                                           [--no-foreign-key-checks]
    python run_worker.py -c CONF -d DB promise --partner-id P [--conflict]
    python run_worker.py -c CONF -d DB send [--chunk N] [--no-pdf] [--seconds S]

``run`` prints one JSON line describing the run. With ``--die-after`` the
process dies without any cleanup once the run has stopped (``--max-batches``
batches committed), as a worker killed between two batches would. With
``--die-inside K`` it dies in the middle of batch K + 1: its actions are
created, not yet committed. With ``--conflict-inside K``, another
connection updates and commits the invoices of batch K + 1 while that batch
works on them, as a payment posted meanwhile would: the batch meets a
serialization failure, and the JSON line counts how often each batch was
processed. With ``--no-foreign-key-checks``, PostgreSQL checks no foreign
key of what the run inserts (``session_replication_role = replica``, a
superuser's setting): a measure of what those checks cost, never how the
product runs. ``promise`` records a promise to pay of the
customer's first open item, as the portal form does, and commits; like
every request of Odoo's HTTP layer it is served again after a
serialization failure. With ``--conflict``, the first try meets one: another
connection updates the item's invoice and commits between the try's read and its
write, as a run's batch advancing that customer would. ``send`` sends the
automatic reminders due, as the scheduled sending and its second worker do
(``--chunk``: actions claimed at a time; ``--no-pdf``: without the
statement; ``--seconds``: no chunk claimed after that time, as the
scheduled sending's time limit does); its JSON line says how many it sent.
"""

import contextlib
import json
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from odoo import SUPERUSER_ID, Command, api
from odoo.service.model import retrying

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_common
from tests.benchmarks.ledger_generator import generate_ledger


def main(argv=None):
    parser = bench_common.parser(__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    generate = commands.add_parser("generate")
    generate.add_argument("--customers", type=int, required=True)
    generate.add_argument("--items", type=int, required=True)
    run = commands.add_parser("run")
    run.add_argument("--batch-size", type=int)
    run.add_argument("--max-batches", type=int)
    run.add_argument("--die-after", action="store_true")
    run.add_argument("--die-inside", type=int)
    run.add_argument("--conflict-inside", type=int)
    run.add_argument("--no-foreign-key-checks", action="store_true")
    promise = commands.add_parser("promise")
    promise.add_argument("--partner-id", type=int, required=True)
    promise.add_argument("--conflict", action="store_true")
    send = commands.add_parser("send")
    send.add_argument("--chunk", type=int)
    send.add_argument("--no-pdf", action="store_true")
    send.add_argument("--seconds", type=float)
    for command in (run, promise, send):
        command.add_argument(
            "--start-at",
            type=float,
            help="wait, Odoo loaded, until this Unix time: workers started "
            "together run together, as the cron workers of a running server do",
        )
    args = parser.parse_args(argv)

    registry = bench_common.open_registry(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.command == "generate":
            generate_ledger(env, args.customers, args.items)
        elif args.command == "promise":
            promise_to_pay(env, args)
        elif args.command == "send":
            send_due(env, args)
        else:
            run_company(env, args)


def _peak_mb():
    """The process's own peak resident memory, in MB: its VmHWM, which
    starts afresh with the process's image. (Linux's ru_maxrss carries a
    parent's peak over fork and exec: a worker started by the benchmark,
    which built the ledger in memory, reported the benchmark's peak.)"""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _cpu_seconds(env):
    """``(this process's CPU seconds, its PostgreSQL backend's)``; the
    backend's is None unless PostgreSQL runs on this machine (read from
    ``/proc``: a process of that number here that is not a PostgreSQL
    backend belongs to another machine's server)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    own_seconds = own.ru_utime + own.ru_stime
    env.cr.execute("SELECT pg_backend_pid()")
    try:
        stat = Path(f"/proc/{env.cr.fetchone()[0]}/stat").read_text()
    except OSError:
        return own_seconds, None
    name, _paren, rest = stat.partition(" (")[2].rpartition(")")
    if not name.startswith("postgres"):
        return own_seconds, None
    fields = rest.split()
    # utime and stime: the 14th and 15th fields of the whole line
    return own_seconds, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait(args):
    """Start with the other workers (see --start-at)."""
    if args.start_at:
        time.sleep(max(0.0, args.start_at - time.time()))


def run_company(env, args):
    company = env.ref("base.main_company")
    if args.die_inside is not None:
        _die_inside(env, args.die_inside)
    processed = _count_processing(env)
    if args.conflict_inside is not None:
        _conflict_inside(env, args.conflict_inside)
    if args.no_foreign_key_checks:
        # For this connection's session: every transaction of the run.
        env.cr.execute("SET session_replication_role = replica")
    env.cr.execute("SHOW session_replication_role")
    foreign_key_checks = env.cr.fetchone()[0] != "replica"
    _wait(args)
    python_cpu, postgres_cpu = _cpu_seconds(env)
    started = time.time()
    run = env["credit.collection.run"]._run_company(
        company, batch_size=args.batch_size, max_batches=args.max_batches
    )
    ended = time.time()
    python_after, postgres_after = _cpu_seconds(env)
    print(
        json.dumps(
            {
                "run": run.id,
                "state": run.state,
                "batches": run.batch_count,
                "actions": run.action_count,
                "started": started,
                "ended": ended,
                "processed": processed,
                "foreign_key_checks": foreign_key_checks,
                "peak_mb": _peak_mb(),
                "python_cpu": python_after - python_cpu,
                "postgres_cpu": None
                if postgres_cpu is None
                else postgres_after - postgres_cpu,
            }
        ),
        flush=True,
    )
    if args.die_after:
        os._exit(3)


def send_due(env, args):
    company = env.ref("base.main_company")
    Action = env["credit.collection.action"]
    if args.chunk:
        module = "odoo.addons.credit_collection.models.credit_collection_action"
        sys.modules[module].SEND_BATCH_SIZE = args.chunk
    reports = (
        bench_common.without_template_reports(env)
        if args.no_pdf
        else contextlib.nullcontext()
    )
    _wait(args)
    started = time.time()
    deadline = time.monotonic() + args.seconds if args.seconds else None
    with reports:
        sent = Action._send_due(company, deadline=deadline)
    print(
        json.dumps(
            {
                "sent": sent,
                "started": started,
                "ended": time.time(),
                "peak_mb": _peak_mb(),
            }
        ),
        flush=True,
    )


def _inside_batch(env, committed, hook):
    """Call ``hook(batch, actions)`` once, in the batch after ``committed``
    ones: its actions are created, not committed, and it has not yet written
    its items' stages."""
    Batch = type(env["credit.collection.run.batch"])
    advance = Batch._advance_items
    calls = []

    def hook_then_advance(self, actions, *args, **kwargs):
        calls.append(1)
        if len(calls) == committed + 1:
            hook(self, actions)
        return advance(self, actions, *args, **kwargs)

    Batch._advance_items = hook_then_advance


def _die_inside(env, committed):
    """Die during the batch after ``committed`` ones: its actions exist,
    uncommitted, when the process goes."""
    _inside_batch(env, committed, lambda _batch, _actions: os._exit(4))


def _count_processing(env):
    """``{batch id: times processed}``, filled as the run goes."""
    Batch = type(env["credit.collection.run.batch"])
    process = Batch._process
    counts = {}

    def counted(self, *args, **kwargs):
        counts[self.id] = counts.get(self.id, 0) + 1
        return process(self, *args, **kwargs)

    Batch._process = counted
    return counts


def _conflict_inside(env, committed):
    """Once, in the batch after ``committed`` ones: another connection
    updates that batch's invoices and commits, after the batch's snapshot
    was taken and before it writes them."""

    def update_meanwhile(batch, actions):
        with batch.env.registry.cursor() as other:
            other.execute("SET LOCAL lock_timeout = '10s'")
            other.execute(
                "UPDATE account_move SET write_date = now() "
                "WHERE partner_id = ANY(%s) AND state = 'posted'",
                [actions.partner_id.ids],
            )

    _inside_batch(env, committed, update_meanwhile)


def promise_to_pay(env, args):
    """Record the promise through ``retrying``, as Odoo's HTTP layer serves
    every portal request: a serialization failure against a run's batch
    rolls the request back and serves it again, and the customer never
    sees it. The JSON line says how many tries it took."""
    company = env.ref("base.main_company")
    tries = []

    def create_promise():
        tries.append(time.time())
        customer = env["res.partner"].browse(args.partner_id)
        item = customer._collection_open_items(company)[:1]
        if args.conflict and len(tries) == 1:
            with env.registry.cursor() as other:
                other.execute(
                    "UPDATE account_move SET write_date = now() WHERE id = %s",
                    [item.move_id.id],
                )
        return env["credit.collection.promise"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "source": "portal",
                "date": date.today() + timedelta(days=10),
                "amount": item.amount_residual,
                "move_line_ids": [Command.set(item.ids)],
            }
        )

    _wait(args)
    promise = retrying(create_promise, env)
    print(
        json.dumps({"promise": promise.id, "at": time.time(), "tries": len(tries)}),
        flush=True,
    )


if __name__ == "__main__":
    main()
