"""Where things live, checked on the addons' sources (tests left out): no
function too long to read at once, and the receivable ledger's rule written
in one place (``credit.collection.ledger``), whatever form it takes."""

import ast
import re

import pytest

from .conftest import repo_addons

MAX_FUNCTION_LINES = 80
LEDGER = "credit_collection/models/credit_collection_ledger.py"
# The receivable condition in any of its forms: the account type, the
# columns a receivable item is told open or posted by.
RECEIVABLE_RULE = re.compile(
    r"asset_receivable|account_type\s*=|\.reconciled\b|reconciled\s*(=|IS)|"
    r"parent_state\s*=|['\"]parent_state['\"]|['\"]reconciled['\"]"
)
# Places that read a settled item as such (not the ledger's rule): the
# checks that a record covers no paid item, the day a paid item was settled
# in a payment history, a text message paid meanwhile.
SETTLED_READERS = {
    "credit_collection/models/account_move_line.py",
    "credit_collection/models/credit_collection_profile_advisor.py",
    "credit_collection_sms/models/credit_collection_action.py",
}


def _sources():
    for addon in repo_addons():
        for path in sorted(addon.rglob("*.py")):
            relative = path.relative_to(addon.parent).as_posix()
            if "/tests/" not in relative and "/migrations/" not in relative:
                yield relative, path.read_text()


SOURCES = dict(_sources())


@pytest.mark.parametrize("relative", sorted(SOURCES))
def test_no_function_over_80_lines(relative):
    source = SOURCES[relative]
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_the_receivable_rule_is_written_once():
    found = {
        relative: [
            line.strip()
            for line in source.splitlines()
            if RECEIVABLE_RULE.search(line) and not line.strip().startswith("#")
        ]
        for relative, source in SOURCES.items()
        if relative != LEDGER
    }
    elsewhere = {
        relative: lines
        for relative, lines in found.items()
        if lines and relative not in SETTLED_READERS
    }
    assert elsewhere == {}, "the ledger's rule belongs to credit.collection.ledger"
    # The settled readers read ``reconciled`` only, never the whole rule.
    for relative in SETTLED_READERS:
        assert all("reconciled" in line for line in found[relative]), relative


@pytest.mark.parametrize("addon", [addon.name for addon in repo_addons()])
def test_every_test_module_is_imported_by_its_package(addon):
    """Odoo's own test runner (``--test-enable``) runs only the test
    modules that ``tests/__init__.py`` imports; pytest finds them all."""
    tests = next(a for a in repo_addons() if a.name == addon) / "tests"
    imported = set(
        re.findall(
            r"^from \. import (\w+)$",
            tests.joinpath("__init__.py").read_text(),
            re.MULTILINE,
        )
    )
    modules = {path.stem for path in tests.glob("test_*.py")}
    assert sorted(modules - imported) == []
