"""A separate Odoo process for the process-level tests of the daily run.

    python run_worker.py -c CONF -d DB generate --customers N --items M
    python run_worker.py -c CONF -d DB run [--batch-size B] [--max-batches K]
                                           [--die-after]

``run`` prints one JSON line describing the run. With ``--die-after`` the
process dies without any cleanup once the run has stopped (``--max-batches``
batches committed), as a worker killed between two batches would.
"""

import json
import os
import sys
import time
from pathlib import Path

from odoo import SUPERUSER_ID, api

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
    run.add_argument("--batch-size", type=int, default=500)
    run.add_argument("--max-batches", type=int)
    run.add_argument("--die-after", action="store_true")
    run.add_argument(
        "--start-at",
        type=float,
        help="wait, Odoo loaded, until this Unix time: workers started together "
        "run together, as the cron workers of a running server do",
    )
    args = parser.parse_args(argv)

    registry = bench_common.open_registry(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if args.command == "generate":
            generate_ledger(env, args.customers, args.items)
            return
        company = env.ref("base.main_company")
        if args.start_at:
            time.sleep(max(0.0, args.start_at - time.time()))
        started = time.time()
        run = env["credit.collection.run"]._run_company(
            company, batch_size=args.batch_size, max_batches=args.max_batches
        )
        ended = time.time()
        print(
            json.dumps(
                {
                    "run": run.id,
                    "state": run.state,
                    "batches": run.batch_count,
                    "actions": run.action_count,
                    "started": started,
                    "ended": ended,
                }
            ),
            flush=True,
        )
        if args.die_after:
            os._exit(3)


if __name__ == "__main__":
    main()
