"""Repository-level checks: helpers shared by the tests of this folder."""

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def repo_addons():
    """Every addon of the repository: a folder at its root with a manifest."""
    return sorted(p.parent for p in REPO_ROOT.glob("*/__manifest__.py"))


def read_manifest(addon_dir):
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text())


@pytest.fixture(params=repo_addons(), ids=lambda p: p.name)
def addon_dir(request):
    return request.param
