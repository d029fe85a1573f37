"""The live tests' browser starts where Odoo's server limits the memory of
the process that starts it (pytest-odoo's --odoo-http does, in make test)."""

import resource

from odoo.tools import config

from .live.browser import Browser


def test_chromium_starts_under_the_memory_limit_of_odoos_server():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    # What Odoo's server sets on its process at start (set_limit_memory_hard).
    resource.setrlimit(resource.RLIMIT_AS, (config["limit_memory_hard"], hard))
    try:
        browser = Browser()
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    try:
        browser.open("data:text/html,<title>up</title>")
        assert browser.evaluate("document.title") == "up"
    finally:
        browser.close()
