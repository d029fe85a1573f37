"""The 30 days after the backtest's today: each working day a collector does
the first K actions of the agenda in one order, the customers answer as
their hidden behaviour says, and the cash the agenda's invoices bring in
within the 30 days is counted.

It sees the agenda as the collector does (the actions' public fields) and
the customers as the world drew them; it knows nothing of how the score is
made. Every order meets the same customers with the same answers (one draw
per customer): only whom the collector reaches differs."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Entry:
    """One action on the agenda, as its list shows it."""

    action_id: int
    partner_id: int
    channel: str
    amount_due: float
    days_overdue: int
    date: object
    expected_recovery: float
    line_ids: tuple


ORDERS = {
    "score": lambda entry: (-entry.expected_recovery, entry.action_id),
    "amount due": lambda entry: (-entry.amount_due, entry.action_id),
    "days overdue": lambda entry: (-entry.days_overdue, entry.action_id),
    "planned date": lambda entry: (entry.date, entry.action_id),
}


def hindsight(customers, invoices, today, days=30):
    """The order a collector who knew every customer's behaviour would
    follow (a bound, not a contender): what each action would bring in
    within the days that would not come in anyway."""
    end = today + timedelta(days=days)

    def key(entry):
        customer = customers[entry.partner_id]
        late = sum(
            invoices[line_id].amount
            for line_id in entry.line_ids
            if invoices[line_id].paid_on is None or invoices[line_id].paid_on >= end
        )
        return (
            -late * customer.behaviour.answer_chance(entry.channel),
            entry.action_id,
        )

    return key


def cash_in(agenda, customers, invoices, order, per_day, today, days=30):
    """What the agenda's invoices bring in within ``days`` when the collector
    does ``per_day`` actions each working day in ``order`` (a name of
    ``ORDERS``, a sort key, or None: no action).
    ``customers`` and ``invoices`` are the world's, by partner and item."""
    pay_on = {
        line_id: invoices[line_id].paid_on
        for entry in agenda
        for line_id in entry.line_ids
    }
    if callable(order):
        queue = sorted(agenda, key=order)
    else:
        queue = sorted(agenda, key=ORDERS[order]) if order else []
    position = 0
    for offset in range(days):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        done = 0
        while position < len(queue) and done < per_day:
            entry = queue[position]
            position += 1
            still_open = [
                line_id
                for line_id in entry.line_ids
                if pay_on[line_id] is None or pay_on[line_id] > day
            ]
            if not still_open:
                continue  # paid meanwhile: off the agenda
            done += 1
            customer = customers[entry.partner_id]
            if customer.draw < customer.behaviour.answer_chance(entry.channel):
                answer = day + timedelta(days=customer.lag)
                for line_id in still_open:
                    if pay_on[line_id] is None or pay_on[line_id] > answer:
                        pay_on[line_id] = answer
    end = today + timedelta(days=days)
    return sum(
        invoices[line_id].amount
        for line_id, paid_on in pay_on.items()
        if paid_on is not None and paid_on < end
    )
