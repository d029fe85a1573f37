"""Volume check across two companies and two currencies.

Run it through ``tools/bench.sh --volume [--customers N] [--items M]
[--large-customer L]``: N customers x M items in each company, and one more
customer with L items (tests/test_volume.py runs it at a reduced size in
CI). Company A keeps the database's currency, company B books in EUR. It
generates both ledgers, runs both companies (cold run and rerun), opens the
portal page of the large customer's reminder in each company, exports the
agenda and the aged balance to XLSX, reads the dashboard cards and records
the month's KPIs, printing each figure with its target, and checks what must
hold at any size:

* at most one run action per customer, company and day;
* every action's items belong to its company and customer;
* the aged balance of each company equals what its ledger owes, and the
  dashboard's ages add up to it;
* the portal page of a reminder lists its customer's open items in the
  reminder's company, all of them and no other.

Exits with status 1 and the failed checks when one does not hold.
"""

import io
import sys
import time
from datetime import date
from pathlib import Path

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, api

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks import bench_common
from tests.benchmarks.ledger_generator import generate_ledger

# The targets of the issues that built each step, for 10,000 customers x 10
# items per company: the run, the portal page, the aged balance export (per
# 100,000 rows).
COLD_RUN_TARGET, RERUN_TARGET, PAGE_TARGET, AGED_XLSX_TARGET = 60, 5, 0.5, 20


class Clock:
    """Times each step and prints it, with its target if it has one; keeps
    the steps over their target."""

    def __init__(self):
        self.missed = []

    def __call__(self, label, function, target=None):
        started = time.perf_counter()
        result = function()
        self.report(label, time.perf_counter() - started, target)
        return result

    def report(self, label, seconds, target=None, digits=1):
        note = f" (target < {target:g} s)" if target else ""
        print(f"{label}: {seconds:.{digits}f} s{note}", flush=True)
        if target and seconds > target:
            self.missed.append(f"{label} took {seconds:.{digits}f} s")


def _company_b(env):
    euro = env.ref("base.EUR")
    euro.active = True
    company = env["res.company"].create({"name": "Volume B"})
    env["account.chart.template"].try_loading(
        "generic_coa", company, install_demo=False
    )
    # The chart sets its own currency: book in EUR from the first entry on.
    company.currency_id = euro
    env.user.company_ids |= company
    return company


def _ledger_owes(env, company):
    env.cr.execute(
        """
        SELECT COALESCE(SUM(line.amount_residual), 0)
          FROM account_move_line line
          JOIN account_account account ON account.id = line.account_id
         WHERE account.account_type = 'asset_receivable'
           AND line.parent_state = 'posted' AND NOT line.reconciled
           AND line.company_id = %s
        """,
        [company.id],
    )
    return env.cr.fetchone()[0]


def _checks(env, companies):
    """The failed checks, in words."""
    failed = []
    env.cr.execute(
        """
        SELECT company_id, partner_id, run_date, COUNT(*)
          FROM credit_collection_action
         WHERE run_date IS NOT NULL
      GROUP BY 1, 2, 3 HAVING COUNT(*) > 1
        """
    )
    if env.cr.fetchall():
        failed.append("a customer has two run actions on one day")
    env.cr.execute(
        """
        SELECT COUNT(*)
          FROM credit_collection_action action
          JOIN account_move_line_credit_collection_action_rel rel
            ON rel.credit_collection_action_id = action.id
          JOIN account_move_line line ON line.id = rel.account_move_line_id
          JOIN res_partner partner ON partner.id = line.partner_id
         WHERE line.company_id != action.company_id
            OR partner.commercial_partner_id != action.partner_id
        """
    )
    if env.cr.fetchone()[0]:
        failed.append("an action holds another company's or customer's items")
    env.cr.execute(
        """
        SELECT COUNT(*)
          FROM account_move move
         WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
           AND NOT EXISTS (
                   SELECT 1
                     FROM mail_followers follower
                     JOIN mail_followers_mail_message_subtype_rel subtype
                       ON subtype.mail_followers_id = follower.id
                    WHERE follower.res_model = 'account.move'
                      AND follower.res_id = move.id
                      AND follower.partner_id = move.partner_id)
        """
    )
    if env.cr.fetchone()[0]:
        failed.append("an invoice is not followed by its customer, as posting does")
    for company in companies:
        owed = _ledger_owes(env, company)
        ((aged,),) = env["credit.collection.aged.balance"]._read_group(
            [("company_id", "=", company.id)], [], ["amount_residual:sum"]
        )
        if company.currency_id.compare_amounts(aged or 0.0, owed):
            failed.append(f"{company.name}: aged balance {aged} != ledger {owed}")
        card = env["credit.collection.dashboard"].browse(company.id)
        ages = card.amount_not_due + card.amount_overdue + card.amount_unapplied
        if company.currency_id.compare_amounts(ages, owed):
            failed.append(f"{company.name}: dashboard ages {ages} != ledger {owed}")
    return failed


