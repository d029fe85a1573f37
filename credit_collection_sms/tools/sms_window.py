"""When a text message may reach someone: within the company's sending
hours, on a working day, both in the recipient's time zone."""

from datetime import datetime, time, timedelta

import pytz

# How far to look for the next opening (a fortnight covers any calendar).
LOOKAHEAD_DAYS = 14


def _at(day, hours, zone):
    """``hours`` (e.g. 9.5) on ``day`` in ``zone``, as naive UTC."""
    minutes = round(hours * 60)
    local = zone.localize(datetime.combine(day, time(minutes // 60, minutes % 60)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def next_send_time(now, tz_name, hour_from, hour_to, is_working_day):
    """The first moment from ``now`` (naive UTC) when a message may go to a
    recipient in ``tz_name``: ``now`` itself when inside the window,
    otherwise the next opening (naive UTC), or None when no working day
    comes within two weeks. ``is_working_day(date)`` tells the company's
    working days; the window runs from ``hour_from`` to ``hour_to``, local
    time."""
    zone = pytz.timezone(tz_name or "UTC")
    local_now = pytz.utc.localize(now).astimezone(zone)
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local_now.date() + timedelta(days=offset)
        if not is_working_day(day):
            continue
        opening, closing = _at(day, hour_from, zone), _at(day, hour_to, zone)
        if now < opening:
            return opening
        if now < closing:
            return now
    return None
