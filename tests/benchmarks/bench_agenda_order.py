"""Backtest of the agenda's order (README, "Benchmarks"): does working the
agenda by expected recovery bring in more cash than the usual orders?

Run it through ``tools/bench.sh --backtest``. For each seed, in a company of
its own: customers with hidden payment behaviours (``backtest_world``),
months of invoices, the actions the company did and what was paid; then
today's daily run plans the agenda and scores it. The next 30 days are
simulated (``backtest_simulator``) for each order and each number K of
actions a collector does a day; the cash the agenda's invoices bring in
within those 30 days is printed per order, with the score's gain over the
best other order. The target: at least 15 % more, for every K and seed.
"""

import random
import sys
import time
from datetime import timedelta
from pathlib import Path

from odoo import SUPERUSER_ID, api, fields

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import backtest_world as world
from tests.benchmarks import bench_common
from tests.benchmarks.backtest_simulator import ORDERS, Entry, cash_in, hindsight

TARGET = 0.15


def build(env, seed, customers_count, history_days, capacity):
    """The seed's world in the books and today's agenda, scored by the run.
    Returns (env of its company, its company, its customers, seconds)."""
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
    env["credit.collection.run"]._run_company(company)
    env.cr.commit()
    built = time.perf_counter() - started
    # What the scheduled ordering the run starts does.
    started = time.perf_counter()
    env["credit.collection.action"]._cron_refresh_recovery()
    return env, company, customers, (built, time.perf_counter() - started), len(done)


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
    rows, gains, checks = [], [], []
    for seed in (int(s) for s in args.seeds.split(",")):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env, company, customers, seconds, done = build(
                env,
                seed,
                args.customers,
                args.history_days,
                args.capacity or max(1, args.customers // 300),
            )
            entries = agenda(env, company)
            by_partner = {c.partner_id: c for c in customers}
            invoices = {i.line_id: i for c in customers for i in c.invoices}
            today = fields.Date.context_today(env["res.partner"])
            print(
                f"seed {seed}: {len(customers)} customers, "
                f"{len(invoices)} invoices, {done} actions done over "
                f"{args.history_days} days, {len(entries)} actions on today's "
                f"agenda (built in {seconds[0]:.0f} s, scored in {seconds[1]:.1f} s)",
                flush=True,
            )
            scores = {entry.expected_recovery for entry in entries}
            checks.append(
                (
                    f"seed {seed}: the agenda is scored (its actions ranked apart)",
                    len(scores) > len(entries) // 2,
                )
            )
            anyway = cash_in(entries, by_partner, invoices, None, 0, today)
            for k in per_day:
                cash = {
                    order: cash_in(entries, by_partner, invoices, order, k, today)
                    for order in ORDERS
                }
                cash["hindsight"] = cash_in(
                    entries,
                    by_partner,
                    invoices,
                    hindsight(by_partner, invoices, today),
                    k,
                    today,
                )
                # What the actions brought in: above what came in anyway.
                brought = {order: value - anyway for order, value in cash.items()}
                best_other = max(brought[o] for o in ORDERS if o != "score")
                gain = brought["score"] / best_other - 1 if best_other else 0.0
                gains.append(gain)
                rows.append((seed, k, brought, anyway, gain))
                checks.append(
                    (
                        f"seed {seed}, K={k}: acting never brings in less than not",
                        min(brought.values()) >= 0,
                    )
                )
    print()
    print(
        "Cash the actions brought in within 30 days on today's agenda (EUR, "
        "above what came in with no action), by order:"
    )
    header = [
        "seed",
        "K/day",
        *ORDERS,
        "(hindsight)",
        "came in with no action",
        "score vs best other",
    ]
    print(" | ".join(header))
    for seed, k, cash, anyway, gain in rows:
        print(
            " | ".join(
                [str(seed), str(k)]
                + [f"{cash[order]:,.0f}" for order in [*ORDERS, "hindsight"]]
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
