#!/usr/bin/env bash
# Installs Odoo 18.0 Community for this project when a machine has none (the
# README's two commands call it; it can be run alone). Idempotent: each step
# leaves a stamp when it has succeeded, the next call skips it; a step that
# failed or was interrupted is cleaned and started again. It prints what it
# changes, and the path of the launcher last.
#
#   bash tools/bootstrap-odoo.sh [--tests] [--packages-only]
#     --tests          Chromium too (the tests' browser)
#     --packages-only  the system packages, not Odoo
#
# Overridable from the environment:
#   ODOO_SOURCE   a local Odoo source tree, a .tar.gz/.tgz/.zip archive of one,
#                 or a git URL or repository path (cloned with --depth 1)
#                 (default: the official repository)
#   ODOO_BRANCH   the branch to clone from a git source (default: 18.0)
#   ODOO_HOME     where Odoo goes, outside any clone, one per user
#                 (default: ${XDG_DATA_HOME:-~/.local/share}/credit-collection/odoo-18.0)
#   ODOO_LINK_DIR where a link to the launcher goes (default: ~/.local/bin)
#   BOOTSTRAP_PYTHON  the Python 3.10-3.12 the virtualenv is made from
#                 (default: Debian's /usr/bin/python3, else python3 on PATH)
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=tools/odoo-home.sh
. "$REPO_ROOT/tools/odoo-home.sh"

ODOO_SOURCE=${ODOO_SOURCE:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=${ODOO_BRANCH:-18.0}
ODOO_LINK_DIR=${ODOO_LINK_DIR:-$HOME/.local/bin}
STEPS=$ODOO_HOME/.steps
WITH_BROWSER=0
PACKAGES_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --tests) WITH_BROWSER=1 ;;
        --packages-only) PACKAGES_ONLY=1 ;;
        *) printf 'error: unknown option %s\n' "$arg" >&2 && exit 2 ;;
    esac
done

die() { printf 'error: %s\n' "$*" >&2; exit 2; }
say() { printf '==> %s\n' "$*" >&2; }

done_step() { [ -f "$STEPS/$1" ]; }
mark_done() { mkdir -p "$STEPS" && date -u +%FT%TZ >"$STEPS/$1"; }

# --- system packages -------------------------------------------------------
# Debian 12 names: the PostgreSQL server, libpq and the LDAP/SASL headers to
# build psycopg2 and python-ldap, a compiler, the report renderer.
system_packages() {
    local wanted=(postgresql-15 libpq-dev libldap2-dev libsasl2-dev python3-dev
        python3-venv build-essential git wkhtmltopdf)
    [ "$WITH_BROWSER" = 1 ] && wanted+=(chromium)
    command -v dpkg-query >/dev/null || {
        say "Not a Debian system: make sure the equivalents of these are installed: ${wanted[*]}"
        return 0
    }
    local missing=() package
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local command="apt-get install -y --no-install-recommends ${missing[*]}"
    [ "$(id -u)" = 0 ] || die "these system packages are missing: ${missing[*]}
Install them, then run this again:
    sudo apt-get update && sudo $command"
    say "Installing system packages: ${missing[*]}"
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $command \
        || die "apt-get could not install ${missing[*]}; run it yourself: $command"
}

# --- Odoo's source -------------------------------------------------------
is_odoo_tree() { [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ]; }

