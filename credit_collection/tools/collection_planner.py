"""The decision of the daily run for one customer, free of any database access.

The run loads a batch of customers with a fixed number of queries, then asks
:func:`plan_customer` what to do for each of them. Keeping the decision pure
keeps the run's query count independent of the number of items, and makes
each rule easy to read in one place.
"""

from dataclasses import dataclass, field
from datetime import timedelta

# Why a customer gets no action: the keys of the run's statistics.
SKIP_EXCLUDED = "excluded"
SKIP_GOOD_PAYER = "good_payer"
SKIP_NO_SCENARIO = "no_scenario"
SKIP_NOTHING_OWED = "nothing_owed"
SKIP_NOTHING_DUE = "nothing_due"
SKIP_INTERVAL = "interval"
SKIP_ALREADY_TODAY = "already_today"
SKIP_PENDING = "pending_action"
SKIP_NOTICE = "notice_period"
SKIP_LITIGATION = "litigation"


@dataclass
class Stage:
    id: int
    days: int
    min_amount: float
    level: str


@dataclass
class Item:
    """One open receivable journal item (amounts in company currency)."""

    id: int
    move_id: int
    due: object  # datetime.date
    residual: float
    stage_id: int | None = None
    suspended: bool = False


@dataclass
class CustomerState:
    """What the run knows of one customer before deciding."""

    items: list
    stages: list  # the scenario's stages, in escalation order
    min_interval_days: int = 0
    excluded: bool = False
    litigation: bool = False  # handed over: the litigation owner takes over
    good_payer: bool = False
    last_action_date: object = None  # last planned or done action
    acted_today: bool = False  # the run already made an action today
    pending_stage_id: int | None = None  # an open action left on the agenda
    escalate: bool = False  # e.g. a broken promise: the interval is ignored
    # The stage of the latest action when it failed (its message could not go
    # out): items at that stage are asked again.
    retry_stage_id: int | None = None
    # Stages of other scenarios (the customer changed scenario): id -> days.
    foreign_stage_days: dict = field(default_factory=dict)
    # A formal notice gives the customer until this date (exclusive) to pay:
    # nothing else is sent before. ``date.max`` until its receipt is known.
    notice_until: object = None


@dataclass
class Decision:
    stage: Stage | None = None
    skip_reason: str | None = None
    # item id -> the stage it reaches with this action
    item_stages: dict = field(default_factory=dict)
    # every item the action is about: the ones above, and open credits
    item_ids: list = field(default_factory=list)
    amount_due: float = 0.0
    amount_overdue: float = 0.0
    supersede_pending: bool = False


@dataclass
class Progress:
    """What the actions of a run move forward, written by the run in bulk."""

    # item id -> the stage it climbs to (only the items that climb)
    item_stages: dict = field(default_factory=dict)
    # invoice id -> the furthest stage of its items (by days)
    invoice_stages: dict = field(default_factory=dict)
    # invoice id -> when the next stage of one of its items falls due
    next_dates: dict = field(default_factory=dict)


def stage_rank(stages, stage_id, foreign_stage_days=None):
    """Position of a stage in ``stages`` (-1 for none).

    A stage of another scenario ranks as the last stage of this one that
    falls on the same day or earlier, so a customer moved to a new scenario
    is not asked again for what it was already asked.
    """
    if not stage_id:
        return -1
    for rank, stage in enumerate(stages):
        if stage.id == stage_id:
            return rank
    days = (foreign_stage_days or {}).get(stage_id)
    if days is None:
        return -1
    rank = -1
    for index, stage in enumerate(stages):
        if stage.days <= days:
            rank = index
    return rank


def reachable_ranks(stages, items, today):
    """The stages whose minimum amount the customer's debt reaches.

    A stage counts what is owed on the items late enough for it, never more
    than the customer's net balance (open credit notes and unallocated
    payments reduce what is owed).
    """
    net = sum(item.residual for item in items)
    debit_items = [item for item in items if item.residual > 0]
    reachable = set()
    for rank, stage in enumerate(stages):
        late_enough = sum(
            item.residual
            for item in debit_items
            if (today - item.due).days >= stage.days
        )
        owed = min(late_enough, net)
        if owed > 0 and owed >= stage.min_amount:
            reachable.add(rank)
    return reachable


def target_rank(stages, reachable, days_late):
    """Highest reachable stage an item ``days_late`` days past due has reached."""
    rank = -1
    for index, stage in enumerate(stages):
        if stage.days > days_late:
            break
        if index in reachable:
            rank = index
    return rank


