# shellcheck shell=bash
# Sourced by demo.sh and test.sh: finds Odoo 18.0 and its Python, makes sure a
# PostgreSQL server answers, and lists the addons of this repository.
#
# Overridable from the environment:
#   ODOO_BIN     the Odoo launcher (default: `odoo` on PATH, else the one
#                tools/bootstrap-odoo.sh installs in ODOO_HOME, first if need be)
#   ODOO_PYTHON  the Python that runs Odoo (default: the launcher's interpreter)
#   PGHOST PGPORT PGUSER   where PostgreSQL answers (default: local socket, 5432, you)
#   EXTRA_ADDONS_PATH      more addons folders, comma-separated (e.g. the OCA
#                          addon the benchmark compares with)

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/odoo-home.sh
. "$REPO_ROOT/tools/odoo-home.sh"

die() { printf 'error: %s\n' "$*" >&2; exit 2; }
say() { printf '==> %s\n' "$*" >&2; }

# An Odoo launcher's version line, or nothing when it is not one.
odoo_version() { [ -x "$1" ] && "$1" --version 2>/dev/null; }

# Odoo 18.0: ODOO_BIN when set (it must be 18.0), else `odoo` on PATH or the
# one tools/bootstrap-odoo.sh installed, else that script installs it
# (find_odoo --tests: with the browser the tests need).
find_odoo() {
    local version candidate
    if [ -n "${ODOO_BIN:-}" ]; then
        [ -x "$ODOO_BIN" ] || die "ODOO_BIN=$ODOO_BIN is not an executable file."
        version=$(odoo_version "$ODOO_BIN") || die "'$ODOO_BIN --version' failed: is it an Odoo launcher?"
        case "$version" in
            *" 18.0"*) ;;
            *) die "ODOO_BIN=$ODOO_BIN is '$version'; this project needs Odoo 18.0." ;;
        esac
    else
        for candidate in "$(command -v odoo || true)" "$ODOO_HOME/bin/odoo"; do
            version=$(odoo_version "$candidate") || continue
            case "$version" in
                *" 18.0"*) ODOO_BIN=$candidate && break ;;
                *) say "$candidate is '$version', not 18.0: not used" ;;
            esac
        done
        if [ -z "${ODOO_BIN:-}" ]; then
            say "No Odoo 18.0 found (odoo on PATH, $ODOO_HOME): installing it"
            ODOO_BIN=$(bash "$REPO_ROOT/tools/bootstrap-odoo.sh" "$@" | tail -n 1) || exit 2
            version=$(odoo_version "$ODOO_BIN") || die "the Odoo just installed does not start: $ODOO_BIN"
        fi
    fi
    if [ -z "${ODOO_PYTHON:-}" ]; then
        # The launcher's own interpreter, as a console script or odoo-bin has it.
        local shebang
        shebang=$(head -n 1 "$ODOO_BIN")
        case "$shebang" in
            "#!/usr/bin/env "*) ODOO_PYTHON=$(command -v "${shebang#\#!/usr/bin/env }") ;;
            "#!"*) ODOO_PYTHON=${shebang#\#!} ;;
        esac
    fi
    [ -n "${ODOO_PYTHON:-}" ] && [ -x "$ODOO_PYTHON" ] \
        || die "cannot tell which Python runs $ODOO_BIN; set ODOO_PYTHON."
    ODOO_ADDONS_PATH=$("$ODOO_PYTHON" - <<'PY'
import os
import odoo
root = os.path.dirname(odoo.__file__)
paths = [os.path.join(root, "addons"), os.path.join(os.path.dirname(root), "addons")]
print(",".join(p for p in paths if os.path.isdir(os.path.join(p, "base")) or os.path.isdir(os.path.join(p, "web"))))
PY
) || die "$ODOO_PYTHON cannot import odoo: install Odoo into that Python (pip install -e <odoo source>) or set ODOO_PYTHON."
    export ODOO_BIN ODOO_PYTHON ODOO_ADDONS_PATH
    say "Odoo: $ODOO_BIN ($version), Python: $ODOO_PYTHON"
}

