"""Benchmark of the aged balance XLSX export.

Run it through ``tools/bench.sh --xlsx``: it builds a database with
``credit_collection``, generates CUSTOMERS x ITEMS open invoices, then
exports the whole aged balance to an XLSX file and prints the time, and the
peak Python memory of exports of a tenth and of all of the rows (traced
separately: tracing slows the export down). Flat memory means both peaks
are about the same: rows are read in pages and streamed to the file.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from odoo import SUPERUSER_ID, api

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_common
from tests.benchmarks.ledger_generator import generate_ledger


def _export(env, domain):
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        from odoo.addons.credit_collection.xlsx.aged_balance import (
            write_aged_balance,
        )

        started = time.perf_counter()
        rows = write_aged_balance(env, domain, handle.name)
        return rows, time.perf_counter() - started, os.path.getsize(handle.name)


def _peak(env, domain):
    tracemalloc.start()
    rows, _seconds, _size = _export(env, domain)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, peak / 1024 / 1024


def main(argv=None):
    parser = bench_common.ledger_parser(__doc__)
    args = parser.parse_args(argv)

    registry = bench_common.open_registry(args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        started = time.perf_counter()
        generate_ledger(env, args.customers, args.items)
        cr.commit()
        print(
            f"ledger: {args.customers} customers x {args.items} items, built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        rows, seconds, size = _export(env, [])
        print(
            f"aged balance XLSX: {rows} rows in {seconds:.1f} s "
            f"({size / 1024 / 1024:.1f} MB file; target < 20 s)"
        )
        customers = env["res.partner"].search(
            [("customer_rank", ">", 0)], limit=max(args.customers // 10, 1)
        )
        tenth_rows, tenth_peak = _peak(env, [("partner_id", "in", customers.ids)])
        all_rows, all_peak = _peak(env, [])
        print(
            f"peak Python memory: {tenth_peak:.1f} MB for {tenth_rows} rows, "
            f"{all_peak:.1f} MB for {all_rows} rows"
        )


if __name__ == "__main__":
    main()
