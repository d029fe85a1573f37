"""pytest setup shared by every test run from the repository root."""

import logging


class _TestFrameworkImportFilter(logging.Filter):
    """pytest-odoo imports ``odoo.tests`` before it switches Odoo to test mode,
    so Odoo logs that import as an ERROR although the tests do run in test
    mode. Drop that one record; every other error still shows."""

    def filter(self, record):
        return not record.getMessage().startswith("Importing test framework")


logging.getLogger("odoo.tests.common").addFilter(_TestFrameworkImportFilter())
