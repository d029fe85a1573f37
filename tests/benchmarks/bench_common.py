"""What every benchmark script starts with: its command line (the Odoo
configuration and database that tools/bench.sh gives it) and the database's
registry."""

import argparse
import contextlib
import importlib.util
import re
import statistics
import time

from werkzeug.test import Client

import odoo
from odoo.modules.module import get_module_path
from odoo.modules.registry import Registry


def parser(description):
    """An argument parser with ``-c/--config`` and ``-d/--database``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    return parser


def ledger_parser(description):
    """The parser of a benchmark on a generated ledger: ``--customers`` and
    ``--items`` (10,000 x 10 by default) besides the configuration and
    database."""
    ledger = parser(description)
    ledger.add_argument("--customers", type=int, default=10000)
    ledger.add_argument("--items", type=int, default=10)
    return ledger


def open_registry(args):
    """Load Odoo's configuration and the benchmark database's registry."""
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    return Registry(args.database)


def time_page(url, repeat):
    """Request ``url`` inside Odoo's WSGI application (server time: routing,
    access checks, queries and rendering; no network) ``repeat`` + 1 times:
    ``(first request's seconds, median of the others, status, the invoice
    rows' line ids)`` of the last answer."""
    client = Client(odoo.http.root)
    timings = []
    for _n in range(repeat + 1):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
    body = response.get_data(as_text=True)
    line_ids = [int(found) for found in re.findall(r'data-line-id="(\d+)"', body)]
    return timings[0], statistics.median(timings[1:]), response.status_code, line_ids


def addon_test_helper(addon, name):
    """The module ``name`` of ``addon``'s tests folder, loaded on its own: the
    tests package would import Odoo's test framework, which complains
    outside a test run."""
    path = f"{get_module_path(addon)}/tests/{name}.py"
    spec = importlib.util.spec_from_file_location(f"{addon}_tests_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def without_template_reports(env):
    """Reminders rendered without their template's reports (the statement
    PDF), in this process only: what rendering and queueing the emails
    costs alone."""
    Template = type(env["mail.template"])
    generate = Template._generate_template

    def without_reports(self, res_ids, render_fields, *args, **kwargs):
        fields = [name for name in render_fields if name != "report_template_ids"]
        return generate(self, res_ids, fields, *args, **kwargs)

    Template._generate_template = without_reports
    try:
        yield
    finally:
        Template._generate_template = generate
