#!/usr/bin/env bash
# Benchmark of the daily collection run (README, "Benchmarks"): builds a
# throwaway database with credit_collection, generates CUSTOMERS x ITEMS open
# invoices, times a cold run and a rerun, and drops the database.
#   bash tools/bench.sh [--customers N] [--items M] [--batch-size B]
set -uo pipefail
# shellcheck source=tools/odoo-env.sh
. "$(dirname "$0")/odoo-env.sh"

find_odoo
ensure_postgres
ensure_requirements requirements.txt

use_throwaway_db cc_bench "${BENCH_DB:-}"

say "Installing credit_collection into $DB (no demo data)"
"$ODOO_BIN" -c "$CONF" -d "$DB" -i credit_collection --without-demo=all \
    --stop-after-init --no-http --log-level=warn --logfile="$WORK/install.log" \
    || { tail -n 30 "$WORK/install.log" >&2; exit 1; }
"$ODOO_PYTHON" "$REPO_ROOT/tests/benchmarks/bench_collection_run.py" \
    -c "$CONF" -d "$DB" "$@"
