"""Benchmark of the daily collection run on a generated ledger.

Run it through ``tools/bench.sh`` (it finds Odoo, starts PostgreSQL and builds
the database); it prints, for N customers x M open items: the time to build
the ledger, the cold run and the rerun (time, SQL queries, actions created).

When the OCA addon ``account_credit_control`` is on Odoo's addons path (its
wheel from PyPI unpacked into a folder named in EXTRA_ADDONS_PATH), it is
installed in the same
database and its policy run (its shipped "3 time policy") is timed on the same
ledger, and the ratio of both cold runs is printed.
"""

import contextlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg2

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_common
from tests.benchmarks.ledger_generator import generate_ledger
from tests.live.server import OdooServer

STARTUP_SECONDS = 15


def vacuum(database):
    """VACUUM ANALYZE the whole database once the ledger is loaded, as
    autovacuum soon does on a live one: the ledger's tables then have the
    statistics of what they hold, and the collection's tables those of
    tables still empty, as on the morning of the first run."""
    maintenance(database, "VACUUM ANALYZE")


def autovacuum_off(database):
    """Keep autovacuum away from the benchmark's tables, so that what the
    screens meet after the run is the statistics the run left (autovacuum
    analyses a table a minute or more after a bulk write: a credit manager
    opening the dashboard after the run does not wait for it)."""
    maintenance(
        database,
        """
        DO $$
        DECLARE name text;
        BEGIN
            FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = 'public'
            LOOP
                EXECUTE format('ALTER TABLE %I SET (autovacuum_enabled = false)', name);
            END LOOP;
        END $$
        """,
    )


def lag_action_statistics(database):
    """Give the actions' table the statistics it had before the sending
    marked actions done (as when autovacuum analysed it between the run and
    the sending, and not since): the same rows, statistics that lag."""
    maintenance(
        database,
        """
        CREATE TEMPORARY TABLE done_actions AS
            SELECT id FROM credit_collection_action WHERE state = 'done';
        UPDATE credit_collection_action SET state = 'todo'
         WHERE id IN (SELECT id FROM done_actions);
        ANALYZE credit_collection_action;
        UPDATE credit_collection_action SET state = 'done'
         WHERE id IN (SELECT id FROM done_actions);
        """,
    )


def checkpoint(database):
    """Flush what earlier steps wrote, so that no timed run (ours or OCA's)
    pays for a checkpoint of the work done before it."""
    maintenance(database, "CHECKPOINT")


def maintenance(database, statement):
    _name, params = odoo.sql_db.connection_info_for(database)
    connection = psycopg2.connect(**params)
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def run_command(args):
    """The worker's ``run`` command, with the batch size asked for if any."""
    size = ["--batch-size", str(args.batch_size)] if args.batch_size else []
    return ["run", *size]


def timed_run(registry, batch_size):
    """One collection run of the main company in this process."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        queries = cr.sql_log_count
        started = time.perf_counter()
        run = env["credit.collection.run"]._run_company(company, batch_size=batch_size)
        elapsed = time.perf_counter() - started
        return {
            "seconds": elapsed,
            "queries": cr.sql_log_count - queries,
            **run_figures(run),
        }


def run_figures(run):
    return {
        "customers": run.customer_count,
        "batches": run.batch_count,
        "actions": run.action_count,
        "channels": dict(sorted(Counter(run.action_ids.mapped("channel")).items())),
    }


def timed_sending(registry):
    """The sending of the automatic reminders the run planned, without the
    statement PDF: the rendering and queueing of the emails alone (the
    two-worker step sends them with it)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        queries = cr.sql_log_count
        started = time.perf_counter()
        with bench_common.without_template_reports(env):
            sent = env["credit.collection.action"]._send_due(company)
        return {
            "seconds": time.perf_counter() - started,
            "queries": cr.sql_log_count - queries,
            "sent": sent,
        }


