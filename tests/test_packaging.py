"""Each addon is an installable distribution, as the OCA packages 18.0 addons."""

import zipfile
from email.parser import Parser

import tomllib
from whool import buildapi

from .conftest import REPO_ROOT, read_manifest, repo_addons


def test_repository_has_addons():
    assert "credit_collection" in [p.name for p in repo_addons()]


def test_manifest_targets_odoo_18(addon_dir):
    manifest = read_manifest(addon_dir)
    assert manifest["version"].startswith("18.0.")
    assert manifest["license"] == "AGPL-3"
    assert manifest["installable"]


def test_pyproject_uses_whool(addon_dir):
    pyproject = tomllib.loads((addon_dir / "pyproject.toml").read_text())
    assert pyproject["build-system"] == {
        "requires": ["whool"],
        "build-backend": "whool.buildapi",
    }


def test_metapackage_lists_every_addon():
    pyproject = tomllib.loads(
        (REPO_ROOT / "setup" / "_metapackage" / "pyproject.toml").read_text()
    )
    expected = {f"odoo-addon-{p.name}>=18.0dev,<18.1dev" for p in repo_addons()}
    assert set(pyproject["project"]["dependencies"]) == expected


def test_external_dependencies_are_in_requirements(addon_dir):
    python_deps = (
        read_manifest(addon_dir).get("external_dependencies", {}).get("python", [])
    )
    requirements = {
        line.split("#")[0].strip().lower()
        for line in (REPO_ROOT / "requirements.txt").read_text().splitlines()
    }
    for dependency in python_deps:
        assert dependency.lower() in requirements, dependency


def test_wheel_builds_with_manifest_metadata(addon_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(addon_dir)
    wheel_name = buildapi.build_wheel(str(tmp_path))
    manifest = read_manifest(addon_dir)
    with zipfile.ZipFile(tmp_path / wheel_name) as wheel:
        names = wheel.namelist()
        metadata_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    assert f"odoo/addons/{addon_dir.name}/__manifest__.py" in names
    assert metadata["Name"].replace("_", "-") == f"odoo-addon-{addon_dir.name}".replace(
        "_", "-"
    )
    assert metadata["Version"].startswith(manifest["version"])
    requires = metadata.get_all("Requires-Dist")
    assert any(r.replace(" ", "").startswith("odoo==18.0.*") for r in requires), (
        requires
    )
    for depend in manifest["depends"]:
        # Odoo's own addons ship with Odoo; only repository addons are required.
        if (REPO_ROOT / depend / "__manifest__.py").exists():
            assert any(depend in r for r in requires), (depend, requires)