def customer_skip_reason(state, today):
    """Why the customer gets nothing today, whatever it owes (or None)."""
    reasons = (
        (state.excluded, SKIP_EXCLUDED),
        (state.litigation, SKIP_LITIGATION),
        (state.good_payer, SKIP_GOOD_PAYER),
        (not state.stages, SKIP_NO_SCENARIO),
        (state.acted_today, SKIP_ALREADY_TODAY),
        (bool(state.notice_until) and today < state.notice_until, SKIP_NOTICE),
    )
    return next((reason for applies, reason in reasons if applies), None)


def plan_customer(state, today):
    """Decide the single next action of one customer, or why there is none."""
    reason = customer_skip_reason(state, today)
    if reason:
        return Decision(skip_reason=reason)

    items = [item for item in state.items if not item.suspended]
    amount_due = sum(item.residual for item in items)
    if amount_due <= 0:
        return Decision(skip_reason=SKIP_NOTHING_OWED)
    amount_overdue = sum(
        item.residual
        for item in items
        if item.residual > 0 and (today - item.due).days > 0
    )

    stages = state.stages
    reachable = reachable_ranks(stages, items, today)
    item_stages = {}
    action_rank = -1
    for item in items:
        if item.residual <= 0:
            continue
        rank = target_rank(stages, reachable, (today - item.due).days)
        if rank < 0:
            continue
        item_stages[item.id] = stages[rank]
        current = stage_rank(stages, item.stage_id, state.foreign_stage_days)
        if item.stage_id and item.stage_id == state.retry_stage_id:
            current -= 1
        if rank > current:
            action_rank = max(action_rank, rank)
    if state.escalate:
        action_rank = escalate(state, items, item_stages, action_rank, today)
    if action_rank < 0:
        return Decision(skip_reason=SKIP_NOTHING_DUE)

    pending_rank = stage_rank(stages, state.pending_stage_id)
    if state.pending_stage_id and pending_rank >= action_rank:
        return Decision(skip_reason=SKIP_PENDING)
    if (
        not state.escalate
        and state.last_action_date
        and (today - state.last_action_date).days < state.min_interval_days
    ):
        return Decision(skip_reason=SKIP_INTERVAL)
    credit_ids = [item.id for item in items if item.residual < 0]
    return Decision(
        stage=stages[action_rank],
        item_stages=item_stages,
        item_ids=list(item_stages) + credit_ids,
        amount_due=amount_due,
        amount_overdue=amount_overdue,
        supersede_pending=bool(state.pending_stage_id),
    )


def escalate(state, items, item_stages, action_rank, today):
    """A customer who broke a promise goes to the stage after the highest one
    its overdue items were at, whatever their days late (unless its items
    climb higher anyway); returns the action rank and gives that stage to the
    overdue items below it."""
    stages = state.stages
    overdue = [
        item for item in items if item.residual > 0 and (today - item.due).days > 0
    ]
    if not overdue:
        return action_rank
    reached = max(
        stage_rank(stages, item.stage_id, state.foreign_stage_days) for item in overdue
    )
    forced = min(reached + 1, len(stages) - 1)
    if forced <= action_rank:
        return action_rank
    for item in overdue:
        current = item_stages.get(item.id)
        if current is None or stages.index(current) < forced:
            item_stages[item.id] = stages[forced]
    return forced


def record_progress(progress, items, decision, stages, earliest, stage_days):
    """Add to ``progress`` what one customer's action moves forward: the
    stage each of its ``items`` climbs to, each invoice's furthest stage and
    the date its next stage falls due, never before ``earliest`` (the end of
    the scenario's interval after this action). ``stage_days`` gives the
    days of every stage, those of other scenarios included."""
    ranks = {stage.id: rank for rank, stage in enumerate(stages)}
    for item in items:
        new_stage = decision.item_stages.get(item.id)
        current = ranks.get(item.stage_id)
        if current is None:
            current = stage_rank(stages, item.stage_id, stage_days)
        if new_stage and ranks[new_stage.id] > current:
            progress.item_stages[item.id] = new_stage.id
            stage_id, rank = new_stage.id, ranks[new_stage.id]
        else:
            stage_id, rank = item.stage_id, current
        furthest = progress.invoice_stages.get(item.move_id)
        if stage_id and stage_days.get(stage_id, -(10**6)) > stage_days.get(
            furthest, -(10**6)
        ):
            progress.invoice_stages[item.move_id] = stage_id
        if item.suspended or item.residual <= 0 or rank + 1 >= len(stages):
            continue
        next_date = max(item.due + timedelta(days=stages[rank + 1].days), earliest)
        known = progress.next_dates.get(item.move_id)
        if known is None or next_date < known:
            progress.next_dates[item.move_id] = next_date
