"""Benchmark of the daily collection run on a generated ledger.

Run it through ``tools/bench.sh`` (it finds Odoo, starts PostgreSQL and builds
the database); it prints, for N customers x M open items: the time to build
the ledger, the cold run and the rerun (time, SQL queries, actions created).
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.ledger_generator import generate_ledger


def timed_run(registry, batch_size):
    """One collection run of the main company in its own cursor."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.ref("base.main_company")
        queries = cr.sql_log_count
        started = time.perf_counter()
        run = env["credit.collection.run"]._run_company(company, batch_size=batch_size)
        elapsed = time.perf_counter() - started
        queries = cr.sql_log_count - queries
        channels = Counter(run.action_ids.mapped("channel"))
        return {
            "seconds": elapsed,
            "queries": queries,
            "customers": run.customer_count,
            "batches": run.batch_count,
            "actions": run.action_count,
            "sent": run.sent_count,
            "failed": run.failed_count,
            "channels": dict(sorted(channels.items())),
        }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=500)
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

    for label in ("cold run", "rerun"):
        figures = timed_run(registry, args.batch_size)
        print(
            f"{label}: {figures['seconds']:.1f} s, {figures['queries']} queries, "
            f"{figures['batches']} batches, {figures['customers']} customers, "
            f"{figures['actions']} actions created ({figures['sent']} emails queued, "
            f"{figures['failed']} failed), per channel {figures['channels']}"
        )


if __name__ == "__main__":
    main()
