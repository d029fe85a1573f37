"""Reading Odoo's test log and comparing the runs with and without the addons
(tests/odoo_suites): the verdict of `tools/odoo-suites.sh` rests on it."""

import pytest

from .odoo_suites.results import (
    ERROR,
    FAILED,
    NOT_RUN,
    PASSED,
    SKIPPED_STATUS,
    Comparison,
    LogNotUnderstood,
    parse_log,
)
from .odoo_suites.selection import (
    modules_with_addons,
    modules_without_addons,
    odoo_test_tags,
)

STAMP = "2026-12-03 09:00:00,123 4242"
SALE = "odoo.addons.sale.tests.test_sale_order"
ACCOUNT = "odoo.addons.account.tests.test_account_payment"


def _line(level, logger, message):
    # As Odoo writes them: a space at the end.
    return f"{STAMP} {level} cc_suites {logger}: {message} "


def _start(logger, test):
    return _line("INFO", logger, f"Starting {test} ...")


def _fail(logger, test, kind="FAIL", exception="AssertionError: 1 != 2"):
    return [
        _line("INFO", logger, "=" * 70),
        _line("ERROR", logger, f"{kind}: {test}"),
        "Traceback (most recent call last):",
        '  File "/odoo/addons/sale/tests/test_sale_order.py", line 12, in test',
        "    self.assertEqual(1, 2)",
        exception,
    ]


def _summary(failed, errors, run):
    return _line(
        "INFO",
        "odoo.service.server",
        f"{failed} failed, {errors} error(s) of {run} tests when loading "
        "database 'cc_suites'",
    )


def _log(*blocks):
    lines = []
    for block in blocks:
        lines += block if isinstance(block, list) else [block]
    return lines


def test_each_test_gets_its_outcome_and_reason():
    result = parse_log(
        _log(
            _start(SALE, "TestSaleOrder.test_ok"),
            _start(SALE, "TestSaleOrder.test_bad"),
            _fail(SALE, "TestSaleOrder.test_bad"),
            _start(ACCOUNT, "TestAccountPayment.test_crash"),
            _fail(
                ACCOUNT,
                "TestAccountPayment.test_crash",
                kind="ERROR",
                exception="KeyError: 'amount'",
            ),
            _summary(1, 1, 3),
        )
    )
    assert result.status(f"{SALE}:TestSaleOrder.test_ok") == PASSED
    bad = result.tests[f"{SALE}:TestSaleOrder.test_bad"]
    assert (bad.status, bad.reason) == (FAILED, "AssertionError: 1 != 2")
    crash = result.tests[f"{ACCOUNT}:TestAccountPayment.test_crash"]
    assert (crash.status, crash.reason) == (ERROR, "KeyError: 'amount'")
    assert (result.run, result.failed, result.errors) == (3, 1, 1)


def test_a_failing_subtest_fails_its_test_once():
    result = parse_log(
        _log(
            _start(SALE, "TestSaleOrder.test_prices"),
            _fail(SALE, "Subtest TestSaleOrder.test_prices (price=1)"),
            _fail(SALE, "Subtest TestSaleOrder.test_prices (price=2)"),
            _summary(2, 0, 1),
        )
    )
    assert list(result.tests) == [f"{SALE}:TestSaleOrder.test_prices"]
    assert result.status(f"{SALE}:TestSaleOrder.test_prices") == FAILED


def test_a_class_fixture_failure_is_named_after_its_class():
    result = parse_log(
        _log(
            _fail(
                "unittest.suite",
                f"setUpClass ({SALE}.TestSaleOrder)",
                kind="ERROR",
                exception="psycopg2.errors.NotNullViolation: null value",
            ),
            _summary(0, 1, 0),
        )
    )
    fixture = result.tests[f"{SALE}:TestSaleOrder.setUpClass"]
    assert fixture.status == ERROR
    assert fixture.reason.startswith("psycopg2.errors.NotNullViolation")


def test_a_log_without_its_summary_is_not_a_pass():
    with pytest.raises(LogNotUnderstood, match="no summary line"):
        parse_log([_start(SALE, "TestSaleOrder.test_ok")])


def test_counts_that_disagree_with_the_summary_are_refused():
    with pytest.raises(LogNotUnderstood, match="1 tests started"):
        parse_log(_log(_start(SALE, "TestSaleOrder.test_ok"), _summary(0, 0, 2)))
    with pytest.raises(LogNotUnderstood, match="0 failures logged"):
        parse_log(_log(_start(SALE, "TestSaleOrder.test_ok"), _summary(1, 0, 1)))