# The addons of this repository: every folder at its root with a manifest.
repo_addons() {
    local dir names=()
    for dir in "$REPO_ROOT"/*/; do
        [ -f "$dir/__manifest__.py" ] && names+=("$(basename "$dir")")
    done
    [ ${#names[@]} -gt 0 ] || die "no addon found in $REPO_ROOT"
    (IFS=,; echo "${names[*]}")
}

pg_answers() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

# Reuse a server that answers; otherwise start the machine's PostgreSQL 15
# cluster (creating it if the machine has none). Sets PG_STARTED_BY_US=1 when
# it started one, so that callers can stop it again.
ensure_postgres() {
    export PGHOST=${PGHOST:-/var/run/postgresql} PGPORT=${PGPORT:-5432}
    export PGUSER=${PGUSER:-$(id -un)}
    PG_STARTED_BY_US=0
    if ! pg_answers; then
        command -v pg_ctlcluster >/dev/null \
            || die "no PostgreSQL answers at $PGHOST:$PGPORT and this machine has no PostgreSQL 15 tools (pg_ctlcluster). Install postgresql-15 or point PGHOST/PGPORT at a server."
        if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 \+main '; then
            [ "$(id -u)" = 0 ] || die "no PostgreSQL 15 cluster exists and only root can create one (pg_createcluster 15 main)."
            say "Creating the PostgreSQL 15 cluster 'main'"
            pg_createcluster 15 main >/dev/null || die "pg_createcluster 15 main failed."
        fi
        say "Starting PostgreSQL 15 (cluster 'main')"
        pg_ctlcluster 15 main start || die "could not start PostgreSQL 15: see /var/log/postgresql/postgresql-15-main.log"
        PG_STARTED_BY_US=1
        local i
        for i in $(seq 1 30); do pg_answers && break; sleep 1; done
        pg_answers || die "PostgreSQL 15 started but does not answer at $PGHOST:$PGPORT."
    fi
    if ! psql -d postgres -Atc 'select 1' >/dev/null 2>&1; then
        # Odoo connects as the current user; give that user a role once.
        [ "$(id -u)" = 0 ] || die "PostgreSQL refuses user '$PGUSER': create a role for it (createuser -s $PGUSER) or set PGUSER."
        say "Creating PostgreSQL role '$PGUSER'"
        runuser -u postgres -- createuser -U postgres -h "$PGHOST" -p "$PGPORT" -s "$PGUSER" \
            || die "could not create PostgreSQL role '$PGUSER'."
    fi
    export PG_STARTED_BY_US
}

stop_postgres_if_started() {
    if [ "${PG_STARTED_BY_US:-0}" = 1 ]; then
        # Quietly: the test runner's summary stays the last line printed.
        pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
    fi
}

# Install this repository's Python requirements into Odoo's Python if missing.
ensure_requirements() {
    local file
    for file in "$@"; do
        "$ODOO_PYTHON" -m pip install --quiet --disable-pip-version-check -r "$REPO_ROOT/$file" \
            || die "could not install $file into $ODOO_PYTHON"
    done
}

# A throwaway database name ($1 prefix, or $2 if given) with its own Odoo
# configuration in a temporary folder; both go, and PostgreSQL stops if we
# started it, when the script exits. Sets DB, WORK and CONF.
use_throwaway_db() {
    DB=${2:-${1}_$(date +%Y%m%d%H%M%S)_$$}
    WORK=$(mktemp -d)
    CONF=$WORK/odoo.conf
    write_odoo_conf "$CONF" "$WORK/data"
    trap drop_throwaway_db EXIT
}

drop_throwaway_db() {
    dropdb --if-exists "$DB" >/dev/null 2>&1 || true
    rm -rf "$WORK"
    stop_postgres_if_started
}

# Write an Odoo configuration file for this repository.
write_odoo_conf() {
    local conf=$1 data_dir=$2
    cat >"$conf" <<CONF
[options]
addons_path = $ODOO_ADDONS_PATH,$REPO_ROOT${EXTRA_ADDONS_PATH:+,$EXTRA_ADDONS_PATH}
data_dir = $data_dir
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = False
list_db = True
CONF
}
