"""The README's commands find Odoo and the addons, or say what is missing."""

import os
import shutil
import subprocess
import sys

from .conftest import REPO_ROOT


def _run_env_function(tmp_path, function, env=None, repo=REPO_ROOT):
    script = f'. "{repo}/tools/odoo-env.sh"; {function}'
    return subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=tmp_path,
        check=False,
    )


def test_another_version_on_path_gives_way_to_the_bootstrapped_one(tmp_path):
    """`odoo` on PATH is Odoo 17: the one in ODOO_HOME is used (and a
    machine with neither runs the bootstrap: tests/test_bootstrap.py)."""
    other = tmp_path / "path" / "odoo"
    other.parent.mkdir()
    other.write_text("#!/bin/sh\necho 'Odoo Server 17.0'\n")
    ours = tmp_path / "home" / "bin" / "odoo"
    ours.parent.mkdir(parents=True)
    ours.write_text(f"#!{sys.executable}\nprint('Odoo Server 18.0')\n")
    for launcher in (other, ours):
        launcher.chmod(0o755)
    env = {
        "ODOO_BIN": "",
        "ODOO_PYTHON": "",
        "PATH": f"{other.parent}:/usr/bin:/bin",
        "ODOO_HOME": str(tmp_path / "home"),
    }
    result = _run_env_function(tmp_path, 'find_odoo && echo "$ODOO_BIN"', env)
    assert result.returncode == 0, result.stderr
    assert f"{other} is 'Odoo Server 17.0', not 18.0: not used" in result.stderr
    assert result.stdout.strip() == str(ours)


def test_other_odoo_version_is_refused(tmp_path):
    fake = tmp_path / "odoo"
    fake.write_text("#!/bin/sh\necho 'Odoo Server 17.0'\n")
    fake.chmod(0o755)
    result = _run_env_function(tmp_path, "find_odoo", {"ODOO_BIN": str(fake)})
    assert result.returncode == 2
    assert "is 'Odoo Server 17.0'; this project needs Odoo 18.0" in result.stderr


def test_odoo_18_is_found_with_its_python(tmp_path):
    result = _run_env_function(
        tmp_path, 'find_odoo && echo "$ODOO_PYTHON|$ODOO_ADDONS_PATH"'
    )
    assert result.returncode == 0, result.stderr
    python, addons_path = result.stdout.strip().split("|")
    assert os.access(python, os.X_OK)
    assert any(
        os.path.isdir(os.path.join(p, "account")) for p in addons_path.split(",")
    )


def test_every_addon_at_the_root_is_picked_up(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "tools", repo / "tools")
    for name in ("credit_collection", "credit_collection_extra"):
        (repo / name).mkdir()
        (repo / name / "__manifest__.py").write_text("{}")
    (repo / "not_an_addon").mkdir()
    result = _run_env_function(tmp_path, "repo_addons", repo=repo)
    assert result.stdout.strip() == "credit_collection,credit_collection_extra"


def test_no_addon_is_an_error(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO_ROOT / "tools", repo / "tools")
    result = _run_env_function(tmp_path, "repo_addons", repo=repo)
    assert result.returncode == 2
    assert "no addon found" in result.stderr
