from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, api, fields, models
from odoo.tools import SQL

from ..tools import transactions

HISTORY_MONTHS = 12
# Each demo customer's invoices of the past months, as it paid them:
# ``{customer xmlid: (amount of a month's invoice, how it pays)}``, how it
# pays being ``(months ago) -> [(share, days after the due date), ...]``
# (none: still unpaid), ``"dispute"``: a fifth disputed, examined and
# credited, the rest paid, or ``"plan"``: half paid with a payment plan
# agreed that day, the rest as its one instalment.
# Some customers pay otherwise than their profile says, lately: the
# advisor suggests another profile for them, with its reason.


def _on_time(months_ago):
    return [(1.0, -(months_ago % 3))]


def _a_little_late(months_ago):
    return [(1.0, 3 + months_ago % 6)]


def _late(months_ago):
    return [(1.0, 25 + 2 * (months_ago % 10))]


def _approval_circuit(months_ago):
    return [(1.0, 15 + months_ago % 5)]


# Half a month and a half after the due date, the rest two months later.
IN_PART = [(0.5, 45), (0.5, 100)]


def _in_part(months_ago):
    return IN_PART


def _in_part_once_by_plan(months_ago):
    """In part; once, through a payment plan it kept."""
    return "plan" if months_ago == PLAN_MONTHS_AGO else _in_part(months_ago)


def _stopped_paying(months_ago):
    """In part, then nothing for the last five months: in litigation now."""
    return [] if months_ago <= 5 else _in_part(months_ago)


def _late_lately(months_ago):
    """On time until half a year ago, two to three weeks late since."""
    return [(1.0, 0 if months_ago > 6 else 14 + months_ago)]


def _better_lately(months_ago):
    return [(1.0, 10 + months_ago % 5)]


def _every_third_disputed(months_ago):
    return "dispute" if months_ago % 3 == 0 else [(1.0, 2)]


def _by_direct_debit(months_ago):
    return [(1.0, 0)]


HISTORY = {
    "res_partner_negligent_1": (1400.0, _a_little_late),
    "res_partner_negligent_2": (2100.0, _a_little_late),
    # A negligent payer that pays on time now.
    "res_partner_negligent_3": (700.0, _on_time),
    "res_partner_bad_1": (3900.0, _late),
    "res_partner_bad_2": (6200.0, _late),
    # A bad payer that is only a little late now.
    "res_partner_bad_3": (1200.0, _better_lately),
    "res_partner_insolvent_1": (8000.0, _in_part_once_by_plan),
    "res_partner_insolvent_2": (3500.0, _stopped_paying),
    "res_partner_insolvent_3": (900.0, _in_part),
    "res_partner_administrative_1": (11000.0, _approval_circuit),
    "res_partner_administrative_2": (16000.0, _approval_circuit),
    "res_partner_administrative_3": (2600.0, _approval_circuit),
    "res_partner_dispute_1": (2300.0, _every_third_disputed),
    "res_partner_dispute_2": (4100.0, _every_third_disputed),
    "res_partner_dispute_3": (1100.0, _every_third_disputed),
    "res_partner_automatic_1": (1300.0, _by_direct_debit),
    "res_partner_automatic_2": (1900.0, _by_direct_debit),
    "res_partner_good_1": (5200.0, _on_time),
    # A good payer late for half a year.
    "res_partner_good_2": (2800.0, _late_lately),
    "res_partner_individual_1": (160.0, _a_little_late),
}
HISTORY_EUROPE = {
    "res_partner_europe_negligent_1": (1100.0, _a_little_late),
    "res_partner_europe_bad_1": (4200.0, _late),
    "res_partner_europe_good_1": (2500.0, _on_time),
    "res_partner_europe_administrative_1": (14000.0, _approval_circuit),
    "res_partner_europe_dispute_1": (2900.0, _every_third_disputed),
    # A negligent payer that pays weeks late.
    "res_partner_europe_negligent_2": (1800.0, _late),
}
# Each demo company's history, by the company's XML id.
HISTORIES = {
    "base.main_company": HISTORY,
    "credit_collection.res_company_europe": HISTORY_EUROPE,
}
RUN_EVERY_DAYS = 14
# A customer called promises the day it pays, if within a fortnight; one
# that pays later promises a week and breaks it.
PROMISE_KEPT_DAYS = 14
PROMISE_BROKEN_DAYS = 7
LAST_RUN_DAYS = 21  # before today: the demo's own run is today's
DISPUTE_RAISED_DAYS = 3  # after the due date
DISPUTE_CREDITED_DAYS = 12
DISPUTED_SHARE = 0.2
# Who examines the disputes (Odoo's demo user), and when they answer.
DISPUTE_EXAMINER = "base.user_demo"
DISPUTE_ANSWERED_DAYS = 8
PLAN_MONTHS_AGO = 9


