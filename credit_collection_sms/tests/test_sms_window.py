"""When a text message may go out, without a database."""

from datetime import date, datetime

from odoo.tests import BaseCase

from ..tools.sms_window import next_send_time


def weekdays(day):
    return day.weekday() < 5


class TestSmsWindow(BaseCase):
    # 2026-03-11 is a Wednesday; times are naive UTC. Paris is UTC+1 in
    # winter, UTC+2 from 29 March 2026; New York UTC-4 from 8 March 2026.
    CASES = [
        # (why, now, time zone, window, working days, expected)
        (
            "inside the window: now",
            datetime(2026, 3, 11, 10, 0),
            "Europe/Paris",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 11, 10, 0),
        ),
        (
            "before it opens: at its opening, local time",
            datetime(2026, 3, 11, 6, 0),
            "Europe/Paris",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 11, 8, 0),
        ),
        (
            "after it closes: the next day's opening",
            datetime(2026, 3, 11, 18, 30),
            "Europe/Paris",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 12, 8, 0),
        ),
        (
            "at its closing minute: closed",
            datetime(2026, 3, 11, 18, 0),
            "Europe/Paris",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 12, 8, 0),
        ),
        (
            "half hours",
            datetime(2026, 3, 11, 7, 0),
            "Europe/Paris",
            (8.5, 17.5),
            weekdays,
            datetime(2026, 3, 11, 7, 30),
        ),
        (
            "Friday evening: Monday",
            datetime(2026, 3, 13, 19, 0),
            "Europe/Paris",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 16, 8, 0),
        ),
        (
            "the recipient's time zone, not UTC",
            datetime(2026, 3, 11, 12, 0),
            "America/New_York",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 11, 13, 0),
        ),
        (
            "a day already begun in the recipient's zone",
            datetime(2026, 3, 11, 23, 30),
            "Pacific/Auckland",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 11, 23, 30),
        ),
        (
            "across the change to summer time",
            datetime(2026, 3, 27, 19, 0),
            "Europe/Paris",
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 30, 7, 0),
        ),
        (
            "no time zone: UTC",
            datetime(2026, 3, 11, 6, 0),
            False,
            (9.0, 19.0),
            weekdays,
            datetime(2026, 3, 11, 9, 0),
        ),
        (
            "a holiday is skipped",
            datetime(2026, 3, 11, 19, 0),
            "Europe/Paris",
            (9.0, 19.0),
            lambda day: weekdays(day) and day != date(2026, 3, 12),
            datetime(2026, 3, 13, 8, 0),
        ),
        (
            "no working day within two weeks: never",
            datetime(2026, 3, 11, 10, 0),
            "Europe/Paris",
            (9.0, 19.0),
            lambda day: False,
            None,
        ),
    ]

    def test_next_send_time(self):
        for why, now, tz, (hour_from, hour_to), working, expected in self.CASES:
            with self.subTest(why):
                self.assertEqual(
                    next_send_time(now, tz, hour_from, hour_to, working), expected
                )
