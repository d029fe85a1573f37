#!/usr/bin/env bash
# The test command (README): installs every addon of this repository with demo
# data into a throwaway database, fails on any warning or error in the install
# log, runs the linters, then every test of every addon and of tests/ with
# pytest-odoo, and drops the database. Extra arguments go to pytest.
set -uo pipefail
# shellcheck source=tools/odoo-env.sh
. "$(dirname "$0")/odoo-env.sh"

find_odoo --tests
# Odoo's tour runner looks for these names; without one, tours skip.
has_browser() {
    command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
        || command -v google-chrome >/dev/null
}
has_browser || bash "$REPO_ROOT/tools/bootstrap-odoo.sh" --tests --packages-only || exit 2
has_browser || die "Chromium is missing: the portal's tours run in it (Debian: apt install chromium)"
ensure_postgres
ensure_requirements requirements.txt requirements-test.txt

ADDONS=$(repo_addons) || exit 2
use_throwaway_db cc_test "${TEST_DB:-}"

failed=()

# Odoo's demo payment provider, for the tour that pays an invoice from the
# customer's page through Odoo's payment flow.
TEST_ONLY_MODULES=payment_demo

say "Installing $ADDONS (and $TEST_ONLY_MODULES) into $DB (with demo data)"
"$ODOO_BIN" -c "$CONF" -d "$DB" -i "$ADDONS,$TEST_ONLY_MODULES" --stop-after-init \
    --log-level=info --logfile="$WORK/install.log" --http-port=0 --no-http
install_rc=$?
if [ "$install_rc" != 0 ]; then
    tail -n 50 "$WORK/install.log" >&2
    failed+=("install (exit $install_rc)")
fi
say "Checking the install log for warnings and errors"
(cd "$REPO_ROOT" && "$ODOO_PYTHON" -m checklog_odoo "$WORK/install.log") || failed+=("install log")

say "ruff"
"$ODOO_PYTHON" -m ruff check --no-fix "$REPO_ROOT" || failed+=("ruff")
"$ODOO_PYTHON" -m ruff format --check "$REPO_ROOT" || failed+=("ruff format")

say "pylint-odoo (mandatory checks)"
(cd "$REPO_ROOT" && "$ODOO_PYTHON" -m pylint --rcfile=.pylintrc-mandatory ${ADDONS//,/ }) || failed+=("pylint-odoo")

# Odoo's own tests of the modules the addons extend, on a database without
# the addons and one with them: none may fail because of the addons.
bash "$REPO_ROOT/tools/odoo-suites.sh" || failed+=("Odoo's own tests")

say "Tests (pytest-odoo)"
test_paths=()
for addon in ${ADDONS//,/ }; do
    [ -d "$REPO_ROOT/$addon/tests" ] && test_paths+=("$REPO_ROOT/$addon/tests")
done
test_paths+=("$REPO_ROOT/tests")
(cd "$REPO_ROOT" && "$ODOO_PYTHON" -m pytest \
    --odoo-config="$CONF" --odoo-database="$DB" --odoo-log-level=warn --odoo-http \
    "${test_paths[@]}" "$@") \
    || failed+=("tests")

if [ ${#failed[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[*]}" >&2
    exit 1
fi
