"""Benchmark of the customer's collection page on the portal.

Run it through ``tools/bench.sh --portal``: it builds a database with
``credit_collection_portal``, gives one customer N open invoices, and times
the page that the link of a reminder opens, inside Odoo's WSGI application
(server time: routing, access checks, queries and rendering; no network).
The first request signs the invoices' own links (a token written once per
invoice); the following ones show what a customer waits for.
"""

import sys
from pathlib import Path

from odoo import SUPERUSER_ID, api, fields

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_common
from tests.benchmarks.ledger_generator import generate_ledger


def main(argv=None):
    parser = bench_common.parser(__doc__)
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    registry = bench_common.open_registry(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        customer = generate_ledger(env, 1, args.invoices)
        action = env["credit.collection.action"].create(
            {
                "partner_id": customer.id,
                "date": fields.Date.context_today(customer),
                "channel": "email",
            }
        )
        url = f"/my/collection/{action.id}?access_token={action.access_token}"
    first, median, status, rows = bench_common.time_page(url, args.repeat)
    if status != 200 or len(rows) != args.invoices:
        sys.exit(f"page failed: HTTP {status}, {len(rows)} invoice rows")
    print(
        f"customer page with {args.invoices} open invoices: first request "
        f"{first:.2f} s (signs the invoices' links), then "
        f"{median:.2f} s (median of {args.repeat}; target < 0.5 s)"
    )


if __name__ == "__main__":
    main()
