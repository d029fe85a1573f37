"""The run's decision for one customer, without a database: one row per
rule of :mod:`..tools.collection_planner`."""

from datetime import date, timedelta

from odoo.tests import BaseCase

from ..tools import collection_planner as planner

TODAY = date(2026, 3, 11)
PRE, L1, L2, L3, LIT = (
    planner.Stage(1, -5, 0.0, "pre_dunning"),
    planner.Stage(2, 5, 0.0, "level_1"),
    planner.Stage(3, 20, 0.0, "level_2"),
    planner.Stage(4, 40, 500.0, "level_3"),
    planner.Stage(5, 60, 0.0, "litigation"),
)
STAGES = [PRE, L1, L2, L3, LIT]
# A stage of another scenario, 25 days after the due date.
FOREIGN = {9: 25}


def item(item_id, days_late, residual=100.0, stage=None, move_id=None, **kw):
    return planner.Item(
        id=item_id,
        move_id=move_id or item_id,
        due=TODAY - timedelta(days=days_late),
        residual=residual,
        stage_id=stage,
        **kw,
    )


def state(*items, **kw):
    kw.setdefault("foreign_stage_days", FOREIGN)
    return planner.CustomerState(
        items=list(items), stages=STAGES, min_interval_days=3, **kw
    )


class TestPlanCustomer(BaseCase):
    # (why, customer state, expected action stage or skip reason,
    #  {item id: stage it reaches} or None when not checked)
    CASES = [
        ("nothing open", state(), planner.SKIP_NOTHING_OWED, None),
        ("excluded", state(item(1, 30), excluded=True), planner.SKIP_EXCLUDED, None),
        (
            "litigation",
            state(item(1, 30), litigation=True),
            planner.SKIP_LITIGATION,
            None,
        ),
        (
            "good payer",
            state(item(1, 30), good_payer=True),
            planner.SKIP_GOOD_PAYER,
            None,
        ),
        (
            "no scenario",
            planner.CustomerState(items=[item(1, 30)], stages=[]),
            planner.SKIP_NO_SCENARIO,
            None,
        ),
        (
            "acted today",
            state(item(1, 30), acted_today=True),
            planner.SKIP_ALREADY_TODAY,
            None,
        ),
        (
            "formal notice running",
            state(item(1, 30), notice_until=TODAY + timedelta(days=1)),
            planner.SKIP_NOTICE,
            None,
        ),
        (
            "formal notice over",
            state(item(1, 30), notice_until=TODAY),
            L2,
            {1: L2},
        ),
        (
            "too early for pre-dunning",
            state(item(1, -10)),
            planner.SKIP_NOTHING_DUE,
            None,
        ),
        ("pre-dunning", state(item(1, -3)), PRE, {1: PRE}),
        ("first level on its day", state(item(1, 5)), L1, {1: L1}),
        ("the furthest item leads", state(item(1, 6), item(2, 21)), L2, {1: L1, 2: L2}),
        (
            "a stage already reached is not asked again",
            state(item(1, 21, stage=L2.id)),
            planner.SKIP_NOTHING_DUE,
            None,
        ),
        (
            "below the minimum amount: the stage before",
            state(item(1, 45, residual=400.0, stage=L2.id)),
            planner.SKIP_NOTHING_DUE,
            None,
        ),
        (
            "the minimum amount counts the late items together",
            state(item(1, 45, residual=300.0), item(2, 41, residual=300.0)),
            L3,
            {1: L3, 2: L3},
        ),
        (
            "open credits reduce what is owed below the minimum",
            state(item(1, 45, residual=600.0), item(2, 0, residual=-200.0)),
            L2,
            {1: L2},
        ),
        (
            "credits in full: nothing owed",
            state(item(1, 30, residual=100.0), item(2, 0, residual=-100.0)),
            planner.SKIP_NOTHING_OWED,
            None,
        ),
        (
            "suspended items wait",
            state(item(1, 30, suspended=True), item(2, 6)),
            L1,
            {2: L1},
        ),
        (
            "only suspended items: nothing owed",
            state(item(1, 30, suspended=True)),
            planner.SKIP_NOTHING_OWED,
            None,
        ),
        (
            "too soon after the last action",
            state(item(1, 21, stage=L1.id), last_action_date=TODAY - timedelta(days=2)),
            planner.SKIP_INTERVAL,
            None,
        ),
        (
            "the interval over",
            state(item(1, 21, stage=L1.id), last_action_date=TODAY - timedelta(days=3)),
            L2,
            {1: L2},
        ),
        (
            "an open agenda action at that stage",
            state(item(1, 21, stage=L1.id), pending_stage_id=L2.id),
            planner.SKIP_PENDING,
            None,
        ),
        (
            "an open agenda action at a lower stage gives way",
            state(item(1, 21, stage=L1.id), pending_stage_id=L1.id),
            L2,
            {1: L2},
        ),
        (
            "a failed action's stage is asked again",
            state(item(1, 21, stage=L2.id), retry_stage_id=L2.id),
            L2,
            {1: L2},
        ),
        (
            "a broken promise escalates past the interval",
            state(
                item(1, 8, stage=L1.id),
                escalate=True,
                last_action_date=TODAY - timedelta(days=1),
            ),
            L2,
            {1: L2},
        ),
        (
            "another scenario's stage ranks by its days",
            state(item(1, 30, stage=9)),
            planner.SKIP_NOTHING_DUE,
            None,
        ),
        (
            "another scenario's stage: the next one is due",
            state(item(1, 45, residual=600.0, stage=9)),
            L3,
            {1: L3},
        ),
    ]

    def test_rules(self):
        for why, customer, expected, item_stages in self.CASES:
            with self.subTest(why):
                decision = planner.plan_customer(customer, TODAY)
                if isinstance(expected, planner.Stage):
                    self.assertEqual(decision.stage, expected)
                    self.assertIsNone(decision.skip_reason)
                else:
                    self.assertIsNone(decision.stage)
                    self.assertEqual(decision.skip_reason, expected)
                if item_stages is not None:
                    self.assertEqual(decision.item_stages, item_stages)

    def test_an_action_covers_the_open_credits_and_sums_what_is_owed(self):
        decision = planner.plan_customer(
            state(
                item(1, 10, residual=300.0), item(2, -20), item(3, 0, residual=-50.0)
            ),
            TODAY,
        )
        self.assertEqual(decision.stage, L1)
        self.assertEqual(decision.item_ids, [1, 3])
        self.assertEqual(decision.amount_due, 350.0)
        self.assertEqual(decision.amount_overdue, 300.0)
        self.assertFalse(decision.supersede_pending)

    def test_stage_rank(self):
        cases = [
            (None, -1),
            (L1.id, 1),
            (LIT.id, 4),
            (9, 2),  # 25 days: after level 2 (20), before level 3 (40)
            (99, -1),  # unknown
        ]
        for stage_id, rank in cases:
            with self.subTest(stage_id=stage_id):
                self.assertEqual(planner.stage_rank(STAGES, stage_id, FOREIGN), rank)