def _payments(how):
    """The payments ``[(share, days after the due date)]`` of a way to pay
    an invoice."""
    if how == "dispute":
        return [(1.0, DISPUTE_CREDITED_DAYS)]
    if how == "plan":
        return IN_PART  # the plan's down payment and instalment
    return how


class CreditCollectionDemoHistory(models.AbstractModel):
    """A year of the demo customers' past: invoices (in bulk: accounting
    history), then day by day how each customer paid them, the disputes some
    raised and their credit notes, and a collection run every fortnight
    whose actions the collector did, each on its day through the models'
    own methods; then what the product made of that past: the monthly KPIs
    and the payer profiles the advisor suggests. Dated relative to the day
    the demo is loaded, so that it stays current."""

    _name = "credit.collection.demo.history"
    _description = "Collection demo history loader"

    @api.model
    def _load(self, company_xmlid="base.main_company"):
        """The past months' invoices of the company ``company_xmlid``, paid
        as each customer pays."""
        company = self.env.ref(company_xmlid)
        Ledger = self.env["credit.collection.demo.ledger"]
        with Ledger._on_demo_day(company):
            self.with_company(company)._live_year(HISTORIES[company_xmlid])

    @api.model
    def _live_year(self, history):
        Ledger = self.env["credit.collection.demo.ledger"]
        journal = Ledger._sale_journal()
        if not journal:
            return  # no chart of accounts: nothing to invoice with
        today = fields.Date.context_today(self)
        invoices = self._post_invoices(journal, today, history)
        self._live(journal, invoices, today)

    @api.model
    def _conclude(self, company_xmlid="base.main_company"):
        """Once today's ledger is loaded too: the figures of the past months
        and the payer profiles the whole history points to."""
        company = self.env.ref(company_xmlid)
        if (
            not self.env["credit.collection.demo.ledger"]
            .with_company(company)
            ._sale_journal()
        ):
            return
        first_month = fields.Date.context_today(self).replace(day=1)
        self.env["credit.collection.kpi"].with_company(company)._record_months(
            company,
            [
                first_month - relativedelta(months=months_ago)
                for months_ago in range(HISTORY_MONTHS, 0, -1)
            ],
        )
        no_commit = self.with_context(**{transactions.NO_COMMIT: True}).env
        no_commit["credit.collection.profile.advisor"].with_company(
            company
        )._suggest_company(company)
        # Today's agenda in the order of what acting on it may bring in, as
        # the scheduled ordering does after each run.
        no_commit["credit.collection.action"]._refresh_recovery(company)

    @api.model
    def _post_invoices(self, journal, today, history):
        """One invoice a month per customer, issued on the month's 5th and
        due 30 days later, for the invoices settled by yesterday or never:
        ``[(invoice, how it is paid)]``."""
        Ledger = self.env["credit.collection.demo.ledger"]
        product = Ledger._demo_product()
        planned = []
        for xmlid, (amount, pays) in history.items():
            partner = self.env.ref(f"credit_collection.{xmlid}")
            for months_ago in range(HISTORY_MONTHS, 0, -1):
                issued = (today - relativedelta(months=months_ago)).replace(day=5)
                due = issued + relativedelta(days=30)
                how = pays(months_ago)
                last = max((days for _share, days in _payments(how)), default=None)
                if last is not None and due + relativedelta(days=last) >= today:
                    continue  # not settled yet: today's ledger has its own
                planned.append(
                    (
                        {
                            "move_type": "out_invoice",
                            "partner_id": partner.id,
                            "journal_id": journal.id,
                            "invoice_date": issued,
                            "invoice_date_due": due,
                            "invoice_line_ids": [
                                Command.create(
                                    Ledger._line(product, amount + 37 * months_ago)
                                )
                            ],
                        },
                        how,
                    )
                )
        # Numbered in the order they were issued, as they would have been.
        planned.sort(key=lambda vals_how: vals_how[0]["invoice_date"])
        invoices = self.env["account.move"].create([vals for vals, _how in planned])
        invoices.action_post()
        return list(zip(invoices, [how for _vals, how in planned], strict=True))

    @api.model
    def _live(self, journal, invoices, today):
        """The year day by day, each step on its day: the disputes raised
        (three days after the due date) and credited (twelve days after,
        which resolves them), the payments as each customer pays, and a
        collection run every fortnight, whose actions the collector then
        does. The last run is three weeks before today: today's run is the
        demo's own."""
        Ledger = self.env["credit.collection.demo.ledger"]
        product = Ledger._demo_product()
        days, paid_on = self._schedule(invoices)
        runs = self._run_days(today)
        # The payments are posted, each on its date, when the next run
        # comes (or the year ends): the runs see the same ledger, for a
        # fraction of the batches.
        payments = []
        disputes = {}  # invoice id: its dispute
        # The examiner works for the main company only: the other's disputes
        # are settled by the collector alone.
        examiner = self.env.ref(DISPUTE_EXAMINER).filtered(
            lambda user: self.env.company in user.company_ids
        )
        for day in sorted(set(days) | runs):
            events = days[day]
            payments += [(invoice, share, day) for invoice, share in events["payments"]]
            with freeze_time(day):
                for invoice, disputed in events["disputes"]:
                    disputes[invoice.id] = Ledger._dispute(
                        invoice,
                        "Goods damaged in transit.",
                        disputed,
                        responsible_id=examiner.id,
                    )
                for invoice, _disputed in events["answers"] if examiner else []:
                    self._answer(disputes[invoice.id], examiner)
                for invoice in events["plans"]:
                    self._plan(invoice, due=invoice.invoice_date_due)
                for invoice, disputed in events["credits"]:
                    Ledger._credit_note(
                        journal,
                        invoice.partner_id,
                        product,
                        disputed,
                        reversed_entry_id=invoice.id,
                        invoice_date=day,
                    )
                if day in runs:
                    self._pay(payments)
                    payments = []
                    self._collect(paid_on)
                self._backdate()
        self._pay(payments)

    @api.model
    def _schedule(self, invoices):
        """What happens to ``invoices`` ([(invoice, how it is paid)]), day by
        day: ``{day: {step: [...]}}``, and the day each is paid in full."""
        days = defaultdict(lambda: defaultdict(list))
        paid_on = {}  # invoice id: the day it is paid in full
        for invoice, how in invoices:
            due = invoice.invoice_date_due
            if how == "dispute":
                disputed = invoice.currency_id.round(
                    invoice.amount_total * DISPUTED_SHARE
                )
                for step, late in (
                    ("disputes", DISPUTE_RAISED_DAYS),
                    ("answers", DISPUTE_ANSWERED_DAYS),
                    ("credits", DISPUTE_CREDITED_DAYS),
                ):
                    days[due + relativedelta(days=late)][step].append(
                        (invoice, disputed)
                    )
            elif how == "plan":
                days[due + relativedelta(days=IN_PART[0][1])]["plans"].append(invoice)
            how = _payments(how)
            for index, (share, late) in enumerate(how):
                last = index == len(how) - 1
                days[due + relativedelta(days=late)]["payments"].append(
                    (invoice, None if last else share)
                )
            if how:
                paid_on[invoice.id] = due + relativedelta(days=how[-1][1])
        return days, paid_on

    @api.model
    def _run_days(self, today):
        """A run every fortnight of the year, the last one three weeks before
        ``today``, on a working day whatever day the demo is loaded (a run
        on a weekend plans its actions for the Monday)."""
        start = today - relativedelta(months=HISTORY_MONTHS, days=-RUN_EVERY_DAYS)
        last_run = self.env.company._credit_collection_working_day(
            today - relativedelta(days=LAST_RUN_DAYS)
        )
        return {
            last_run - relativedelta(days=RUN_EVERY_DAYS * n)
            for n in range((last_run - start).days // RUN_EVERY_DAYS + 1)
        }

    @api.model
    def _backdate(self):
        """Date the promises and plans just made on the (frozen) day they
        were made: Odoo stamps records with the database's clock, which
        freezegun does not stop, and the timeline shows them by that stamp."""
        for model in ("credit.collection.promise", "credit.collection.plan"):
            self.env[model].flush_model()
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET create_date = %s WHERE create_date = %s",
                    SQL.identifier(self.env[model]._table),
                    fields.Datetime.now(),
                    self.env.cr.now(),
                )
            )
            self.env[model].invalidate_model(["create_date"])

    @api.model
    def _answer(self, dispute, examiner):
        """The person examining ``dispute`` answers in its thread (without
        Collections rights: as the portal's signed link lets them), and the
        collector takes it up."""
        dispute.sudo().message_post(
            body=self.env._(
                "Checked with the carrier: the goods were damaged in transit. "
                "A credit note for the damaged part is agreed."
            ),
            author_id=examiner.partner_id.id,
            message_type="comment",
            # A note: a past answer notifies no one today.
            subtype_xmlid="mail.mt_note",
        )
        dispute.write(
            {
                "state": "in_progress",
                "resolution": "Credit note for the damaged goods.",
            }
        )

    @api.model
    def _plan(self, invoice, due):
        """A plan agreed the day the customer pays half of ``invoice``: that
        half as its down payment, the rest as one instalment."""
        (down_share, _first_days), (_rest, last_days) = IN_PART
        self.env["credit.collection.demo.ledger"]._plan(
            invoice,
            "Half now, the rest in two months.",
            down_share,
            first_date=due + relativedelta(days=last_days),
            instalment_count=1,
            send_confirmation=False,  # a past plan: no email now
        )

    @api.model
    def _collect(self, paid_on):
        """The day's run, and each collector doing, as that user, what it
        planned for them."""
        no_commit = self.with_context(**{transactions.NO_COMMIT: True}).env
        run = no_commit["credit.collection.run"]._run_company(
            self.env.company, trigger="manual"
        )
        today = fields.Date.context_today(self)
        todo = run.action_ids.filtered(lambda action: action.state == "todo")
        for collector, actions in todo.grouped("user_id").items():
            self.with_user(collector)._work(actions.with_user(collector), paid_on)
        # Registered letters posted that day and received two days later: a
        # formal notice's period counts from its receipt.
        for letter in todo.filtered(lambda a: a.channel == "registered_letter"):
            letter.write(
                {
                    "tracking_number": f"1A{letter.id:011d}",
                    "sent_date": today,
                    "receipt_date": today + relativedelta(days=2),
                }
            )

    @api.model
    def _work(self, todo, paid_on):
        """What a collector does of the actions of a run: each call ends in
        a promise to pay (kept when the customer pays within a fortnight,
        ``paid_on`` saying when, broken otherwise), the rest is done (the
        automatic reminders as sent, without their statement: rendering it
        needs the server, which an install does not run)."""
        today = fields.Date.context_today(self)
        calls = todo.filtered(lambda action: action.channel == "phone")
        for call in calls:
            # Never paid (still open today): a promise broken.
            paid = max(
                paid_on.get(move.id, date.max) for move in call.move_line_ids.move_id
            )
            promised = (
                paid
                if paid <= today + relativedelta(days=PROMISE_KEPT_DAYS)
                else today + relativedelta(days=PROMISE_BROKEN_DAYS)
            )
            outcome = (
                self.env["credit.collection.outcome"]
                .with_context(active_model=call._name, active_id=call.id)
                .create({"outcome": "promise", "send_confirmation": False})
            )
            outcome.write(
                {
                    "promise_date": max(promised, today),
                    "promise_amount": outcome.amount_due,
                }
            )
            outcome.action_apply()
        (todo - calls)._mark_done(feedback=self.env._("Done."))

    @api.model
    def _pay(self, payments):
        """Post the payments ``[(invoice, share of it or None for the rest,
        day)]`` at once, then match each with its invoice."""
        if not payments:
            return
        planned = defaultdict(float)  # invoice id: paid by earlier ones
        amounts = []
        for invoice, share, _day in payments:
            amount = (
                invoice.currency_id.round(invoice.amount_total * share)
                if share
                else invoice.amount_residual - planned[invoice.id]
            )
            planned[invoice.id] += amount
            amounts.append(amount)
        records = self.env["account.payment"].create(
            [
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": invoice.commercial_partner_id.id,
                    "amount": amount,
                    "date": day,
                    "memo": invoice.name,
                }
                for (invoice, _share, day), amount in zip(
                    payments, amounts, strict=True
                )
            ]
        )
        records.action_post()
        Ledger = self.env["credit.collection.ledger"]
        # One reconciliation of all the pairs: reconciling pair by pair
        # costs a batch of queries each.
        self.env["account.move.line"]._reconcile_plan(
            [
                Ledger._open_items(invoice.line_ids | payment.move_id.line_ids)
                for payment, (invoice, _share, _day) in zip(
                    records, payments, strict=True
                )
            ]
        )
