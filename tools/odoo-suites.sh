#!/usr/bin/env bash
# Odoo 18's own tests of the modules the addons extend (README, "Odoo's own
# tests"), on a database without the addons and one with every addon of this
# repository, at once; fails when a test that passes without the addons
# fails with them, or when a test skips. Part of `make test`.
#   bash tools/odoo-suites.sh              compare (about 25 minutes here)
#   bash tools/odoo-suites.sh --baseline   plain Odoo only: rewrite
#                                          tests/odoo_suites/plain_odoo_failures.txt
# The logs stay in $ODOO_SUITES_LOGS (default: a new folder in /tmp).
set -uo pipefail
# shellcheck source=tools/odoo-env.sh
. "$(dirname "$0")/odoo-env.sh"

find_odoo
command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
    || die "Chromium is missing: Odoo's own tours run in it (Debian: apt install chromium)"
ensure_postgres
ensure_requirements requirements.txt requirements-test.txt

LOGS=${ODOO_SUITES_LOGS:-$(mktemp -d /tmp/odoo-suites.XXXXXX)}
mkdir -p "$LOGS"
CONF=$LOGS/odoo.conf
write_odoo_conf "$CONF" "$LOGS/data"
trap 'rm -rf "$LOGS/data"; stop_postgres_if_started' EXIT

say "Odoo's own tests, with and without the addons (logs: $LOGS)"
(cd "$REPO_ROOT" && "$ODOO_PYTHON" -m tests.odoo_suites.run \
    --odoo-bin "$ODOO_BIN" -c "$CONF" --work "$LOGS" "$@")