fetch_source() {
    local target=$1
    case "$ODOO_SOURCE" in
        *.tar.gz | *.tgz | *.zip)
            [ -f "$ODOO_SOURCE" ] || die "ODOO_SOURCE=$ODOO_SOURCE: no such archive."
            say "Unpacking $ODOO_SOURCE"
            mkdir -p "$target.unpack"
            case "$ODOO_SOURCE" in
                *.zip) "$(bootstrap_python)" -m zipfile -e "$ODOO_SOURCE" "$target.unpack" ;;
                *) tar -xzf "$ODOO_SOURCE" -C "$target.unpack" ;;
            esac
            # An archive holds the tree itself or one folder with it.
            local tops=("$target.unpack"/*)
            if [ ${#tops[@]} -eq 1 ] && [ -d "${tops[0]}" ] && ! is_odoo_tree "$target.unpack"; then
                mv "${tops[0]}" "$target" && rm -rf "$target.unpack"
            else
                mv "$target.unpack" "$target"
            fi
            ;;
        *)
            if [ -d "$ODOO_SOURCE" ] && is_odoo_tree "$ODOO_SOURCE"; then
                say "Copying the Odoo tree $ODOO_SOURCE"
                mkdir -p "$target"
                tar -C "$ODOO_SOURCE" --exclude=.git --exclude=__pycache__ \
                    --exclude='*.egg-info' -cf - . | tar -C "$target" -xf -
            elif [ -d "$ODOO_SOURCE" ] || [[ "$ODOO_SOURCE" == *://* || "$ODOO_SOURCE" == *.git || "$ODOO_SOURCE" == *@*:* ]]; then
                local url=$ODOO_SOURCE
                # --depth is ignored for plain paths; file:// honours it.
                [ -d "$url" ] && url="file://$(cd "$url" && pwd)"
                say "Cloning branch $ODOO_BRANCH of $ODOO_SOURCE"
                git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$url" "$target" \
                    || die "git could not clone branch $ODOO_BRANCH of $ODOO_SOURCE."
            else
                die "ODOO_SOURCE=$ODOO_SOURCE is neither an Odoo source tree, a .tar.gz/.zip archive nor a git repository."
            fi
            ;;
    esac
    is_odoo_tree "$target" || die "ODOO_SOURCE=$ODOO_SOURCE holds no Odoo source tree (no odoo-bin and odoo/release.py)."
    # odoo/release.py: version_info = (18, 0, 0, FINAL, '')
    local version
    version=$(sed -n 's/^version_info = (\([0-9]*\), *\([0-9]*\).*/\1.\2/p' "$target/odoo/release.py")
    case "$version" in
        18.0) ;;
        *) die "ODOO_SOURCE=$ODOO_SOURCE is Odoo ${version:-of no known version}; this project needs 18.0." ;;
    esac
}

bootstrap_python() {
    local python=${BOOTSTRAP_PYTHON:-}
    [ -n "$python" ] || { [ -x /usr/bin/python3 ] && python=/usr/bin/python3; } || python=$(command -v python3 || true)
    [ -n "$python" ] || die "no python3 found; set BOOTSTRAP_PYTHON."
    echo "$python"
}

# --- the steps -------------------------------------------------------------
step_source() {
    undo_source
    mkdir -p "$ODOO_HOME"
    fetch_source "$ODOO_HOME/src"
}

step_venv() {
    local python
    python=$(bootstrap_python)
    "$python" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' \
        || die "$python is Python $("$python" -c 'import platform; print(platform.python_version())'); Odoo 18 runs on 3.10 to 3.12 (set BOOTSTRAP_PYTHON)."
    undo_venv
    say "Creating the virtualenv $ODOO_HOME/venv ($python)"
    "$python" -m venv "$ODOO_HOME/venv" \
        || die "$python could not create a virtualenv (Debian: apt-get install python3-venv)."
    # cbor2 5.4.2 (Odoo's pin below Python 3.12) builds only with
    # setuptools < 70 and setuptools_scm < 8.
    pip_install --upgrade pip 'setuptools<70' wheel 'setuptools_scm<8'
}

step_requirements() {
    say "Installing Odoo's Python requirements (a few minutes the first time)"
    pip_install --no-build-isolation \
        "$(grep -E '^cbor2==[^;]*; *python_version < .3\.12.' "$ODOO_HOME/src/requirements.txt" | cut -d';' -f1 | tr -d ' ')"
    pip_install -r "$ODOO_HOME/src/requirements.txt"
    pip_install -r "$REPO_ROOT/requirements.txt"
}

