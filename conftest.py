"""pytest setup shared by every test run from the repository root."""

import logging


class _TestFrameworkImportFilter(logging.Filter):
    """pytest-odoo imports ``odoo.tests`` before it switches Odoo to test mode,
    so Odoo logs that import as an ERROR although the tests do run in test
    mode. Drop that one record; every other error still shows."""

    def filter(self, record):
        return not record.getMessage().startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_TestFrameworkImportFilter())


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """A skipped test would hide a failure (e.g. tours skip when Chromium or
    websocket-client is missing): a run that skips any test fails."""
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped and exitstatus == 0:
        terminalreporter.write_line(
            f"FAILED: {len(skipped)} test(s) skipped; every test must run here "
            "(see the reasons above with -rs).",
            red=True,
        )
        terminalreporter._session.exitstatus = 1