def _ledger(env, args, seed, company):
    """The company's ledger, and the large customer whose page is opened:
    a negligent payer, whom the run reminds (a good payer gets nothing)."""
    generate_ledger(env, args.customers, args.items, seed=seed, company=company)
    env.cr.commit()  # the generator's work table goes at commit
    large = generate_ledger(env, 1, args.large_customer, seed=seed, company=company)
    large.with_company(company).payer_profile = "negligent"
    env.cr.commit()


def _portal_pages(env, companies, clock):
    """Open, in each company, the page of the reminder whose customer owes
    the most items; the failed checks."""
    failed = []
    for company in companies:
        env.cr.execute(
            """
            SELECT action.id
              FROM credit_collection_action action
              JOIN account_move_line_credit_collection_action_rel rel
                ON rel.credit_collection_action_id = action.id
             WHERE action.company_id = %s
          GROUP BY action.id ORDER BY COUNT(*) DESC, action.id LIMIT 1
            """,
            [company.id],
        )
        action = env["credit.collection.action"].browse(env.cr.fetchone()[0])
        url = f"/my/collection/{action.id}?access_token={action.access_token}"
        first, median, status, rows = bench_common.time_page(url, repeat=5)
        label = f"portal page of a reminder of {company.name} ({len(rows)} items)"
        clock.report(f"{label}, first request", first, digits=2)
        clock.report(f"{label}, median of 5", median, PAGE_TARGET, digits=2)
        owed = action.partner_id._collection_open_items(company)
        if status != 200 or sorted(rows) != sorted(owed.ids):
            failed.append(
                f"{company.name}: the page of {action.partner_id.name} shows "
                f"{len(rows)} items (HTTP {status}), it owes {len(owed)}"
            )
    return failed


def main(argv=None):
    parser = bench_common.ledger_parser(__doc__)
    parser.add_argument(
        "--large-customer",
        type=int,
        default=1000,
        help="items of one more customer in each company, whose portal page "
        "is opened (the page's target is for 1,000)",
    )
    args = parser.parse_args(argv)
    registry = bench_common.open_registry(args)
    clock = Clock()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company_a = env.ref("base.main_company")
        company_b = _company_b(env)
        companies = company_a | company_b
        env = env(context=dict(env.context, allowed_company_ids=companies.ids))
        for seed, company in enumerate(companies, start=1):
            clock(
                f"ledger of {company.name} ({company.currency_id.name}): "
                f"{args.customers} customers x {args.items} items, and one "
                f"customer with {args.large_customer}",
                lambda company=company, seed=seed: _ledger(env, args, seed, company),
            )
        Run = env["credit.collection.run"]
        for company in companies:
            run = clock(
                f"cold run of {company.name}",
                lambda c=company: Run._run_company(c),
                COLD_RUN_TARGET,
            )
            print(f"  {run.action_count} actions, {run.batch_count} batches")
            clock(
                f"rerun of {company.name}",
                lambda c=company: Run._run_company(c),
                RERUN_TARGET,
            )
        cr.commit()
        failed = _portal_pages(env, companies, clock)
        Action = env["credit.collection.action"]
        agenda = clock("agenda XLSX (both companies)", Action.action_export_xlsx)
        aged_rows = 2 * (args.customers * args.items + args.large_customer)
        aged = clock(
            f"aged balance XLSX (both companies, {aged_rows} items)",
            env["credit.collection.aged.balance"].action_export_xlsx,
            AGED_XLSX_TARGET * max(1, aged_rows / 100000),
        )
        for label, export in (("agenda", agenda), ("aged balance", aged)):
            attachment = env["ir.attachment"].browse(
                int(export["url"].split("/")[3].split("?")[0])
            )
            rows = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active.max_row
            print(f"  {label}: {rows - 2} rows")
        cards = env["credit.collection.dashboard"].browse(companies.ids)
        clock("dashboard cards", lambda: cards.read(["amount_overdue", "paid_rate"]))
        last_month = date.today().replace(day=1) - relativedelta(months=1)
        Kpi = env["credit.collection.kpi"]
        for company in companies:
            clock(
                f"KPIs of {company.name}",
                lambda c=company: Kpi._record_months(c, [last_month]),
            )
        failed += _checks(env, companies)
        cr.commit()
    for message in failed:
        print(f"FAILED: {message}")
    print("checks: " + ("failed" if failed else "all hold"))
    # Figures, not checks: a slow machine misses a target without a bug.
    print("targets: " + ("; ".join(clock.missed) or "all met"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
