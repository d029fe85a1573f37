from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, api, fields, models

from ..tools import transactions

HISTORY_MONTHS = 12
# Each demo customer's invoices of the past months, as it paid them:
# ``{customer xmlid: (amount of a month's invoice, how it pays)}``, how it
# pays being ``(months ago) -> [(share, days after the due date), ...]``,
# or ``"dispute"``: a fifth disputed then credited, the rest paid.
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


def _in_part(months_ago):
    return [(0.5, 45), (0.5, 100)]


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
    "res_partner_insolvent_1": (8000.0, _in_part),
    "res_partner_insolvent_2": (3500.0, _in_part),
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
DISPUTE_RAISED_DAYS = 3  # after the due date
DISPUTE_CREDITED_DAYS = 12
DISPUTED_SHARE = 0.2


class CreditCollectionDemoHistory(models.AbstractModel):
    """A year of the demo customers' past: invoices and how each customer
    paid them (in bulk: accounting history), the disputes some raised and
    their credit notes (through the disputes, on their day), then what the
    product made of that past: the monthly KPIs and the payer profiles the
    advisor suggests. Dated relative to the day the demo is loaded, so that
    it stays current."""

    _name = "credit.collection.demo.history"
    _description = "Collection demo history loader"

    @api.model
    def _load(self):
        """The past months' invoices, paid as each customer pays."""
        Ledger = self.env["credit.collection.demo.ledger"]
        journal = Ledger._sale_journal()
        if not journal:
            return  # no chart of accounts: nothing to invoice with
        today = fields.Date.context_today(self)
        invoices = self._post_invoices(journal, today)
        self._settle(journal, invoices, today)

    @api.model
    def _conclude(self):
        """Once today's ledger is loaded too: the figures of the past months
        and the payer profiles the whole history points to."""
        if not self.env["credit.collection.demo.ledger"]._sale_journal():
            return
        company = self.env.company
        first_month = fields.Date.context_today(self).replace(day=1)
        self.env["credit.collection.kpi"]._record_months(
            company,
            [
                first_month - relativedelta(months=months_ago)
                for months_ago in range(HISTORY_MONTHS, 0, -1)
            ],
        )
        no_commit = self.with_context(**{transactions.NO_COMMIT: True}).env
        no_commit["credit.collection.profile.advisor"]._suggest_company(company)

    @api.model
    def _post_invoices(self, journal, today):
        """One invoice a month per customer, issued on the month's 5th and
        due 30 days later, for the invoices settled by yesterday: ``[(invoice,
        how it was paid)]``."""
        Ledger = self.env["credit.collection.demo.ledger"]
        product = Ledger._demo_product()
        planned = []
        for xmlid, (amount, pays) in HISTORY.items():
            partner = self.env.ref(f"credit_collection.{xmlid}")
            for months_ago in range(HISTORY_MONTHS, 0, -1):
                issued = (today - relativedelta(months=months_ago)).replace(day=5)
                due = issued + relativedelta(days=30)
                how = pays(months_ago)
                last = (
                    DISPUTE_CREDITED_DAYS
                    if how == "dispute"
                    else max(days for _share, days in how)
                )
                if due + relativedelta(days=last) >= today:
                    continue
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
    def _settle(self, journal, invoices, today):
        """Pay each invoice as its customer does; a disputed one: the
        dispute raised three days after the due date, a credit note for
        the disputed part twelve days after (which resolves the dispute),
        the rest paid that day."""
        Ledger = self.env["credit.collection.demo.ledger"]
        product = Ledger._demo_product()
        payments = []
        for invoice, how in invoices:
            due = invoice.invoice_date_due
            if how == "dispute":
                disputed = invoice.currency_id.round(
                    invoice.amount_total * DISPUTED_SHARE
                )
                with freeze_time(due + relativedelta(days=DISPUTE_RAISED_DAYS)):
                    Ledger._dispute(invoice, "Goods damaged in transit.", disputed)
                credited = due + relativedelta(days=DISPUTE_CREDITED_DAYS)
                with freeze_time(credited):
                    Ledger._credit_note(
                        journal,
                        invoice.partner_id,
                        product,
                        disputed,
                        reversed_entry_id=invoice.id,
                        invoice_date=credited,
                    )
                how = [(1.0, DISPUTE_CREDITED_DAYS)]
            remaining = invoice.amount_residual
            for index, (share, days) in enumerate(how):
                amount = (
                    remaining
                    if index == len(how) - 1
                    else invoice.currency_id.round(invoice.amount_total * share)
                )
                remaining -= amount
                payments.append((invoice, amount, due + relativedelta(days=days)))
        self._pay(payments)

    @api.model
    def _pay(self, payments):
        """Post the payments ``[(invoice, amount, day)]`` at once, then match
        each with its invoice."""
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
                for invoice, amount, day in payments
            ]
        )
        records.action_post()
        Ledger = self.env["credit.collection.ledger"]
        for payment, (invoice, _amount, _day) in zip(records, payments, strict=True):
            Ledger._open_items(invoice.line_ids | payment.move_id.line_ids).reconcile()
