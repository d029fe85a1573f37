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

import argparse
import importlib.util
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api, fields
from odoo.modules.registry import Registry

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.ledger_generator import generate_ledger


def timed_run(registry, batch_size):
    """One collection run of the main company, then the sending of the
    automatic reminders it planned, each in its own cursor."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        queries = cr.sql_log_count
        started = time.perf_counter()
        run = env["credit.collection.run"]._run_company(company, batch_size=batch_size)
        elapsed = time.perf_counter() - started
        queries = cr.sql_log_count - queries
        channels = Counter(run.action_ids.mapped("channel"))
        figures = {
            "seconds": elapsed,
            "queries": queries,
            "customers": run.customer_count,
            "batches": run.batch_count,
            "actions": run.action_count,
            "channels": dict(sorted(channels.items())),
        }
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        queries = cr.sql_log_count
        started = time.perf_counter()
        sent = env["credit.collection.action"]._send_due(company.with_env(env))
        figures.update(
            sending=time.perf_counter() - started,
            sending_queries=cr.sql_log_count - queries,
            sent=sent,
        )
    return figures


def parallel_cold_run(args):
    """The cold run by ``args.workers`` processes at once, sharing batches."""
    worker = Path(__file__).with_name("run_worker.py")
    command = [sys.executable, str(worker), "-c", args.config, "-d", args.database]
    command += ["run", "--batch-size", str(args.batch_size)]
    started = time.perf_counter()
    processes = [
        subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _n in range(args.workers)
    ]
    if any(process.wait() for process in processes):
        sys.exit("a worker failed")
    return time.perf_counter() - started


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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes sharing the cold run (each loads Odoo: a second or two)",
    )
    parser.add_argument(
        "--no-oca", action="store_true", help="skip the OCA account_credit_control run"
    )
    args = parser.parse_args(argv)

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = Registry(args.database)

    started = time.perf_counter()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        generate_ledger(env, args.customers, args.items)
    built = time.perf_counter() - started
    items = args.customers * args.items
    print(f"ledger: {args.customers} customers x {args.items} items = {items} items")
    print(f"ledger built in {built:.1f} s")

    runs = {}
    if args.workers > 1:
        seconds = parallel_cold_run(args)
        print(f"cold run by {args.workers} worker processes at once: {seconds:.1f} s")
    for label in ("cold run", "rerun") if args.workers == 1 else ("rerun",):
        figures = runs[label] = timed_run(registry, args.batch_size)
        print(
            f"{label}: {figures['seconds']:.1f} s, {figures['queries']} queries, "
            f"{figures['batches']} batches, {figures['customers']} customers, "
            f"{figures['actions']} actions created, per channel "
            f"{figures['channels']}; then sending: {figures['sent']} automatic "
            f"emails rendered and queued in {figures['sending']:.1f} s, "
            f"{figures['sending_queries']} queries"
        )

    if args.no_oca or args.workers > 1:
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
    cold = runs["cold run"]
    print(
        f"ratio OCA / cold run: {oca['seconds'] / cold['seconds']:.1f}x "
        "(both decide and record; neither sends). Cold run and sending: "
        f"{oca['seconds'] / (cold['seconds'] + cold['sending']):.1f}x"
    )


if __name__ == "__main__":
    main()
