"""tools/bootstrap-odoo.sh, which the README's two commands run on a machine
without Odoo 18.0: it installs Odoo from a local source (the tree of the Odoo
that runs these tests) into a throwaway location, the addons install with
it, a second call reuses it, a failed step is undone and started again; and
the addons, built as wheels, install into its virtualenv like any user's
and Odoo installs them from site-packages."""

import os
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

import odoo

from .conftest import FIGURES, REPO_ROOT, install_db, odoo_conf, repo_addons

BOOTSTRAP = REPO_ROOT / "tools" / "bootstrap-odoo.sh"
ODOO_TREE = Path(odoo.__file__).resolve().parent.parent
ADDONS = ",".join(addon.name for addon in repo_addons())
INSTALLED_ADDONS = (
    "SELECT name FROM ir_module_module WHERE state = 'installed' "
    "AND name LIKE 'credit_collection%' ORDER BY name"
)
# Where Odoo finds each addon named on the command line, with a configuration.
MODULE_PATHS = (
    "import sys, odoo; odoo.tools.config.parse_config(['-c', sys.argv[1]]);"
    "from odoo.modules.module import get_module_path;"
    "print(*(get_module_path(name) for name in sys.argv[2:]))"
)


def bootstrap(home, **env):
    environment = {
        **os.environ,
        "ODOO_HOME": str(home),
        "ODOO_LINK_DIR": str(home.parent / "bin"),
        **env,
    }
    return subprocess.run(
        ["bash", str(BOOTSTRAP)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )


def installed_addons(db):
    return subprocess.run(
        [
            "psql",
            "-d",
            db,
            "-Atc",
            INSTALLED_ADDONS,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()


@pytest.fixture(scope="module")
def bootstrapped(tmp_path_factory):
    """Odoo 18.0 installed by the bootstrap in a throwaway location; the
    seconds it took."""
    home = tmp_path_factory.mktemp("bootstrap") / "odoo-18.0"
    started = time.monotonic()
    result = bootstrap(home, ODOO_SOURCE=str(ODOO_TREE))
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(home / "bin" / "odoo")
    yield home, time.monotonic() - started
    shutil.rmtree(home.parent, ignore_errors=True)


def test_the_addons_install_with_the_odoo_it_installed(bootstrapped, tmp_path):
    home, seconds = bootstrapped
    print(f"{FIGURES}bootstrap from the local tree {ODOO_TREE}: {seconds:.0f} s")
    launcher = home / "bin" / "odoo"
    version = subprocess.run(
        [launcher, "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert " 18.0" in version
    # Its own Python, and a link where the user's PATH finds it.
    assert launcher.read_text().splitlines()[0] == f"#!{home}/venv/bin/python3"
    assert (home.parent / "bin" / "odoo").resolve() == launcher
    assert not (REPO_ROOT / "odoo").exists(), "Odoo's source went into the clone"

    db = f"cc_bootstrap_{os.getpid()}"
    conf = odoo_conf(tmp_path / "odoo.conf", f"{home}/src/odoo/addons,{REPO_ROOT}")
    try:
        install_db(db, ADDONS, odoo_bin=str(launcher), config=conf)
        assert installed_addons(db) == sorted(ADDONS.split(","))
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)


def test_a_second_call_reuses_it(bootstrapped):
    home, _seconds = bootstrapped
    stamps = {p.name: p.stat().st_mtime for p in (home / ".steps").iterdir()}
    assert set(stamps) == {"source", "venv", "requirements", "odoo", "launcher"}
    started = time.monotonic()
    result = bootstrap(home, ODOO_SOURCE=str(ODOO_TREE))
    seconds = time.monotonic() - started
    print(f"{FIGURES}second call: {seconds:.1f} s")
    assert result.returncode == 0, result.stderr
    assert "already installed" in result.stderr
    assert result.stdout.strip() == str(home / "bin" / "odoo")
    assert {p.name: p.stat().st_mtime for p in (home / ".steps").iterdir()} == stamps


FOUND = "$ODOO_BIN $ODOO_PYTHON"


def find_odoo(home, **env):
    """tools/odoo-env.sh's find_odoo, as the two commands call it, on a
    PATH without any `odoo`; prints what it found."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ODOO_BIN", "ODOO_PYTHON")
    }
    environment.update(PATH="/usr/sbin:/usr/bin:/sbin:/bin", ODOO_HOME=str(home), **env)
    return subprocess.run(
        [
            "bash",
            "-c",
            f'. {REPO_ROOT}/tools/odoo-env.sh && find_odoo && echo "{FOUND}"',
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_commands_find_the_odoo_it_installed(bootstrapped):
    home, _seconds = bootstrapped
    result = find_odoo(home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        str(home / "bin" / "odoo"),
        str(home / "venv" / "bin" / "python3"),
    ]
    assert "installing it" not in result.stderr


def test_the_commands_run_the_bootstrap_when_odoo_is_missing(tmp_path):
    home = tmp_path / "odoo-18.0"
    result = find_odoo(home, ODOO_SOURCE=str(tmp_path / "no-such-source"))
    assert result.returncode == 2
    assert f"No Odoo 18.0 found (odoo on PATH, {home}): installing it" in (
        result.stderr
    )
    assert f"ODOO_SOURCE={tmp_path}/no-such-source is neither" in result.stderr


def fake_odoo_tree(root, major):
    """A folder that looks like an Odoo source tree of version ``major``."""
    (root / "odoo").mkdir(parents=True)
    (root / "odoo-bin").write_text("#!/usr/bin/env python3\nimport odoo\n")
    (root / "odoo" / "release.py").write_text(
        f"version_info = ({major}, 0, 0, FINAL, 0, '')\n"
    )
    return root


def test_a_source_of_another_version_leaves_nothing_behind(tmp_path):
    tree = fake_odoo_tree(tmp_path / "odoo-17.0", 17)
    archive = tmp_path / "odoo-17.0.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tree, arcname="odoo-17.0")
    home = tmp_path / "home" / "odoo-18.0"

    result = bootstrap(home, ODOO_SOURCE=str(archive))

    assert result.returncode == 2
    assert f"ODOO_SOURCE={archive} is Odoo 17.0; this project needs 18.0" in (
        result.stderr
    )
    assert 'the step "source" did not finish; it was undone' in result.stderr
    assert sorted(p.name for p in home.iterdir()) == []


def test_a_failed_step_is_undone_and_the_next_call_starts_it_again(tmp_path):
    """From a git repository on disk, cloned at depth 1; the virtualenv
    step fails half-way (a Python without a working venv module): the clone
    stays, the half-made virtualenv goes, and the next call starts at that
    step."""
    repository = fake_odoo_tree(tmp_path / "odoo", 18)

    def git(*args):
        subprocess.run(
            ["git", "-C", repository, *args], check=True, capture_output=True
        )

    git("init", "-q", "-b", "18.0")
    for message in ("first", "second"):
        (repository / "README.md").write_text(message)
        git("add", "-A")
        git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message)
    broken_python = tmp_path / "python3"
    # Passes the version check, then dies with the virtualenv half made.
    broken_python.write_text(
        '#!/bin/sh\n[ "$1" = -m ] || exit 0\nmkdir -p "$3/bin"\nexit 1\n'
    )
    broken_python.chmod(0o755)
    home = tmp_path / "home" / "odoo-18.0"

    # A repository without a work tree (a tree is copied as it is).
    bare = tmp_path / "odoo.git"
    git("clone", "-q", "--bare", repository, bare)
    env = {"ODOO_SOURCE": str(bare), "BOOTSTRAP_PYTHON": str(broken_python)}
    first = bootstrap(home, **env)
    second = bootstrap(home, **env)

    for result in (first, second):
        assert result.returncode == 2
        assert f"{broken_python} could not create a virtualenv" in result.stderr
        assert 'the step "venv" did not finish' in result.stderr
    assert "Cloning branch 18.0" in first.stderr
    assert "Cloning" not in second.stderr
    clone = home / "src"
    assert (clone / "odoo-bin").exists()
    count = subprocess.run(
        ["git", "-C", clone, "rev-list", "--count", "HEAD"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert count.strip() == "1"
    assert sorted(p.name for p in (home / ".steps").iterdir()) == ["source"]
    assert not (home / "venv").exists()
    assert not (home / "bin").exists()


def test_the_addons_install_as_wheels_and_odoo_installs_them_from_there(
    bootstrapped, tmp_path
):
    """Last in this file: the bootstrapped virtualenv holds the addons
    afterwards."""
    home, _seconds = bootstrapped
    python = home / "venv" / "bin" / "python"
    dist = tmp_path / "dist"
    for project in [*repo_addons(), REPO_ROOT / "setup" / "_metapackage"]:
        build = subprocess.run(
            [python, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, project],
            capture_output=True,
            text=True,
            check=False,
        )
        assert build.returncode == 0, build.stderr[-3000:]
    install = subprocess.run(
        [
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--find-links",
            dist,
            "odoo-addons-credit-collection",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert install.returncode == 0, install.stderr[-3000:]

    # An addons path that names Odoo's own addons only, not the clone.
    conf = odoo_conf(tmp_path / "odoo.conf", f"{home}/src/odoo/addons")
    where = subprocess.run(
        [
            python,
            "-c",
            MODULE_PATHS,
            conf,
            *ADDONS.split(","),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where == [
        f"{site_packages}/odoo/addons/{name}" for name in ADDONS.split(",")
    ]

    db = f"cc_wheels_{os.getpid()}"
    try:
        install_db(db, ADDONS, odoo_bin=str(home / "bin" / "odoo"), config=conf)
        assert installed_addons(db) == sorted(ADDONS.split(","))
    finally:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