class TestRecordProgress(BaseCase):
    STAGE_DAYS = {stage.id: stage.days for stage in STAGES} | FOREIGN

    def _progress(self, customer, earliest=TODAY + timedelta(days=3)):
        decision = planner.plan_customer(customer, TODAY)
        progress = planner.Progress()
        planner.record_progress(
            progress, customer.items, decision, STAGES, earliest, self.STAGE_DAYS
        )
        return progress

    def test_items_climb_and_invoices_keep_their_furthest_stage(self):
        progress = self._progress(
            state(
                item(1, 21, move_id=10),
                item(2, 6, move_id=10),
                item(3, 6, stage=L2.id, move_id=11),
            )
        )
        # Item 3 stays at level 2: an action never lowers a stage.
        self.assertEqual(progress.item_stages, {1: L2.id, 2: L1.id})
        self.assertEqual(progress.invoice_stages, {10: L2.id, 11: L2.id})

    def test_the_next_stage_date(self):
        progress = self._progress(
            state(
                item(1, 21, move_id=10),  # level 2 now, level 3 on day 40
                item(2, 6, move_id=10),  # level 1 now, level 2 on day 20
                item(3, 6, move_id=11),
                item(4, 19, move_id=12, suspended=True),  # waits: no date
            )
        )
        self.assertEqual(
            progress.next_dates,
            {
                10: TODAY + timedelta(days=14),
                11: TODAY + timedelta(days=14),
            },
        )

    def test_the_next_stage_never_falls_within_the_interval(self):
        progress = self._progress(
            state(item(1, 19, stage=L1.id, move_id=10), item(2, 21, move_id=11)),
            earliest=TODAY + timedelta(days=5),
        )
        self.assertEqual(progress.next_dates[10], TODAY + timedelta(days=5))

    def test_the_last_stage_has_no_next_date(self):
        progress = self._progress(state(item(1, 61, move_id=10)))
        self.assertEqual(progress.item_stages, {1: LIT.id})
        self.assertEqual(progress.next_dates, {})
