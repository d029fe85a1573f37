"""Odoo's own test runner, read from its log: what each test did, and the
comparison of a database with the addons against one without them.

Odoo's runner (``odoo/tests/result.py``) logs ``Starting Class.test ...``
when a test starts, ``FAIL: …`` or ``ERROR: …`` with the traceback when it
fails, ``skipped … : reason`` when it skips, and one summary line per
database. Each test is named by the logger of its module and its
description, e.g. ``odoo.addons.sale.tests.test_sale_order:TestSaleOrder.test_x``.
"""

import re
from dataclasses import dataclass, field

RECORD = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>[\w.]+): (?P<message>.*)$"
)
STARTING = re.compile(r"^Starting (?P<test>.+) \.\.\.$")
FAILURE = re.compile(r"^(?P<kind>FAIL|ERROR): (?P<test>.+)$")
SKIPPED = re.compile(r"^skipped (?P<test>.+?) : (?P<reason>.*)$")
SUMMARY = re.compile(
    r"^(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests "
    r"when loading database"
)
# A failure outside any test: a class or module fixture.
FIXTURE = re.compile(
    r"^(?P<fixture>setUpClass|tearDownClass|setUpModule|tearDownModule) "
    r"\((?P<path>[\w.]+)\)$"
)
FIXTURE_ID = re.compile(r"\.(setUpClass|tearDownClass|setUpModule|tearDownModule)$")
SUBTEST = re.compile(r"^Subtest (?P<test>\S+)")
DIFF_LINE = re.compile(r"^[-+?] ")
EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Failure|Exit)\b.*")

PASSED, FAILED, ERROR, SKIPPED_STATUS = "passed", "failed", "error", "skipped"
NOT_RUN = "not run"
SEVERITY = {PASSED: 0, SKIPPED_STATUS: 1, FAILED: 2, ERROR: 2}


class LogNotUnderstood(Exception):
    """The log does not read as a complete run of Odoo's tests."""


@dataclass
class Outcome:
    status: str
    reason: str = ""


@dataclass
class SuiteResult:
    """Every test of one database's run, by test id."""

    tests: dict = field(default_factory=dict)
    run: int = 0
    failed: int = 0
    errors: int = 0

    def record(self, test, status, details):
        """Record what happened to ``test``; of a test's subtests, the worst
        outcome stays (an error or failure over a skip over a pass)."""
        known = self.tests.get(test)
        if not known or SEVERITY[status] > SEVERITY[known.status]:
            self.tests[test] = Outcome(status, reason_of(details))

    def failing(self):
        return {
            test: outcome
            for test, outcome in self.tests.items()
            if outcome.status in (FAILED, ERROR)
        }

    def skipped(self):
        return {
            test: outcome
            for test, outcome in self.tests.items()
            if outcome.status == SKIPPED_STATUS
        }

    def status(self, test):
        outcome = self.tests.get(test)
        return outcome.status if outcome else NOT_RUN


def _records(lines):
    """(level, logger, message with its continuation lines) of each record."""
    record = None
    for line in lines:
        match = RECORD.match(line)
        if match:
            if record:
                yield record
            # Odoo's log lines end with a space.
            record = [match["level"], match["logger"], [match["message"].rstrip()]]
        elif record:
            record[2].append(line)
    if record:
        yield record


def reason_of(traceback_lines):
    """The exception a traceback ends with, on one line, with the lines of
    its message (a tour's failed step) but not an assertion's diff."""
    lines = [line.strip() for line in traceback_lines if line.strip()]
    for index in range(len(lines) - 1, -1, -1):
        if EXCEPTION_LINE.match(lines[index]):
            message = [lines[index]] + [
                line for line in lines[index + 1 :] if not DIFF_LINE.match(line)
            ]
            return " | ".join(message)[:500]
    return lines[-1][:500] if lines else ""


def test_id(logger, description):
    """The id of the test ``description`` logged by ``logger`` (its module).
    A subtest's failure is its test's; a class fixture's is named after its
    class."""
    fixture = FIXTURE.match(description)
    if fixture:
        module, _dot, cls = fixture["path"].rpartition(".")
        return f"{module}:{cls}.{fixture['fixture']}"
    subtest = SUBTEST.match(description)
    if subtest:
        description = subtest["test"]
    return f"{logger}:{description}"


