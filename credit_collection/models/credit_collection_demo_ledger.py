from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command, api, fields, models

from ..tools import transactions

# (customer xmlid, days late at today (negative: not yet due), amount,
#  share paid, credit note amount, collection status, comment)
DEMO_LEDGER = [
    ("res_partner_negligent_1", -10, 1850.0, 0, 0, "normal", ""),
    ("res_partner_negligent_1", 5, 920.0, 0, 0, "normal", ""),
    (
        "res_partner_negligent_2",
        20,
        2400.0,
        0,
        0,
        "promised",
        "Accountant back from holiday, promised payment on Friday.",
    ),
    ("res_partner_negligent_3", 45, 640.0, 0, 0, "normal", ""),
    ("res_partner_bad_1", 20, 5200.0, 0, 0, "normal", ""),
    (
        "res_partner_bad_1",
        45,
        3100.0,
        0.3,
        0,
        "normal",
        "Partial payment received, balance chased.",
    ),
    ("res_partner_bad_2", 75, 8900.0, 0, 0, "normal", "Third promise not kept."),
    ("res_partner_bad_3", 5, 1300.0, 0, 0, "normal", ""),
    (
        "res_partner_insolvent_1",
        45,
        12000.0,
        0.25,
        0,
        "payment_plan",
        "Payment plan agreed: 25% now, balance in three instalments.",
    ),
    (
        "res_partner_insolvent_2",
        75,
        4300.0,
        0,
        0,
        "litigation",
        "Formal notice unanswered, file handed to the collection agency.",
    ),
    ("res_partner_insolvent_3", 20, 760.0, 0, 0, "normal", ""),
    (
        "res_partner_administrative_1",
        45,
        15600.0,
        0,
        0,
        "normal",
        "Invoice waiting for the purchase order number from the buyer.",
    ),
    ("res_partner_administrative_1", -20, 7300.0, 0, 0, "normal", ""),
    ("res_partner_administrative_2", 75, 22000.0, 0, 0, "normal", ""),
    ("res_partner_administrative_3", 20, 3400.0, 0, 0, "normal", ""),
    (
        "res_partner_dispute_1",
        20,
        2750.0,
        0,
        0,
        "disputed",
        "Customer claims two pallets arrived damaged.",
    ),
    ("res_partner_dispute_1", 45, 1980.0, 0, 450.0, "normal", ""),
    (
        "res_partner_dispute_2",
        75,
        5600.0,
        0,
        0,
        "disputed",
        "Price error claimed on line 3.",
    ),
    ("res_partner_dispute_3", 5, 980.0, 0, 0, "normal", ""),
    ("res_partner_automatic_1", -5, 1450.0, 0, 0, "normal", ""),
    ("res_partner_automatic_2", -15, 2100.0, 0, 0, "normal", ""),
    ("res_partner_good_1", -12, 6300.0, 0, 0, "normal", ""),
    ("res_partner_good_2", 5, 3150.0, 0.5, 0, "normal", ""),
    ("res_partner_individual_1", 20, 180.0, 0, 0, "normal", ""),
    (
        "res_partner_excluded_1",
        75,
        990.0,
        0,
        0,
        "excluded",
        "Customer in receivership: claim filed.",
    ),
]

# Credit notes not yet allocated to an invoice: they stay open on the account.
DEMO_OPEN_CREDIT_NOTES = [
    ("res_partner_bad_3", 300.0),
    ("res_partner_negligent_1", 150.0),
]

# The second demo company's, in EUR, its customers French and German.
DEMO_LEDGER_EUROPE = [
    ("res_partner_europe_negligent_1", 10, 1250.0, 0, 0, "normal", ""),
    ("res_partner_europe_negligent_1", -5, 800.0, 0, 0, "normal", ""),
    ("res_partner_europe_bad_1", 45, 4800.0, 0, 0, "normal", ""),
    ("res_partner_europe_good_1", -10, 2900.0, 0, 0, "normal", ""),
    (
        "res_partner_europe_administrative_1",
        20,
        18500.0,
        0,
        0,
        "normal",
        "Rechnung liegt zur Freigabe bei der Stadtkämmerei.",
    ),
    (
        "res_partner_europe_dispute_1",
        20,
        3300.0,
        0,
        0,
        "disputed",
        "Zwei Türen mit Lackschäden geliefert.",
    ),
    ("res_partner_europe_negligent_2", 30, 2100.0, 0, 0, "normal", ""),
]