step_odoo() {
    say "Installing Odoo from $ODOO_HOME/src into the virtualenv (editable)"
    # compat: the tree goes on sys.path, so that `odoo` stays Odoo's own
    # package when addons installed as wheels add site-packages/odoo/addons
    # (setuptools' default import hook would find that folder first).
    pip_install --no-build-isolation --no-deps --config-settings editable_mode=compat \
        -e "$ODOO_HOME/src"
}

step_launcher() {
    # odoo-bin with the virtualenv's Python: the editable install's console
    # script stops on a pkg_resources check.
    mkdir -p "$ODOO_HOME/bin"
    {
        echo "#!$ODOO_HOME/venv/bin/python3"
        tail -n +2 "$ODOO_HOME/src/odoo-bin"
    } >"$ODOO_HOME/bin/odoo.partial"
    chmod +x "$ODOO_HOME/bin/odoo.partial"
    "$ODOO_HOME/bin/odoo.partial" --version | grep -q ' 18\.0' \
        || die "the new launcher does not start Odoo 18.0: $("$ODOO_HOME/bin/odoo.partial" --version 2>&1 | tail -n 3)"
    mv "$ODOO_HOME/bin/odoo.partial" "$ODOO_HOME/bin/odoo"
    if [ ! -e "$ODOO_LINK_DIR/odoo" ] || [ "$(readlink "$ODOO_LINK_DIR/odoo")" = "$ODOO_HOME/bin/odoo" ]; then
        mkdir -p "$ODOO_LINK_DIR"
        ln -sfn "$ODOO_HOME/bin/odoo" "$ODOO_LINK_DIR/odoo"
        say "Linked $ODOO_LINK_DIR/odoo -> $ODOO_HOME/bin/odoo"
    else
        say "$ODOO_LINK_DIR/odoo exists and is not ours: left as it is"
    fi
}

pip_install() {
    "$ODOO_HOME/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
}

# A step that fails or is interrupted takes its half-done work with it.
undo_source() { rm -rf "$ODOO_HOME/src" "$ODOO_HOME/src.unpack"; }
undo_venv() { rm -rf "$ODOO_HOME/venv"; }
undo_requirements() { :; } # pip installs or leaves each package whole
undo_odoo() { :; }
undo_launcher() { rm -f "$ODOO_HOME/bin/odoo.partial"; }
CURRENT_STEP=
on_exit() {
    if [ -n "$CURRENT_STEP" ]; then
        "undo_$CURRENT_STEP"
        printf 'error: the step "%s" did not finish; it was undone and the next call starts it again.\n' "$CURRENT_STEP" >&2
    fi
}
trap on_exit EXIT

run_step() {
    local name=$1
    done_step "$name" && return 0
    # A later step's work depends on this one's: redo them too.
    local later=0 step
    for step in "${ALL_STEPS[@]}"; do
        [ "$step" = "$name" ] && later=1
        [ "$later" = 1 ] && rm -f "$STEPS/$step"
    done
    CURRENT_STEP=$name
    "step_$name"
    mark_done "$name"
    CURRENT_STEP=
}

ALL_STEPS=(source venv requirements odoo launcher)

system_packages
[ "$PACKAGES_ONLY" = 1 ] && exit 0
if done_step launcher && [ -x "$ODOO_HOME/bin/odoo" ]; then
    say "Odoo 18.0 is already installed in $ODOO_HOME"
else
    say "Installing Odoo 18.0 into $ODOO_HOME"
    for step in "${ALL_STEPS[@]}"; do
        run_step "$step"
    done
    say "Odoo 18.0 installed: $ODOO_HOME/bin/odoo (remove it with: rm -rf $ODOO_HOME $ODOO_LINK_DIR/odoo)"
fi
echo "$ODOO_HOME/bin/odoo"
