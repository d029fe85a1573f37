"""Expected recovery of a collection action: what acting on it today is
likely to bring in within 30 days that would not come in anyway.

Plain statistics, shrunk towards wider groups where the evidence is thin
(empirical Bayes): a stage and channel's response rate towards its payer
profile's, a profile's towards the company's, and a customer's own record
towards what its profile's customers do. A customer with no history of its
own is scored as its profile; each past action, promise or overdue invoice
of its own moves it away from there.

    expected recovery = recoverable amount
                        x chance it pays within 30 days after this action
                        x (1 - chance it pays within 30 days by itself)

Database-free: the model gathers the sums in a fixed number of queries and
hands them over here.
"""

from dataclasses import dataclass, field

WINDOW_DAYS = 30
# A payment this soon after an action done answers it; a later one, or one
# with no action before it, came by itself.
ANSWER_DAYS = 14
# How late an invoice is, in the bands the self-payment rates are kept by.
AGE_BANDS = (0, 15, 30, 60, 90, 180)
# How many pseudo-observations stand behind each wider rate: the evidence a
# narrower group needs before its own rate counts as much as the wider one.
COMPANY_WEIGHT = 20  # actions, for a profile's rate
PROFILE_WEIGHT = 10  # actions, for a stage and channel's rate
CUSTOMER_WEIGHT = 3  # actions or promises, for a customer's own response
SELF_PAY_WEIGHT = 3  # invoices, for a customer's own self-payment
# Before a company has any history: every action as likely to work.
NO_HISTORY_RESPONSE = 0.5
MAX_RATE = 0.95


def shrink(rate, trials, prior, weight):
    """``rate`` observed over ``trials``, pulled towards ``prior`` as if
    ``weight`` more trials had observed the prior."""
    if trials <= 0:
        return prior
    return (rate * trials + prior * weight) / (trials + weight)


def share(part, whole):
    return part / whole if whole > 0 else 0.0


@dataclass
class Tally:
    """Observations of one group: how many, and the two sums a rate is the
    quotient of (paid and due, or paid by itself and overdue)."""

    count: int = 0
    part: float = 0.0
    whole: float = 0.0

    def add(self, count, part, whole):
        self.count += count
        self.part += part
        self.whole += whole

    @property
    def rate(self):
        return share(self.part, self.whole)


@dataclass
class ResponseRates:
    """One company's rates, by payer profile (``""`` when none is set):
    share of what was due paid within 30 days after an action, by profile
    and by profile, stage level and channel; share of what was still owed
    that many days after the due date and came in by itself within the
    next 30 days, by profile and age band.
    """

    cells: dict = field(default_factory=dict)  # (profile, level, channel)
    self_pay: dict = field(default_factory=dict)  # (profile, age band)

    def add_actions(self, profile, level, channel, count, paid, due):
        self.cells.setdefault((profile, level, channel), Tally()).add(count, paid, due)

    def add_settlements(self, profile, settlements):
        for band in AGE_BANDS:
            tally = self_pay_tally(settlements, band)
            self.self_pay.setdefault((profile, band), Tally()).add(
                tally.count, tally.part, tally.whole
            )

    def _total(self, tallies):
        total = Tally()
        for tally in tallies:
            total.add(tally.count, tally.part, tally.whole)
        return total

    def company_response(self):
        total = self._total(self.cells.values())
        return total.rate if total.count else NO_HISTORY_RESPONSE

    def profile_response(self, profile):
        tally = self._total(
            tally for key, tally in self.cells.items() if key[0] == profile
        )
        return shrink(tally.rate, tally.count, self.company_response(), COMPANY_WEIGHT)

    def response(self, profile, level, channel):
        """Share paid within 30 days after an action of this stage level
        and channel, for a customer of ``profile`` of this company."""
        tally = self.cells.get((profile, level, channel), Tally())
        return shrink(
            tally.rate, tally.count, self.profile_response(profile), PROFILE_WEIGHT
        )

    def profile_self_pay(self, profile, days):
        """Share of what is ``days`` late that a customer of ``profile``
        pays by itself within 30 days."""
        band = age_band(days)
        total = self._total(
            tally for key, tally in self.self_pay.items() if key[1] == band
        )
        tally = self.self_pay.get((profile, band), Tally())
        return shrink(tally.rate, tally.count, total.rate, COMPANY_WEIGHT)

    def to_json(self):
        return {
            "cells": [[*key, *_tally_row(t)] for key, t in self.cells.items()],
            "self_pay": [[*key, *_tally_row(t)] for key, t in self.self_pay.items()],
        }

    @classmethod
    def from_json(cls, data):
        rates = cls()
        for profile, level, channel, count, part, whole in (data or {}).get(
            "cells", []
        ):
            rates.add_actions(profile, level, channel, count, part, whole)
        for profile, band, count, part, whole in (data or {}).get("self_pay", []):
            rates.self_pay.setdefault((profile, band), Tally()).add(count, part, whole)
        return rates