# Each demo company's ledger and its credit notes left open, by the
# company's XML id.
LEDGERS = {
    "base.main_company": (DEMO_LEDGER, DEMO_OPEN_CREDIT_NOTES),
    "credit_collection.res_company_europe": (DEMO_LEDGER_EUROPE, []),
}
# Its chart of accounts, for a demo company that has none (the main one
# has the chart the database was created with).
DEMO_CHART = "generic_coa"

# Invoices are issued 30 days before they fall due.
PAYMENT_DELAY_DAYS = 30


class CreditCollectionDemoLedger(models.AbstractModel):
    _name = "credit.collection.demo.ledger"
    _description = "Collection demo ledger loader"

    @api.model
    def _open_books(self, company_xmlid, languages):
        """Give the demo company ``company_xmlid`` a chart of accounts, and
        make its customers' ``languages`` available (their translations load
        with the module's)."""
        company = self.env.ref(company_xmlid)
        for code in languages:
            self.env["res.lang"]._activate_lang(code)
        if not company.chart_template:
            currency = company.currency_id
            # Straight to the loader: try_loading warns when the registry is
            # still loading, which an install always is, and loads the
            # accounting demo too when asked not to warn.
            self.env["account.chart.template"]._load(
                DEMO_CHART, company, install_demo=False
            )
            # The generic chart books in its own country's currency.
            company.currency_id = currency

    @api.model
    def _load(self, company_xmlid="base.main_company"):
        """Post demo invoices of the company ``company_xmlid`` aged relative
        to today, with payments and credit notes, so that a new database
        shows a living ledger."""
        company = self.env.ref(company_xmlid)
        with self._on_demo_day(company):
            self.with_company(company)._post_ledger(*LEDGERS[company_xmlid])

    @api.model
    def _post_ledger(self, ledger, open_credit_notes):
        today = fields.Date.context_today(self)
        journal = self._sale_journal()
        if not journal:
            return  # no chart of accounts: nothing to invoice with
        product = self._demo_product()
        for (
            xmlid,
            days_late,
            amount,
            paid_share,
            refund,
            status,
            comment,
        ) in ledger:
            partner = self.env.ref(f"credit_collection.{xmlid}")
            due = today - relativedelta(days=days_late)
            invoice = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "invoice_date": due - relativedelta(days=PAYMENT_DELAY_DAYS),
                    "invoice_date_due": due,
                    "invoice_line_ids": [Command.create(self._line(product, amount))],
                }
            )
            invoice.action_post()
            if status == "promised":
                self._promise(invoice, today, comment)
            elif status == "disputed":
                self._dispute(invoice, comment)
            elif status == "payment_plan":
                # Running: the down payment paid just after, three monthly
                # instalments to come.
                self._plan(
                    invoice,
                    comment,
                    paid_share,
                    first_date=today + relativedelta(months=1),
                )
            elif status == "litigation":
                self._litigation(invoice, today, comment)
            else:
                # ``excluded`` comes from the customer's own flag.
                invoice.collection_comment = comment or False
            if paid_share:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=invoice.ids
                ).create(
                    {
                        "amount": invoice.amount_total * paid_share,
                        "payment_date": today - relativedelta(days=3),
                        "payment_difference_handling": "open",
                    }
                )._create_payments()
            if refund:
                # Issued against the invoice: posting it reconciles the two.
                self._credit_note(
                    journal, partner, product, refund, reversed_entry_id=invoice.id
                )
        for xmlid, amount in open_credit_notes:
            partner = self.env.ref(f"credit_collection.{xmlid}")
            self._credit_note(journal, partner, product, amount)

    @api.model
    def _sale_journal(self):
        return self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.env.company.id)], limit=1
        )

    @api.model
    def _demo_product(self):
        return self.env.ref("product.product_product_4", raise_if_not_found=False)

    @api.model
    def _promise(self, invoice, today, comment):
        """A promise made on the phone, due in three days."""
        items = self._receivable_lines(invoice)
        self.env["credit.collection.promise"].create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": invoice.company_id.id,
                "date": today + relativedelta(days=3),
                "amount": invoice.amount_residual,
                "move_line_ids": [Command.set(items.ids)],
                "source": "phone",
                "comment": comment,
            }
        )
        invoice.collection_comment = comment

    @api.model
    def _litigation(self, invoice, today, comment):
        """An invoice that reached the litigation stage of its scenario, its
        customer handed over to litigation."""
        scenario = invoice.commercial_partner_id._collection_scenario(
            invoice.company_id
        )
        stage = scenario.stage_ids.filtered(lambda s: s.level == "litigation")[:1]
        self.env["credit.collection.item.state"].create(
            [
                {
                    "move_line_id": line.id,
                    "stage_id": stage.id,
                    "date": today,
                }
                for line in self._receivable_lines(invoice)
            ]
        )
        invoice.write({"collection_stage_id": stage.id, "collection_comment": comment})
        invoice.commercial_partner_id.with_company(invoice.company_id).write(
            {
                "collection_litigation_date": today,
                "collection_litigation_user_id": self.env.user.id,
            }
        )

    @api.model
    def _dispute(self, invoice, comment, amount=None, **vals):
        """A quality dispute on ``amount`` (a fifth of the invoice by
        default)."""
        dispute = self.env["credit.collection.dispute"].create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": invoice.company_id.id,
                "type_id": self.env.ref("credit_collection.dispute_type_quality").id,
                "description": comment,
                "amount": amount
                or invoice.currency_id.round(invoice.amount_residual / 5),
                "move_line_ids": [Command.set(self._receivable_lines(invoice).ids)],
                **vals,
            }
        )
        invoice.collection_comment = comment
        return dispute

    @api.model
    def _plan(
        self,
        invoice,
        comment,
        down_payment_share,
        first_date,
        instalment_count=3,
        **vals,
    ):
        """A plan started today on ``invoice``: the down payment, then
        monthly instalments from ``first_date``."""
        plan = self.env["credit.collection.plan"].create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": invoice.company_id.id,
                "move_line_ids": [Command.set(self._receivable_lines(invoice).ids)],
                "down_payment_percent": down_payment_share * 100,
                "instalment_count": instalment_count,
                "frequency": "monthly",
                "first_date": first_date,
                "comment": comment,
                **vals,
            }
        )
        plan.action_generate_lines()
        plan.action_confirm()
        invoice.collection_comment = comment

    def _receivable_lines(self, invoice):
        return self.env["credit.collection.ledger"]._ledger_items(invoice.line_ids)

    @api.model
    def _run(self, company_xmlid="base.main_company"):
        """Run the collection of the demo company, inside the install
        transaction (a run commits per batch otherwise). Its automatic
        reminders are sent by the sending cron once the server runs: their
        statement PDF needs the server (wkhtmltopdf loads the report's styles
        from it), which does not run during an install."""
        no_commit = self.with_context(**{transactions.NO_COMMIT: True}).env
        company = self.env.ref(company_xmlid)
        with self._on_demo_day(company):
            no_commit["credit.collection.run"].with_company(company)._run_company(
                company, trigger="manual"
            )

    @api.model
    def _on_demo_day(self, company):
        """Freeze the time on the day the demo of ``company`` tells: today,
        or, loaded on a day off, the company's last working day, so that the
        demo shows the same on a Saturday as on the Friday (a run on a
        Saturday plans for the Monday, leaving nothing due)."""
        # Midday: the same date in every time zone of the demo's users.
        return freeze_time(datetime.combine(self._demo_day(company), time(12)))

    @api.model
    def _demo_day(self, company, today=None):
        """``today`` (by default the real one), or the company's last working
        day before it when it is a day off."""
        day = today or fields.Date.context_today(self)
        while company._credit_collection_working_day(day) != day:
            day -= relativedelta(days=1)
        return day

    @api.model
    def _credit_note(self, journal, partner, product, amount, **vals):
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "journal_id": journal.id,
                "invoice_date": fields.Date.context_today(self)
                - relativedelta(days=10),
                "invoice_line_ids": [Command.create(self._line(product, amount))],
                **vals,
            }
        )
        credit_note.action_post()
        return credit_note

    @api.model
    def _line(self, product, amount):
        # No taxes: demo amounts read the same in every localisation.
        vals = {
            "name": product.name if product else "Services",
            "quantity": 1,
            "price_unit": amount,
            "tax_ids": [Command.clear()],
        }
        if product:
            vals["product_id"] = product.id
        return vals
