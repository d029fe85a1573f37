"""A world for the agenda backtest: customers with hidden payment behaviours,
months of their invoices, the collection actions their company did and what
each customer paid, in a company of its own.

This module knows each customer's behaviour; the score only reads what the
behaviours left in the books (invoices, payments, actions done), as it
would in a real company. Nothing here is shared with the score: the world
is written through the models' public data (the ORM, and SQL for the bulk
of invoices and payments, as ``ledger_generator`` does).

Each customer pays each invoice on its own some days after the due date
(or never), unless an action reaches it first and it answers: then it pays
what the action asked for a few days later. How likely it answers depends
on its behaviour and on the action's channel; its payer profile, which the
company set, says roughly but not always which behaviour it has.

After today the world goes on: what the customers pay comes into the books
on its day (``write_payments``), and they answer the automatic reminders
the daily runs send (``send_automatic``), whatever the collector does.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta

from odoo import Command, fields
from odoo.tools import SQL, split_every

from tests.benchmarks.ledger_generator import _clone_invoices, _template_invoice


@dataclass(frozen=True)
class Behaviour:
    """How one kind of customer pays: the profile a company would give it,
    days late it pays on its own (a sampler; None: never), its chance to
    pay after an action by channel, and how many days that takes."""

    name: str
    weight: int
    profile: str
    late: object
    answers: dict
    lag: tuple

    def answer_chance(self, channel):
        return self.answers.get(channel, self.answers["email"])


def _never_or(chance_never, mean, sd):
    return lambda rng: None if rng.random() < chance_never else rng.gauss(mean, sd)


def _either(share, first, second):
    return lambda rng: rng.gauss(*first) if rng.random() < share else rng.gauss(*second)


BEHAVIOURS = [
    Behaviour(
        "prompt", 30, "good", _never_or(0, -2, 5), {"email": 0.9, "phone": 0.95}, (1, 3)
    ),
    Behaviour(
        "forgetful",
        25,
        "negligent",
        _never_or(0, 45, 15),
        {"email": 0.6, "phone": 0.85, "registered_letter": 0.8, "letter": 0.6},
        (1, 5),
    ),
    Behaviour(
        "stretcher",
        15,
        "bad",
        _never_or(0, 80, 20),
        {"email": 0.1, "phone": 0.45, "registered_letter": 0.6, "letter": 0.4},
        (3, 10),
    ),
    Behaviour(
        "administrative",
        10,
        "administrative",
        _never_or(0, 55, 6),
        {"email": 0.1},
        (5, 10),
    ),
    Behaviour(
        "erratic",
        12,
        "negligent",
        _either(0.5, (8, 4), (100, 30)),
        {"email": 0.35},
        (2, 15),
    ),
    Behaviour(
        "insolvent", 8, "insolvent", _never_or(0.85, 160, 40), {"email": 0.03}, (10, 20)
    ),
]
PROFILES = sorted({behaviour.profile for behaviour in BEHAVIOURS})
# The share of customers whose profile the company got wrong.
PROFILE_NOISE = 0.25
# Answers drawn ahead for the collector's actions after today.
ANSWERS_AHEAD = 8


@dataclass
class Invoice:
    due: object
    amount: float
    paid_on: object = None  # the day it is paid if nothing more is done
    reached: int = -1  # the highest stage an action asked it at
    line_id: int = 0


@dataclass
class Customer:
    behaviour: Behaviour
    profile: str
    size: float
    invoices: list = field(default_factory=list)
    # Its answers to the collector's next actions (the same for every order
    # compared): the n-th action is answered when the n-th draw is below
    # the channel's chance, the payment ``lag`` days later.
    answers: list = field(default_factory=list)  # [(draw, lag)]
    partner_id: int = 0

    def answer(self, nth):
        return self.answers[nth % len(self.answers)]


@dataclass
class DoneAction:
    """An action of the history: done, or still waiting on the agenda."""

    customer: Customer
    day: object
    stage: object
    asked: list  # (invoice, index of the stage it reached)

    @property
    def invoices(self):
        return [invoice for invoice, _index in self.asked]


def draw_customers(rng, count, today, history_days):
    """The customers, their invoices from ``history_days`` ago until today
    (due 30 days after), and what each would pay on its own."""
    weights = [behaviour.weight for behaviour in BEHAVIOURS]
    customers = []
    for _n in range(count):
        behaviour = rng.choices(BEHAVIOURS, weights)[0]
        profile = behaviour.profile
        if rng.random() < PROFILE_NOISE:
            profile = rng.choice(PROFILES)
        customer = Customer(
            behaviour, profile, math.exp(rng.gauss(math.log(1500), 1.0))
        )
        issued = today - timedelta(days=history_days - rng.randint(0, 30))
        while issued <= today:
            due = issued + timedelta(days=30)
            late = behaviour.late(rng)
            customer.invoices.append(
                Invoice(
                    due,
                    round(customer.size * rng.uniform(0.6, 1.4), 2),
                    None if late is None else due + timedelta(days=round(late)),
                )
            )
            issued += timedelta(days=max(10, round(rng.gauss(30, 7))))
        customer.answers = [
            (rng.random(), rng.randint(*behaviour.lag)) for _n in range(ANSWERS_AHEAD)
        ]
        customers.append(customer)
    return customers


def live_history(rng, customers, scenarios, start, today, capacity):
    """The company's collection until yesterday, as its daily run planned
    it: each day, for each customer, an action at the highest stage one of
    its open invoices has reached, once the scenario's interval since the
    last one has passed (a higher stage replaces one still waiting).
    Automatic stages go out at once; the collector does ``capacity``
    manual actions a working day, the oldest planned first, and the others
    wait. Returns the actions done and those still waiting today."""
    done, waiting, last = [], {}, {}
    day = start
    while day < today:
        for customer in customers:
            stages, interval = scenarios[customer.profile]
            previous = last.get(id(customer))
            if previous is not None and (day - previous).days < interval:
                continue
            action = _due_action(customer, stages, day)
            pending = waiting.get(id(customer))
            if action is None:
                waiting.pop(id(customer), None)
            elif action.stage.auto:
                waiting.pop(id(customer), None)
                _do(rng, action, done, last)
            elif pending is None or pending.stage.days < action.stage.days:
                waiting[id(customer)] = action
        if day.weekday() < 5:
            for action in sorted(waiting.values(), key=lambda a: a.day)[:capacity]:
                del waiting[id(action.customer)]
                action.day = day
                _do(rng, action, done, last)
        day += timedelta(days=1)
    return done, list(waiting.values())


def _due_action(customer, stages, day):
    """The action the run would plan for ``customer`` on ``day``: the
    highest stage one of its open invoices reached and was not asked at
    yet, for all its open invoices that reached a stage."""
    asked, stage_index = [], -1
    for invoice in customer.invoices:
        if invoice.paid_on is not None and invoice.paid_on <= day:
            continue
        due_index = -1
        for index, stage in enumerate(stages):
            if invoice.due + timedelta(days=stage.days) <= day:
                due_index = index
        if due_index > invoice.reached:
            stage_index = max(stage_index, due_index)
        if due_index >= 0:
            asked.append((invoice, due_index))
    if stage_index < 0:
        return None
    return DoneAction(customer, day, stages[stage_index], asked)


def _do(rng, action, done, last):
    """The action is done: its invoices reached its stage, and the customer
    answers it or not."""
    customer = action.customer
    for invoice, due_index in action.asked:
        invoice.reached = max(invoice.reached, due_index)
    done.append(action)
    last[id(customer)] = action.day
    if rng.random() < customer.behaviour.answer_chance(action.stage.channel):
        pay_on = action.day + timedelta(days=rng.randint(*customer.behaviour.lag))
        for invoice in action.invoices:
            if invoice.paid_on is None or invoice.paid_on > pay_on:
                invoice.paid_on = pay_on


# ----------------------------------------------------------------------
# Into the books
# ----------------------------------------------------------------------


def open_company(env, seed):
    """A company of its own for the world (its history does not mix with
    another seed's), with a chart of accounts and the default scenarios,
    working every day."""
    company = env["res.company"].create(
        {"name": f"Backtest {seed}", "currency_id": env.ref("base.EUR").id}
    )
    env.ref("base.EUR").active = True
    env.user.company_ids |= company
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    env["account.chart.template"].try_loading(
        "generic_coa", company, install_demo=False
    )
    company.currency_id = env.ref("base.EUR")
    company.resource_calendar_id = False
    return env, company


def company_scenarios(env, company):
    """``{profile: (stages by days, minimum interval)}``."""
    scenarios = {}
    for scenario in env["credit.collection.scenario"].search(
        [("company_id", "=", company.id), ("payer_profile", "!=", False)]
    ):
        scenarios[scenario.payer_profile] = (
            scenario.stage_ids.sorted("days"),
            scenario.min_interval_days,
        )
    return scenarios


def write_customers(env, company, customers):
    partners = env["res.partner"].create(
        [
            {
                "name": f"Backtest customer {n:06d}",
                "is_company": True,
                "customer_rank": 1,
                "email": f"ap{n}@backtest.example.com",
                "phone": "+33 1 23 45 67 89",
                "street": f"{n} rue du Commerce",
                "city": "Lyon",
                "zip": "69002",
                "country_id": env.ref("base.fr").id,
            }
            for n in range(len(customers))
        ]
    )
    for customer, partner in zip(customers, partners, strict=True):
        customer.partner_id = partner.id
    by_profile = {}
    for customer in customers:
        by_profile.setdefault(customer.profile, []).append(customer.partner_id)
    for profile, ids in by_profile.items():
        env["res.partner"].browse(ids).with_company(company).write(
            {"payer_profile": profile}
        )


def write_invoices(env, company, customers):
    """Post every invoice (cloned in SQL from one posted with the ORM) and
    note each one's receivable item."""
    invoices = [
        (customer, invoice) for customer in customers for invoice in customer.invoices
    ]
    rows = [
        (customer.partner_id, invoice.due, invoice.amount)
        for customer, invoice in invoices
    ]
    first = env["res.partner"].browse(rows[0][0])
    template = _template_invoice(env, company, first, rows[0])
    _clone_invoices(env, template, rows[1:])
    env.cr.execute(
        SQL(
            """
            SELECT line.id FROM account_move move
              JOIN account_move_line line ON line.move_id = move.id
             WHERE move.journal_id = %s AND move.id != %s
               AND line.display_type = 'payment_term'
          ORDER BY move.sequence_number
            """,
            template.journal_id.id,
            template.id,
        )
    )
    line_ids = [row[0] for row in env.cr.fetchall()]
    receivable = template.line_ids.filtered(
        lambda line: line.display_type == "payment_term"
    )
    invoices[0][1].line_id = receivable.id
    for (_customer, invoice), line_id in zip(invoices[1:], line_ids, strict=True):
        invoice.line_id = line_id
    return receivable.account_id


def write_payments(env, company, customers, account, since, until):
    """What each customer paid from ``since`` until the day before
    ``until``: one receipt line per customer (posted with the ORM, dated
    ``since``), matched with each invoice on the day it was paid (in SQL,
    as reconciling would)."""
    paid = {
        customer.partner_id: [
            invoice
            for invoice in customer.invoices
            if invoice.paid_on is not None and since <= invoice.paid_on < until
        ]
        for customer in customers
    }
    paid = {partner_id: invoices for partner_id, invoices in paid.items() if invoices}
    if not paid:
        return
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
    )
    total = {
        pid: round(sum(i.amount for i in invoices), 2) for pid, invoices in paid.items()
    }
    receipt = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": journal.id,
            "date": since,
            "line_ids": [
                Command.create(
                    {
                        "account_id": account.id,
                        "partner_id": partner_id,
                        "credit": amount,
                        "name": "Receipts",
                    }
                )
                for partner_id, amount in total.items()
            ]
            + [
                Command.create(
                    {
                        "account_id": journal.default_account_id.id,
                        "debit": round(sum(total.values()), 2),
                        "name": "Receipts",
                    }
                )
            ],
        }
    )
    receipt.action_post()
    env.flush_all()
    credit_lines = {
        line.partner_id.id: line.id
        for line in receipt.line_ids
        if line.account_id == account
    }
    rows = [
        (invoice.line_id, credit_lines[partner_id], invoice.amount, invoice.paid_on)
        for partner_id, invoices in paid.items()
        for invoice in invoices
    ]
    _match(env, company, rows)


