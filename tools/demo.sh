#!/usr/bin/env bash
# The demo command (README): creates, or upgrades without losing data, a demo
# database with every addon of this repository and its demo data, then serves
# it on http://localhost:8069 until interrupted.
set -euo pipefail
# shellcheck source=tools/odoo-env.sh
. "$(dirname "$0")/odoo-env.sh"

find_odoo
ensure_postgres
ensure_requirements requirements.txt

ADDONS=$(repo_addons) || exit 2
# The Sales app's menus, for the demo's salesperson (credit_collection_sale
# needs only Sales' models, whose menus sale_management shows).
APPS=sale_management
DB=${DEMO_DB:-credit_collection_demo}
PORT=${DEMO_PORT:-8069}
STATE=${DEMO_STATE_DIR:-$REPO_ROOT/.demo}
mkdir -p "$STATE"
CONF=$STATE/odoo.conf
write_odoo_conf "$CONF" "$STATE/data"

if psql -d postgres -Atc "select 1 from pg_database where datname = '$DB'" | grep -q 1; then
    say "Upgrading $ADDONS in the existing database $DB (its data is kept)"
    "$ODOO_BIN" -c "$CONF" -d "$DB" -u "$ADDONS" -i "$APPS" --stop-after-init --no-http
else
    say "Creating the database $DB with $ADDONS and demo data"
    "$ODOO_BIN" -c "$CONF" -d "$DB" -i "$ADDONS,$APPS" --stop-after-init --no-http
fi

cat >&2 <<MSG

  Credit collection demo: http://localhost:$PORT
  Log in as admin / admin (Collections manager), collector / collector
  (a collector's agenda), credit.manager / credit.manager, sales / sales
  (a quotation to a blocked customer), customer / customer (the portal) or
  collector.europe / collector.europe (the second company's collector).
  Invoicing > Collections: the collection customers and actions;
  Invoicing > Configuration > Collections: the seven scenarios and their stages.
  Stop the server with Ctrl+C; run 'make demo' again to upgrade and restart.

MSG
exec "$ODOO_BIN" -c "$CONF" -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