def _tally_row(tally):
    return [tally.count, tally.part, tally.whole]


def age_band(days):
    return max(band for band in AGE_BANDS if band <= max(days, 0))


@dataclass(frozen=True)
class Settlement:
    """One past invoice of a customer: what it owed, how many days after
    its due date it was settled (or is late today, while open), and
    whether it came by itself (no action done in the days before)."""

    amount: float
    late: int
    paid: bool
    by_itself: bool


def self_pay_tally(settlements, days):
    """Of the invoices still owed ``days`` after their due date: how many,
    what they owed, and what of it came in by itself within the next 30
    days (an open invoice counts once those 30 days are over)."""
    tally = Tally()
    for item in settlements:
        if item.late <= days or (not item.paid and item.late < days + WINDOW_DAYS):
            continue
        came = item.paid and item.by_itself and item.late <= days + WINDOW_DAYS
        tally.add(1, item.amount if came else 0.0, item.amount)
    return tally


@dataclass
class CustomerRecord:
    """One customer's own evidence: per (stage level, channel) of its past
    actions, how many and the sum of the shares each brought in within 30
    days; its promises kept and broken; how its past invoices were
    settled."""

    actions: dict = field(default_factory=dict)  # (level, channel) -> (n, sum)
    promises_kept: int = 0
    promises_broken: int = 0
    settlements: list = field(default_factory=list)

    @property
    def observations(self):
        return (
            sum(count for count, _sum in self.actions.values())
            + self.promises_kept
            + self.promises_broken
        )


def response_rate(rates, profile, level, channel, record):
    """The chance this customer pays within 30 days after an action of this
    level and channel: its profile's rate there, scaled by how much better
    or worse than its profile the customer answered its past actions and
    kept its promises (each compared with what its profile does at the
    same level and channel), the scale shrunk towards 1."""
    prior = rates.profile_response(profile)
    observed = expected = 0.0
    for (past_level, past_channel), (count, shares) in record.actions.items():
        observed += shares
        expected += count * rates.response(profile, past_level, past_channel)
    promises = record.promises_kept + record.promises_broken
    observed += record.promises_kept
    expected += promises * prior
    pseudo = CUSTOMER_WEIGHT * prior
    scale = (observed + pseudo) / (expected + pseudo) if pseudo or expected else 1.0
    return min(rates.response(profile, level, channel) * scale, MAX_RATE)


def self_pay_rate(rates, profile, record, days):
    """The chance what this customer owes ``days`` after the due date comes
    in within 30 days without an action: its own share at that lateness,
    shrunk towards its profile's."""
    own = self_pay_tally(record.settlements, days)
    return min(
        shrink(
            own.rate, own.count, rates.profile_self_pay(profile, days), SELF_PAY_WEIGHT
        ),
        MAX_RATE,
    )


def expected_recovery(amount, response, self_pay):
    """What acting brings in that would not come by itself."""
    return max(amount, 0.0) * response * (1.0 - self_pay)