def _result(**statuses):
    lines = []
    failed = errors = 0
    for name, status in statuses.items():
        lines.append(_start(SALE, f"TestSaleOrder.{name}"))
        if status == FAILED:
            lines += _fail(SALE, f"TestSaleOrder.{name}")
            failed += 1
        elif status == ERROR:
            lines += _fail(SALE, f"TestSaleOrder.{name}", kind="ERROR")
            errors += 1
    lines.append(_summary(failed, errors, len(statuses)))
    return parse_log(lines)


def test_comparison_blames_the_addons_only_for_what_passes_without_them():
    without = _result(test_a=PASSED, test_b=FAILED, test_c=PASSED, test_d=ERROR)
    with_addons = _result(test_a=PASSED, test_b=FAILED, test_c=FAILED, test_d=ERROR)
    comparison = Comparison(without, with_addons)
    assert list(comparison.caused_by_addons()) == [f"{SALE}:TestSaleOrder.test_c"]
    assert sorted(comparison.failing_on_plain_odoo()) == [
        f"{SALE}:TestSaleOrder.test_b",
        f"{SALE}:TestSaleOrder.test_d",
    ]
    assert not comparison.ok()
    report = comparison.report()
    assert "caused by the addons: 1" in report
    assert f"CAUSED BY THE ADDONS: {SALE}:TestSaleOrder.test_c [failed]" in report
    assert "AssertionError: 1 != 2" in report


def test_a_test_that_no_longer_runs_with_the_addons_is_their_failure():
    comparison = Comparison(
        _result(test_a=PASSED, test_b=PASSED), _result(test_a=PASSED)
    )
    caused = comparison.caused_by_addons()
    assert [(test, outcome.status) for test, outcome in caused.items()] == [
        (f"{SALE}:TestSaleOrder.test_b", NOT_RUN)
    ]


def test_the_same_failures_on_both_sides_are_not_the_addons():
    comparison = Comparison(
        _result(test_a=PASSED, test_b=FAILED), _result(test_a=PASSED, test_b=FAILED)
    )
    assert comparison.ok()
    assert "caused by the addons: 0" in comparison.report()


def _skipped(*reasons):
    lines = [_start(SALE, "TestSaleOrder.test_tour")]
    lines += [
        _line("INFO", SALE, f"skipped {test} : {reason}") for test, reason in reasons
    ]
    return parse_log([*lines, _summary(0, 0, 1)])


def test_a_test_skipped_only_with_the_addons_is_their_failure():
    skipped = _skipped(("TestSaleOrder.test_tour", "no browser"))
    comparison = Comparison(_result(test_tour=PASSED), skipped)
    assert not comparison.ok()
    assert "CAUSED BY THE ADDONS" in comparison.report()


def test_a_test_skipped_on_plain_odoo_too_is_listed_with_its_reason():
    reasons = [
        ("Subtest TestSaleOrder.test_tour [one]", "Accounting not installed"),
        ("Subtest TestSaleOrder.test_tour [two]", "Accounting not installed"),
    ]
    comparison = Comparison(_skipped(*reasons), _skipped(*reasons))
    assert comparison.ok()
    [(test, (outcome, status))] = comparison.skipped_on_plain_odoo().items()
    assert test == f"{SALE}:TestSaleOrder.test_tour"
    assert (outcome.reason, status) == ("Accounting not installed", SKIPPED_STATUS)
    assert "Skipped on plain Odoo 18 too" in comparison.report()


def test_a_failing_subtest_outweighs_a_skipped_one():
    result = parse_log(
        [
            _start(SALE, "TestSaleOrder.test_mixed"),
            _line("INFO", SALE, "skipped Subtest TestSaleOrder.test_mixed [a] : why"),
            *_fail(SALE, "Subtest TestSaleOrder.test_mixed [b]"),
            _summary(1, 0, 1),
        ]
    )
    assert result.status(f"{SALE}:TestSaleOrder.test_mixed") == FAILED


def test_both_databases_hold_the_same_modules_but_the_addons():
    depends = {
        "credit_collection": ["account", "mail"],
        "credit_collection_sale": ["credit_collection", "sale"],
    }
    without = modules_without_addons(depends)
    assert "credit_collection" not in without
    assert {"account", "mail", "sale", "sale_management", "portal", "sms"} <= set(
        without
    )
    assert set(modules_with_addons(depends)) - set(without) == set(depends)


def test_the_selection_names_the_account_classes_and_whole_modules():
    tags = odoo_test_tags().split(",")
    assert "/account:TestAccountPaymentRegister" in tags
    assert "/sale" in tags and "/sms" in tags
    assert "/account" not in tags  # the whole module would take an hour