def _match(env, company, rows):
    cr = env.cr
    cr.execute(
        "CREATE TEMP TABLE backtest_match (debit int, credit int, amount numeric, "
        "day date) ON COMMIT DROP"
    )
    for chunk in split_every(5000, rows):
        cr.execute(
            SQL(
                "INSERT INTO backtest_match SELECT * FROM unnest(%s::int[], "
                "%s::int[], %s::numeric[], %s::date[])",
                *(list(column) for column in zip(*chunk, strict=True)),
            )
        )
    currency = company.currency_id.id
    cr.execute(
        SQL(
            """
            INSERT INTO account_partial_reconcile
                   (debit_move_id, credit_move_id, amount, debit_amount_currency,
                    credit_amount_currency, debit_currency_id, credit_currency_id,
                    company_id, max_date, create_uid, write_uid, create_date,
                    write_date)
            SELECT debit, credit, amount, amount, amount, %(currency)s,
                   %(currency)s, %(company)s, day, 1, 1, now(), now()
              FROM backtest_match
            """,
            currency=currency,
            company=company.id,
        )
    )
    cr.execute(
        """
        UPDATE account_move_line line
           SET amount_residual = 0, amount_residual_currency = 0, reconciled = TRUE
          FROM backtest_match match WHERE line.id = match.debit;
        UPDATE account_move move
           SET amount_residual = 0, amount_residual_signed = 0, payment_state = 'paid'
          FROM account_move_line line, backtest_match match
         WHERE line.id = match.debit AND move.id = line.move_id;
        UPDATE account_move_line line
           SET amount_residual = line.balance + matched.amount,
               amount_residual_currency = line.balance + matched.amount,
               reconciled = line.balance + matched.amount = 0
          FROM (SELECT credit, SUM(amount) AS amount FROM backtest_match
                 GROUP BY credit) matched
         WHERE line.id = matched.credit;
        """
    )
    env.invalidate_all()


