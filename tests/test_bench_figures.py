"""The benchmark's figures from several timings of one run (database-free):
the median it takes ratios from, and the ratio line that shows each run's
too."""

from tests.benchmarks.bench_collection_run import median_run, ratio_line


def _runs(*seconds):
    return [{"seconds": value, "number": n} for n, value in enumerate(seconds)]


def test_the_median_run_is_the_middle_one_whatever_the_order():
    assert median_run(_runs(5.0, 4.6, 4.9))["number"] == 2
    assert median_run(_runs(7.2, 4.6, 5.6, 5.2, 6.0))["number"] == 2
    assert median_run(_runs(3.0))["number"] == 0


def test_of_an_even_number_the_median_run_is_the_slower_middle_one():
    # Never a better time than one measured: no mean of the two middle ones.
    assert median_run(_runs(4.0, 6.0))["seconds"] == 6.0
    assert median_run(_runs(4.0, 9.0, 5.0, 4.5))["seconds"] == 5.0


def test_the_ratio_line_gives_the_median_runs_ratio_and_each_runs():
    line = ratio_line("2 workers", 100.0, _runs(5.0, 4.0, 8.0))
    assert line == (
        "ratio OCA / cold run, 2 workers: 20.0x, of the median of 3 "
        "(each run: 20.0x, 25.0x, 12.5x)"
    )
