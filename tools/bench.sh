#!/usr/bin/env bash
# Benchmark of the daily collection run (README, "Benchmarks"): builds a
# throwaway database with credit_collection, generates CUSTOMERS x ITEMS open
# invoices, times a cold run and a rerun, and drops the database.
#   bash tools/bench.sh [--customers N] [--items M] [--batch-size B] [--workers W]
# With --memory S, the peak memory of a worker process only: its cold run,
# then S seconds of sending with the statement PDFs (compare ledger sizes).
#   bash tools/bench.sh --customers 50000 --items 10 --memory 60
# With --portal first, the customer portal page instead: one customer with N
# open invoices, its page timed (credit_collection_portal).
#   bash tools/bench.sh --portal [--invoices N] [--repeat R]
# With --xlsx first, the aged balance XLSX export of CUSTOMERS x ITEMS items.
#   bash tools/bench.sh --xlsx [--customers N] [--items M]
# With --volume first, two companies in two currencies, CUSTOMERS x ITEMS
# each and one customer with L items: runs, portal pages, exports, dashboard
# and KPIs timed against their targets, and their checks
# (credit_collection_portal).
#   bash tools/bench.sh --volume [--customers N] [--items M] [--large-customer L]
# With --backtest first, the agenda's order backtested: for each seed, a
# company with N customers of hidden payment behaviours and months of
# history; the cash its agenda brings in within 30 days, by order.
#   bash tools/bench.sh --backtest [--customers N] [--seeds 1,2,3] [--per-day 10,50,100]
set -uo pipefail
# shellcheck source=tools/odoo-env.sh
. "$(dirname "$0")/odoo-env.sh"

ADDON=credit_collection
SCRIPT=bench_collection_run.py
if [ "${1:-}" = "--portal" ]; then
    shift
    ADDON=credit_collection_portal
    SCRIPT=bench_portal_page.py
elif [ "${1:-}" = "--xlsx" ]; then
    shift
    SCRIPT=bench_aged_balance_xlsx.py
elif [ "${1:-}" = "--backtest" ]; then
    shift
    SCRIPT=bench_agenda_order.py
elif [ "${1:-}" = "--volume" ]; then
    shift
    ADDON=credit_collection_portal
    SCRIPT=bench_volume.py
fi

find_odoo
export ODOO_BIN  # the benchmark starts Odoo servers of its own
ensure_postgres
ensure_requirements requirements.txt

use_throwaway_db cc_bench "${BENCH_DB:-}"

say "Installing $ADDON into $DB (no demo data)"
"$ODOO_BIN" -c "$CONF" -d "$DB" -i "$ADDON" --without-demo=all \
    --stop-after-init --no-http --log-level=warn --logfile="$WORK/install.log" \
    || { tail -n 30 "$WORK/install.log" >&2; exit 1; }
"$ODOO_PYTHON" "$REPO_ROOT/tests/benchmarks/$SCRIPT" \
    -c "$CONF" -d "$DB" "$@"
