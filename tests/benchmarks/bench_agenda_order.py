"""Backtest of the agenda's order (README, "Benchmarks"): does working the
agenda by expected recovery bring in more cash than the usual orders?

Run it through ``tools/bench.sh --backtest``. For each seed, in a company of
its own: customers with hidden payment behaviours (``backtest_world``),
months of invoices, the actions the company did and what was paid. Then
the next 30 days go by in the books: each working day the daily run plans
the agenda and the ordering scores it, automatic reminders go out and are
answered, what customers pay by themselves comes in; each morning's agenda
is kept. The collector's part is simulated (``backtest_simulator``) for
each order and each number K of actions a collector does a day; the cash
the agendas' invoices bring in within those 30 days is printed per order,
with the score's gain over the best other order. The target: at least
15 % more, for every K and seed.
"""

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, fields

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import backtest_world as world
from tests.benchmarks import bench_common
from tests.benchmarks.backtest_simulator import (
    ORDERS,
    Entry,
    cash_in,
    foresight,
    hindsight,
)

TARGET = 0.15
DAYS = 30


def build(env, seed, customers_count, history_days, capacity):
    """The seed's world in the books until today. Returns (env of its
    company, its company, its customers, its receivable account, the
    number of actions done, seconds)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    env, company = world.open_company(env, seed)
    today = fields.Date.context_today(env["res.partner"])
    start = today - timedelta(days=history_days)
    customers = world.draw_customers(rng, customers_count, today, history_days)
    scenarios = world.company_scenarios(env, company)
    done, waiting = world.live_history(
        rng, customers, scenarios, start, today, capacity
    )
    world.write_customers(env, company, customers)
    account = world.write_invoices(env, company, customers)
    world.write_payments(env, company, customers, account, start, today)
    env.cr.commit()
    world.write_actions(env, company, done, waiting)
    env.cr.execute("ANALYZE")  # as autovacuum would after such a load
    env.cr.commit()
    seconds = time.perf_counter() - started
    return env, company, customers, account, len(done), seconds


def next_days(env, rng, company, customers, account, today, days):
    """The working days from today on, as the books see them when the
    collector does nothing: each morning what was paid comes in, the daily
    run plans, the automatic reminders go out (and are answered), the
    ordering scores the agenda. Returns ``[(day, agenda)]`` and the
    seconds the runs and the orderings took."""
    agendas, run_seconds, order_seconds = [], 0.0, 0.0
    since = today
    for offset in range(days):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        world.write_payments(env, company, customers, account, since, day)
        since = day
        # Ticking: the runs' clocks and these timings go on.
        with freeze_time(
            fields.Datetime.to_datetime(day) + timedelta(hours=6), tick=True
        ):
            env.invalidate_all()
            started = time.perf_counter()
            env["credit.collection.run"]._run_company(company)
            env.cr.commit()
            run_seconds += time.perf_counter() - started
            world.send_automatic(env, rng, company, customers, day)
            # What the scheduled ordering the run starts does for the company.
            started = time.perf_counter()
            env["credit.collection.action"]._refresh_recovery(company)
            env.cr.commit()
            order_seconds += time.perf_counter() - started
            agendas.append((day, agenda(env, company)))
    return agendas, run_seconds, order_seconds


def agenda(env, company):
    # The collector's agenda: what is left to do by hand (automatic
    # reminders go out by themselves, whatever the order).
    actions = env["credit.collection.action"].search(
        [("company_id", "=", company.id), ("state", "=", "todo"), ("auto", "=", False)]
    )
    return [
        Entry(
            action.id,
            action.partner_id.id,
            action.channel,
            action.amount_due,
            action.days_overdue,
            action.date,
            action.expected_recovery,
            tuple(action.move_line_ids.ids),
        )
        for action in actions
    ]


def backtest(env, seed, args, per_day):
    """One seed: its world, its next 30 days in the books, the collector
    simulated for each order and K. Returns the table's rows and checks."""
    env, company, customers, account, done, built = build(
        env,
        seed,
        args.customers,
        args.history_days,
        args.capacity or max(1, args.customers // 300),
    )
    today = fields.Date.context_today(env["res.partner"])
    agendas, run_seconds, order_seconds = next_days(
        env, random.Random(seed), company, customers, account, today, DAYS
    )
    by_partner = {c.partner_id: c for c in customers}
    invoices = {i.line_id: i for c in customers for i in c.invoices}
    actions = {entry.action_id for _day, entries in agendas for entry in entries}
    print(
        f"seed {seed}: {len(customers)} customers, {len(invoices)} invoices, "
        f"{done} actions done over {args.history_days} days (built in "
        f"{built:.0f} s); then {len(agendas)} working days: "
        f"{len(agendas[0][1])} actions on the first morning's agenda, "
        f"{len(actions)} in all; runs {run_seconds / len(agendas):.1f} s and "
        f"orderings {order_seconds / len(agendas):.1f} s a day on average",
        flush=True,
    )
    checks = [
        (
            f"seed {seed}: each agenda is scored (its actions ranked apart)",
            all(
                len({entry.expected_recovery for entry in entries}) > len(entries) // 2
                for _day, entries in agendas
            ),
        )
    ]
    end = today + timedelta(days=DAYS)
    anyway = cash_in(agendas, by_partner, invoices, None, 0, end)
    rows = []
    for k in per_day:
        cash = {
            order: cash_in(agendas, by_partner, invoices, order, k, end)
            for order in ORDERS
        }
        cash["foresight"] = cash_in(
            agendas,
            by_partner,
            invoices,
            foresight(by_partner, invoices, end, random.Random(seed)),
            k,
            end,
        )
        cash["hindsight"] = cash_in(
            agendas, by_partner, invoices, hindsight(by_partner, invoices, end), k, end
        )
        # What the actions brought in: above what came in anyway.
        brought = {order: value - anyway for order, value in cash.items()}
        best_other = max(brought[o] for o in ORDERS if o != "score")
        gain = brought["score"] / best_other - 1 if best_other else 0.0
        rows.append((seed, k, brought, anyway, gain))
        checks.append(
            (
                f"seed {seed}, K={k}: acting never brings in less than not",
                min(brought.values()) >= 0,
            )
        )
    return rows, checks


def main():
    parser = bench_common.parser(__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=15000)
    parser.add_argument("--history-days", type=int, default=180)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--per-day", default="10,50,100")
    parser.add_argument(
        "--capacity",
        type=int,
        default=0,
        help="Manual actions the collectors did a working day before today "
        "(default: one per 300 customers): the rest waits on the agenda.",
    )
    args = parser.parse_args()
    registry = bench_common.open_registry(args)
    per_day = [int(k) for k in args.per_day.split(",")]
    rows, checks = [], []
    for seed in (int(s) for s in args.seeds.split(",")):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            seed_rows, seed_checks = backtest(env, seed, args, per_day)
        rows += seed_rows
        checks += seed_checks
    gains = [row[-1] for row in rows]
    print()
    print(
        "Cash the actions brought in within 30 days on the agendas (EUR, "
        "above what came in with no action), by order:"
    )
    header = [
        "seed",
        "K/day",
        *ORDERS,
        "(foresight)",
        "(hindsight)",
        "came in with no action",
        "score vs best other",
    ]
    print(" | ".join(header))
    for seed, k, cash, anyway, gain in rows:
        print(
            " | ".join(
                [str(seed), str(k)]
                + [
                    f"{cash[order]:,.0f}"
                    for order in [*ORDERS, "foresight", "hindsight"]
                ]
                + [f"{anyway:,.0f}", f"{gain:+.1%}"]
            )
        )
    failed = [name for name, held in checks if not held]
    print(f"\nchecks: {'all hold' if not failed else 'FAILED: ' + '; '.join(failed)}")
    met = all(gain >= TARGET for gain in gains)
    print(
        f"\nTarget (+{TARGET:.0%} over the best other order, every K and seed): "
        f"{'met' if met else 'NOT met'} (least gain {min(gains):+.1%})"
    )


if __name__ == "__main__":
    main()