def timed_ordering(registry):
    """The scheduled ordering a finished run starts: the agenda scored."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        queries = cr.sql_log_count
        started = time.perf_counter()
        env["credit.collection.action"]._cron_refresh_recovery()
        return {
            "seconds": time.perf_counter() - started,
            "queries": cr.sql_log_count - queries,
            "scored": env["credit.collection.action"].search_count(
                [("state", "=", "todo")]
            ),
        }


def timed_screens(registry):
    """Each screen a collector or credit manager opens after the run, as the
    administrator (a Collections manager, with the record rules of a user),
    in a fresh cache: ``{label: (seconds, queries, rows)}``."""
    screens = bench_common.addon_test_helper("credit_collection", "screens")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = api.Environment(cr, admin.id, {"lang": admin.lang, "tz": admin.tz})
        customer = env["credit.collection.action"].search([], limit=1).partner_id
        return {
            label: screens.time_screen(
                env, *screen, record=customer if "customer" in label else None
            )
            for label, *screen in screens.SCREENS
        }


def print_screens(columns):
    """``columns``: ``{heading: timed_screens()}``, printed side by side."""
    print("screens (seconds, SQL queries; rows shown):")
    print(f"  {'screen':<32}" + "".join(f"{heading:>26}" for heading in columns))
    first = next(iter(columns.values()))
    for label, (_seconds, _queries, rows) in first.items():
        timings = "".join(
            f"{column[label][0]:>14.2f} s {column[label][1]:>5} q   "
            for column in columns.values()
        )
        print(f"  {label:<32}{timings} {rows:>6} rows")
    for heading, column in columns.items():
        slowest = max(column, key=lambda label: column[label][0])
        print(
            f"  slowest, {heading}: {slowest}, {column[slowest][0]:.2f} s "
            "(target 0.5 s)"
        )


def worker_line(database, args, command):
    """The command line of a ``run_worker.py`` process on ``database``."""
    worker = Path(__file__).with_name("run_worker.py")
    return [sys.executable, str(worker), "-c", args.config, "-d", database, *command]


def workers(database, args, command):
    """``args.workers`` processes running ``run_worker.py command`` at once,
    as the cron workers of a server do: each loads Odoo first, then all
    start at the same moment. Returns their JSON reports and that moment."""
    start_at = time.time() + STARTUP_SECONDS
    line = worker_line(database, args, [*command, "--start-at", str(start_at)])
    processes = [
        subprocess.Popen(line, stdout=subprocess.PIPE, text=True)
        for _n in range(args.workers)
    ]
    outputs = [process.communicate()[0] for process in processes]
    if any(process.returncode for process in processes):
        sys.exit("a worker failed")
    reports = [json.loads(output.strip().splitlines()[-1]) for output in outputs]
    if min(report["started"] for report in reports) < start_at:
        sys.exit(f"a worker took more than {STARTUP_SECONDS} s to load Odoo")
    return reports, start_at


def parallel_run(database, args):
    """The run by ``args.workers`` processes sharing its batches; the time is
    from their start to the end of the last one."""
    reports, start_at = workers(database, args, run_command(args))
    with Registry(database).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run = env["credit.collection.run"].browse(reports[0]["run"])
        return {
            "seconds": max(report["ended"] for report in reports) - start_at,
            "peak_mb": max(report["peak_mb"] for report in reports),
            "workers": reports,
            "start_at": start_at,
            **run_figures(run),
        }


def print_workers(run):
    """Each worker's end and CPU: two workers and their PostgreSQL backends
    share the machine's cores, and the run ends with the last of them."""
    reports = run["workers"]
    for number, report in enumerate(reports, 1):
        postgres = report["postgres_cpu"]
        backend = (
            "its PostgreSQL backend's not readable here"
            if postgres is None
            else f"its PostgreSQL backend {postgres:.2f} s"
        )
        ended = report["ended"] - run["start_at"]
        print(
            f"  worker {number}: ended after {ended:.2f} s; "
            f"CPU: the worker {report['python_cpu']:.2f} s, {backend}"
        )
    if all(report["postgres_cpu"] is not None for report in reports):
        # What the machine gave them: on a shared machine, a neighbour's
        # load takes cores from the workers, not from a single-core run.
        used = sum(r["python_cpu"] + r["postgres_cpu"] for r in reports)
        print(
            f"  together {used:.1f} s of CPU in {run['seconds']:.1f} s: "
            f"{used / run['seconds']:.2f} of the machine's {os.cpu_count()} cores"
        )


