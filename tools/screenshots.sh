#!/usr/bin/env bash
# The README's screenshots (make screenshots): taken from the demo that
# `make demo` serves (start it first, in another terminal), into
# docs/screenshots. Options go to tools/screenshots.py (--url, --db, --out).
set -euo pipefail
# shellcheck source=tools/odoo-env.sh
. "$(dirname "$0")/odoo-env.sh"

find_odoo
exec "$ODOO_PYTHON" "$REPO_ROOT/tools/screenshots.py" \
    --url "http://localhost:${DEMO_PORT:-8069}" --db "${DEMO_DB:-credit_collection_demo}" "$@"