def write_actions(env, company, done, waiting):
    """The actions done, and those still waiting on the agenda (as the runs
    of their day planned them), with the ORM: each done one is measured
    (what it brought in) as it is created."""
    Action = env["credit.collection.action"].with_context(
        tracking_disable=True,
        mail_create_nolog=True,
        mail_create_nosubscribe=True,
        mail_notrack=True,
    )
    actions = sorted(done, key=lambda action: action.day)
    for chunk in split_every(
        2000, [(a, "done") for a in actions] + [(a, "todo") for a in waiting]
    ):
        Action.create(
            [
                {
                    "partner_id": action.customer.partner_id,
                    "company_id": company.id,
                    "stage_id": action.stage.id,
                    "scenario_id": action.stage.scenario_id.id,
                    "channel": action.stage.channel,
                    "auto": action.stage.auto,
                    "date": action.day,
                    "run_date": action.day,
                    "state": state,
                    "done_date": fields.Datetime.to_datetime(action.day)
                    + timedelta(hours=10)
                    if state == "done"
                    else False,
                    # What its items owed when it was planned.
                    "amount_due": sum(i.amount for i in action.invoices),
                    "amount_overdue": sum(
                        i.amount for i in action.invoices if i.due < action.day
                    ),
                    "move_line_ids": [
                        Command.set([invoice.line_id for invoice in action.invoices])
                    ],
                }
                for action, state in chunk
            ]
        )
        env.cr.commit()
        env.invalidate_all()


def send_automatic(env, rng, company, customers, day):
    """The automatic reminders the day's run planned go out (done, as the
    sending leaves them) and each customer answers them as its behaviour
    says: a payment that comes whatever the collector does."""
    actions = env["credit.collection.action"].search(
        [("company_id", "=", company.id), ("state", "=", "todo"), ("auto", "=", True)]
    )
    by_partner = {customer.partner_id: customer for customer in customers}
    invoices = {
        invoice.line_id: invoice
        for customer in customers
        for invoice in customer.invoices
    }
    for action in actions:
        behaviour = by_partner[action.partner_id.id].behaviour
        if rng.random() >= behaviour.answer_chance(action.channel):
            continue
        pay_on = day + timedelta(days=rng.randint(*behaviour.lag))
        for line_id in action.move_line_ids.ids:
            invoice = invoices.get(line_id)
            if invoice and (invoice.paid_on is None or invoice.paid_on > pay_on):
                invoice.paid_on = pay_on
    actions.write(
        {
            "state": "done",
            "done_date": fields.Datetime.to_datetime(day) + timedelta(hours=9),
        }
    )
    env.cr.commit()