def parallel_sending(database, args, seconds=None):
    """The reminders the run planned, with their statement PDF, sent by
    ``args.workers`` processes as the scheduled sending and its second
    worker do (for ``seconds`` only, if given), Odoo's HTTP server running:
    wkhtmltopdf loads the report's styles from it, as in production."""
    log = Path(odoo.tools.config["data_dir"]) / f"{database}_server.log"
    server = OdooServer(args.config, database, log, cron_threads=0).start()
    try:
        maintenance(
            database,
            "UPDATE ir_config_parameter SET value = "
            f"'{server.url}' WHERE key = 'web.base.url'",
        )
        limit = ["--seconds", str(seconds)] if seconds else []
        reports, start_at = workers(database, args, ["send", *limit])
    finally:
        server.stop()
    return {
        "seconds": max(report["ended"] for report in reports) - start_at,
        "sent": [report["sent"] for report in reports],
        "peak_mb": max(report["peak_mb"] for report in reports),
    }


@contextlib.contextmanager
def ledger_copy(args, suffix):
    """A copy of the ledger database (the same invoices, as the one-worker
    runs find them), its attachments too (the report styles' bundles among
    them), dropped when done."""
    copy = f"{args.database}_{suffix}"
    odoo.sql_db.close_db(args.database)
    maintenance("postgres", f'CREATE DATABASE "{copy}" TEMPLATE "{args.database}"')
    filestore = Path(odoo.tools.config.filestore(args.database))
    if filestore.exists():
        shutil.copytree(filestore, odoo.tools.config.filestore(copy))
    try:
        checkpoint(copy)
        yield copy
    finally:
        Registry.delete(copy)
        odoo.sql_db.close_db(copy)
        maintenance("postgres", f'DROP DATABASE IF EXISTS "{copy}"')
        shutil.rmtree(odoo.tools.config.filestore(copy), ignore_errors=True)


def parallel_runs(args):
    """The cold run by ``args.workers`` processes, ``args.repeat`` times on
    fresh copies of the ledger; then, on the last copy, the sending with
    PDFs and the rerun. Returns the cold runs."""
    colds = []
    for number in range(1, args.repeat + 1):
        with ledger_copy(args, f"workers{number}") as copy:
            cold = parallel_run(copy, args)
            colds.append(cold)
            label = f"cold run {number} of {args.repeat}, {args.workers} workers"
            print_run(label, cold)
            print_workers(cold)
            if number < args.repeat:
                continue
            print_median(f"cold run, {args.workers} workers", colds)
            sending = parallel_sending(copy, args)
            print(
                f"sending with the statement PDFs, {args.workers} workers: "
                f"{sending['seconds']:.1f} s, {sum(sending['sent'])} reminders "
                f"(per worker {sending['sent']}), peak memory of a worker "
                f"{sending['peak_mb']:.0f} MB"
            )
            checkpoint(copy)
            rerun = parallel_run(copy, args)
            print_run(f"rerun, {args.workers} workers", rerun)
    return colds