def parse_log(lines):
    """The result of one run of Odoo's tests from its log lines. Raises
    ``LogNotUnderstood`` when the log has no summary or its counts disagree
    with the tests it lists: a run that cannot be read proves nothing."""
    result = SuiteResult()
    failure_records = 0
    summary = None
    for level, logger, message in _records(lines):
        head = message[0]
        if level == "INFO" and (started := STARTING.match(head)):
            result.tests.setdefault(test_id(logger, started["test"]), Outcome(PASSED))
        elif level == "ERROR" and (failure := FAILURE.match(head)):
            failure_records += 1
            status = FAILED if failure["kind"] == "FAIL" else ERROR
            result.record(test_id(logger, failure["test"]), status, message[1:])
        elif level == "INFO" and (skipped := SKIPPED.match(head)):
            test = test_id(logger, skipped["test"])
            result.record(test, SKIPPED_STATUS, [skipped["reason"]])
        elif found := SUMMARY.match(head):
            summary = found
    if summary is None:
        raise LogNotUnderstood(
            "no summary line ('N failed, M error(s) of T tests'): "
            "the database or its tests did not finish"
        )
    result.run = int(summary["run"])
    result.failed = int(summary["failed"])
    result.errors = int(summary["errors"])
    started = sum(1 for test in result.tests if not FIXTURE_ID.search(test))
    if failure_records != result.failed + result.errors:
        raise LogNotUnderstood(
            f"{failure_records} failures logged, the summary counts "
            f"{result.failed + result.errors}"
        )
    if started != result.run:
        raise LogNotUnderstood(
            f"{started} tests started in the log, the summary counts {result.run}"
        )
    return result


@dataclass
class Comparison:
    """Odoo's tests on a database without the addons and on one with them."""

    without: SuiteResult
    with_addons: SuiteResult

    def caused_by_addons(self):
        """Tests that do not pass with the addons although they pass (or do
        not exist, as a fixture failing only with the addons) without them."""
        caused = {}
        for test, outcome in self.without.tests.items():
            if outcome.status == PASSED and self.with_addons.status(test) != PASSED:
                caused[test] = self.with_addons.tests.get(test, Outcome(NOT_RUN))
        for test, outcome in self.with_addons.failing().items():
            if test not in self.without.tests:
                caused[test] = outcome
        return caused

    def failing_on_plain_odoo(self):
        """Tests failing without the addons, with the reason they fail there
        and their status with the addons."""
        return {
            test: (outcome, self.with_addons.status(test))
            for test, outcome in self.without.failing().items()
        }

    def skipped_on_plain_odoo(self):
        """Tests skipped without the addons (Odoo skips what needs a module
        of its Enterprise edition), with the reason and their status with
        the addons. A test skipped only with the addons is theirs."""
        return {
            test: (outcome, self.with_addons.status(test))
            for test, outcome in self.without.skipped().items()
        }

    def ok(self):
        return not self.caused_by_addons()

    @staticmethod
    def _counts(result):
        return f"{result.failed} failed, {result.errors} error(s)"

    def report(self):
        without, with_addons = self.without, self.with_addons
        run = f"{without.run} without the addons, {with_addons.run} with them"
        lines = [
            "Odoo 18.0's own tests of the modules the addons extend:",
            f"  tests run: {run}",
            f"  failed without the addons: {self._counts(without)}",
            f"  failed with the addons: {self._counts(with_addons)}",
            f"  caused by the addons: {len(self.caused_by_addons())}",
        ]
        for title, tests in (
            ("Failing on plain Odoo 18 too", self.failing_on_plain_odoo()),
            ("Skipped on plain Odoo 18 too", self.skipped_on_plain_odoo()),
        ):
            if tests:
                lines.append(f"{title} (status with the addons):")
            for test, (outcome, status) in sorted(tests.items()):
                lines.append(f"  {test} [{outcome.status}; with the addons: {status}]")
                lines.append(f"      {outcome.reason}")
        for test, outcome in sorted(self.caused_by_addons().items()):
            lines.append(f"CAUSED BY THE ADDONS: {test} [{outcome.status}]")
            if outcome.reason:
                lines.append(f"      {outcome.reason}")
        return "\n".join(lines)
