"""The 30 days after the backtest's today: each working day a collector does
the first K actions of that morning's agenda in one order, the customers
answer as their hidden behaviour says, and the cash the agenda's invoices
bring in within the 30 days is counted.

It sees the agenda as the collector does (the actions' public fields, as
each morning's run and ordering left them) and the customers as the world
drew them; it knows nothing of how the score is made. Every order meets
the same customers with the same answers (the n-th action done on a
customer gets its n-th drawn answer): only whom the collector reaches
differs."""

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


# Sort keys of an entry on a day.
ORDERS = {
    "score": lambda entry, _day: (-entry.expected_recovery, entry.action_id),
    "amount due": lambda entry, _day: (-entry.amount_due, entry.action_id),
    "days overdue": lambda entry, _day: (-entry.days_overdue, entry.action_id),
    "planned date": lambda entry, _day: (entry.date, entry.action_id),
}


def hindsight(customers, invoices, end):
    """The order a collector who knew every customer's behaviour would
    follow (a bound, not a contender): what each action would bring in
    before ``end`` that would not come in anyway."""

    def key(entry, _day):
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


def foresight(customers, invoices, end, rng, draws=2000):
    """The order a collector who knew every customer's behaviour, but not
    how each invoice would turn out, would follow (the bound a score can
    hope for): what each action is expected to bring in before ``end``
    that would not come in anyway, each item's chance to stay unpaid drawn
    from its customer's behaviour given how late it already is."""
    samples = {}
    chances = {}

    def late_chance(behaviour, late_today, late_at_end):
        key = (behaviour.name, late_today, late_at_end)
        if key not in chances:
            if behaviour.name not in samples:
                samples[behaviour.name] = [behaviour.late(rng) for _n in range(draws)]
            still = [
                days
                for days in samples[behaviour.name]
                if days is None or days > late_today
            ]
            chances[key] = (
                sum(1 for days in still if days is None or days >= late_at_end)
                / len(still)
                if still
                else 1.0
            )
        return chances[key]

    def key(entry, day):
        behaviour = customers[entry.partner_id].behaviour
        late = sum(
            invoices[line_id].amount
            * late_chance(
                behaviour,
                (day - invoices[line_id].due).days,
                (end - invoices[line_id].due).days,
            )
            for line_id in entry.line_ids
        )
        return (-late * behaviour.answer_chance(entry.channel), entry.action_id)

    return key


def cash_in(agendas, customers, invoices, order, per_day, end):
    """What the agendas' invoices bring in before ``end`` when the collector
    does ``per_day`` actions each working day in ``order`` (a name of
    ``ORDERS``, a sort key of an entry and a day, or None: no action).

    ``agendas`` are the working days' ``(day, entries)``: the agenda as
    each morning's run and ordering left it. An action done stays done, an
    action whose items are all paid leaves the agenda, the others are
    sorted again each morning with that morning's figures.
    ``customers`` and ``invoices`` are the world's, by partner and item."""
    pay_on = {
        line_id: invoices[line_id].paid_on
        for _day, entries in agendas
        for entry in entries
        for line_id in entry.line_ids
    }
    if order is None:
        agendas = []
    key = order if callable(order) else ORDERS.get(order)
    done, reached = set(), {}
    for day, entries in agendas:
        count = 0
        for entry in sorted(entries, key=lambda entry, day=day: key(entry, day)):
            if count >= per_day:
                break
            if entry.action_id in done:
                continue
            still_open = [
                line_id
                for line_id in entry.line_ids
                if pay_on[line_id] is None or pay_on[line_id] > day
            ]
            if not still_open:
                continue  # paid meanwhile: off the agenda
            done.add(entry.action_id)
            count += 1
            customer = customers[entry.partner_id]
            nth = reached.get(entry.partner_id, 0)
            reached[entry.partner_id] = nth + 1
            draw, lag = customer.answer(nth)
            if draw < customer.behaviour.answer_chance(entry.channel):
                answer = day + timedelta(days=lag)
                for line_id in still_open:
                    if pay_on[line_id] is None or pay_on[line_id] > answer:
                        pay_on[line_id] = answer
    return sum(
        invoices[line_id].amount
        for line_id, paid_on in pay_on.items()
        if paid_on is not None and paid_on < end
    )