def median_run(runs):
    """The run of median time: the middle one of an odd number, the slower
    of the two middle ones of an even number (never a time better than one
    measured). A run of a few seconds on a shared machine meets its
    neighbours' load or not: one sample may be a quarter slower than the
    next, where a run of a minute and a half (OCA's) averages that out."""
    ordered = sorted(runs, key=lambda run: run["seconds"])
    return ordered[len(ordered) // 2]


def print_median(label, runs):
    each = ", ".join(f"{run['seconds']:.1f}" for run in runs)
    print(
        f"{label}, the median of {len(runs)}: "
        f"{median_run(runs)['seconds']:.1f} s (each: {each} s)"
    )


def ratio_line(label, reference, runs):
    """OCA's time over the median run's, and over each run's."""
    each = ", ".join(f"{reference / run['seconds']:.1f}x" for run in runs)
    return (
        f"ratio OCA / cold run, {label}: "
        f"{reference / median_run(runs)['seconds']:.1f}x, of the median of "
        f"{len(runs)} (each run: {each})"
    )


def worker_cold_run(args, suffix, *options):
    """The cold run by one worker process on a copy of the ledger; None,
    with the reason printed, if the worker failed."""
    with ledger_copy(args, suffix) as copy:
        line = worker_line(copy, args, run_command(args))
        done = subprocess.run(
            [*line, *options], capture_output=True, text=True, check=False
        )
    if done.returncode:
        print(f"a worker failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    report = json.loads(done.stdout.strip().splitlines()[-1])
    return {"seconds": report["ended"] - report["started"], **report}


def foreign_key_checks(args):
    """What PostgreSQL's foreign-key checks of the rows the run inserts cost
    it: the cold run by one worker process on two copies of the ledger,
    with them and without (``session_replication_role = replica``, a
    superuser's setting: a measure, never how the product runs)."""
    with_checks = worker_cold_run(args, "fk")
    without = worker_cold_run(args, "no_fk", "--no-foreign-key-checks")
    if not with_checks or not without:
        print("foreign-key checks: not measured")
        return with_checks
    checks = with_checks["seconds"] - without["seconds"]
    print(
        f"cold run, one worker process: {with_checks['seconds']:.1f} s; without "
        f"PostgreSQL's foreign-key checks: {without['seconds']:.1f} s "
        f"({without['actions']} actions, as with them); the checks: "
        f"{checks:.1f} s, {checks / with_checks['seconds']:.0%} of the run"
    )
    return with_checks


def peak_memory(args):
    """Peak memory of a worker process during a cold run, then during
    ``args.memory`` seconds of sending with the statement PDFs: what has to
    stay flat with the ledger's size (compare two ledger sizes)."""
    args.workers = 1
    run = parallel_run(args.database, args)
    print_run("cold run, one worker process", run)
    sending = parallel_sending(args.database, args, seconds=args.memory)
    print(
        f"sending with the statement PDFs for {args.memory:.0f} s, one worker "
        f"process: {sum(sending['sent'])} reminders, peak memory "
        f"{sending['peak_mb']:.0f} MB"
    )


def print_run(label, run):
    queries = f", {run['queries']} queries" if "queries" in run else ""
    peak = f", peak memory {run['peak_mb']:.0f} MB" if "peak_mb" in run else ""
    print(
        f"{label}: {run['seconds']:.1f} s{queries}, {run['batches']} batches, "
        f"{run['customers']} customers, {run['actions']} actions created, per "
        f"channel {run['channels']}{peak}"
    )


def oca_available():
    return importlib.util.find_spec("odoo.addons.account_credit_control") is not None


def timed_oca_run(registry):
    """Install OCA's account_credit_control and time its policy run."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.module.module"].update_list()
        env["ir.module.module"].search(
            [("name", "=", "account_credit_control")]
        ).button_immediate_install()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        policy = env.ref("account_credit_control.credit_control_3_time")
        policy.account_ids = env["account.account"].search(
            [
                ("account_type", "=", "asset_receivable"),
                ("company_ids", "in", company.id),
            ]
        )
        company.credit_policy_id = policy
        run = env["credit.control.run"].create(
            {"date": fields.Date.context_today(policy), "company_id": company.id}
        )
        cr.commit()
        checkpoint(cr.dbname)
        queries = cr.sql_log_count
        started = time.perf_counter()
        run.generate_credit_lines()
        cr.commit()
        elapsed = time.perf_counter() - started
        lines = run.line_ids
        return {
            "seconds": elapsed,
            "queries": cr.sql_log_count - queries,
            "lines": len(lines),
            "customers": len(lines.partner_id),
        }


def main(argv=None):
    parser = bench_common.ledger_parser(__doc__)
    parser.add_argument(
        "--batch-size", type=int, help="customers a batch (default: the run's own)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="processes sharing the cold run and the rerun on a copy of the "
        "ledger, as a server's cron workers do (Odoo runs two by default); "
        "1: the one-worker runs only",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="times each cold run (one worker, the workers together) is timed, "
        "each on the ledger as the generator left it; the ratios use the "
        "median (default 3)",
    )
    parser.add_argument(
        "--no-oca", action="store_true", help="skip the OCA account_credit_control run"
    )
    parser.add_argument(
        "--memory",
        type=float,
        metavar="SECONDS",
        help="peak memory only: a worker process's cold run, then SECONDS of "
        "sending with the statement PDFs",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat: at least 1")

    registry = bench_common.open_registry(args)

    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generate_ledger(env, args.customers, args.items)
        # A company that works every day (no working calendar, as the
        # backtest's): run on a Saturday, a company working Monday to Friday
        # plans its reminders for Monday, and the sending steps would have
        # nothing to send.
        env.ref("base.main_company").resource_calendar_id = False
    built = time.perf_counter() - started
    autovacuum_off(args.database)
    vacuum(args.database)
    items = args.customers * args.items
    print(f"ledger: {args.customers} customers x {args.items} items = {items} items")
    print(f"ledger built in {built:.1f} s")

    if args.memory:
        peak_memory(args)
        return
    colds = None
    if args.workers > 1:
        colds = parallel_runs(args)
    # The one-worker cold run: args.repeat - 1 times by a worker process on
    # a copy (the first, the foreign-key measure's run with its checks),
    # then in this process on the ledger, which the next steps go on with.
    with_checks = foreign_key_checks(args)
    ones = [with_checks] if args.repeat > 1 else []
    ones += [worker_cold_run(args, f"one{n}") for n in range(2, args.repeat)]
    ones = [run for run in ones if run]
    checkpoint(args.database)
    cold = timed_run(registry, args.batch_size)
    print_run("cold run, one worker, in this process", cold)
    ones.append(cold)
    print_median("cold run, one worker", ones)
    ordering = timed_ordering(registry)
    print(
        f"ordering the agenda: {ordering['scored']} actions to do scored in "
        f"{ordering['seconds']:.1f} s, {ordering['queries']} queries"
    )
    sending = timed_sending(registry)
    print(
        f"sending: {sending['sent']} automatic emails (no statement PDF) "
        "rendered and queued in "
        f"{sending['seconds']:.1f} s, {sending['queries']} queries"
    )
    # What a credit manager opens in the morning, after the night's run and
    # sending (no ANALYZE but their own), with the actions' statistics
    # lagging behind the sending, and once the whole database is analysed.
    screens = {"right after run and sending": timed_screens(registry)}
    lag_action_statistics(args.database)
    screens["statistics lagging"] = timed_screens(registry)
    maintenance(args.database, "ANALYZE")
    screens["after ANALYZE"] = timed_screens(registry)
    print_screens(screens)
    checkpoint(args.database)
    rerun = timed_run(registry, args.batch_size)
    print_run("rerun, one worker", rerun)
    median_one = median_run(ones)["seconds"]
    print(f"rerun / cold run, one worker: {rerun['seconds'] / median_one:.0%}")
    if colds:
        print(
            f"one worker / {args.workers} workers, cold run: "
            f"{median_one / median_run(colds)['seconds']:.1f}x (medians)"
        )

    if args.no_oca:
        return
    if not oca_available():
        print(
            "OCA account_credit_control: not on the addons path, no comparison "
            "(unpack the odoo-addon-account_credit_control 18.0 wheel and name "
            "its addons folder in EXTRA_ADDONS_PATH)"
        )
        return
    oca = timed_oca_run(registry)
    print(
        f"OCA account_credit_control policy run: {oca['seconds']:.1f} s, "
        f"{oca['queries']} queries, {oca['lines']} credit control lines for "
        f"{oca['customers']} customers"
    )
    # Both decide and record; neither sends.
    print(ratio_line("one worker", oca["seconds"], ones))
    print(
        "ratio OCA / cold run and sending without the PDFs, one worker: "
        f"{oca['seconds'] / (median_one + sending['seconds']):.1f}x"
    )
    if colds:
        print(ratio_line(f"{args.workers} workers", oca["seconds"], colds))


if __name__ == "__main__":
    main()
