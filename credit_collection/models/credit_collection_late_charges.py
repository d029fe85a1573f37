from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import formatLang

# Statutory interest is simple interest on a 365-day year.
DAYS_A_YEAR = 365


class CreditCollectionLateCharges(models.AbstractModel):
    """Statutory late-payment charges claimed in formal notices.

    EU Directive 2011/7/EU lets a creditor claim from a business customer, per
    overdue invoice, interest at the central bank's reference rate plus a
    margin (8 points at least) and a fixed recovery indemnity (40 EUR). The
    charges are computed from the open receivable items the formal notice
    lists, and may be invoiced as a debit note.
    """

    _name = "credit.collection.late.charges"
    _description = "Late-Payment Charges"

    @api.model
    def _compute_charges(self, lines, date):
        """The charges on ``date`` of the overdue items among ``lines``.

        :param lines: open receivable ``account.move.line`` of one company
            (any number of invoices and customers)
        :param date: the day the charges are counted to
        :return: one dict per overdue item with a positive residual, the
            earliest due first: ``line``, ``move``, ``partner`` (commercial
            entity), ``days_late``, ``residual``, ``rate`` (% a year),
            ``interest``, ``indemnity``, ``total`` and ``currency``, amounts
            in company currency
        """
        date = fields.Date.to_date(date)
        charges = []
        indemnified = self.env["account.move"]
        # Earliest due first: an invoice paid in instalments bears one
        # indemnity, on its oldest overdue instalment. The loop only reads
        # fields of records prefetched together: no query per item.
        for line in lines.sorted(
            lambda item: (item.date_maturity or item.date, item.id)
        ):
            company = line.company_id
            if not company.credit_collection_late_charges:
                continue
            currency = line.company_currency_id
            due = line.date_maturity or line.date
            # Credit notes and overpayments (negative residuals) owe nothing.
            if due >= date or currency.compare_amounts(line.amount_residual, 0) <= 0:
                continue
            partner = line.partner_id.commercial_partner_id
            if not partner or (
                not partner.is_company
                and not company.credit_collection_charges_individuals
            ):
                continue  # the directive covers business customers only
            days_late = (date - due).days
            rate = (
                company.credit_collection_reference_rate
                + company.credit_collection_interest_margin
            )
            interest = currency.round(
                line.amount_residual * rate / 100 * days_late / DAYS_A_YEAR
            )
            indemnity = 0.0
            if line.move_id not in indemnified:
                indemnified |= line.move_id
                indemnity = company.credit_collection_recovery_indemnity
            charges.append(
                {
                    "line": line,
                    "move": line.move_id,
                    "partner": partner,
                    "days_late": days_late,
                    "residual": line.amount_residual,
                    "rate": rate,
                    "interest": interest,
                    "indemnity": indemnity,
                    "total": currency.round(interest + indemnity),
                    "currency": currency,
                }
            )
        return charges

    @api.model
    def _totals(self, charges):
        """Sums of ``interest``, ``indemnity`` and ``total`` of ``charges``
        (those of one company: one currency)."""
        totals = {"interest": 0.0, "indemnity": 0.0, "total": 0.0}
        for charge in charges:
            for key in totals:
                totals[key] += charge[key]
        if charges:
            currency = charges[0]["currency"]
            totals = {key: currency.round(amount) for key, amount in totals.items()}
        return totals

    @api.model
    def _invoice_charges(self, partner, charges, date):
        """A draft customer invoice of ``partner``'s late-payment charges.

        :param partner: the customer (its commercial entity is invoiced)
        :param charges: charges from :meth:`_compute_charges`; those of other
            customers are ignored
        :param date: the invoice date
        :return: the draft ``account.move`` (``out_invoice``): one line of
            interest, one of indemnities, untaxed (late-payment charges are
            compensation, outside the scope of VAT in the EU)
        """
        partner = partner.commercial_partner_id
        charges = [charge for charge in charges if charge["partner"] == partner]
        company = charges[0]["line"].company_id if charges else None
        account = company and company.credit_collection_charges_account_id
        if charges and not account:
            raise UserError(
                self.env._(
                    "Set the late-payment charges account of %(company)s in the "
                    "Collections settings before invoicing late-payment charges.",
                    company=company.name,
                )
            )
        invoice_lines = self._charge_lines(partner, charges, account) if charges else []
        if not invoice_lines:
            raise UserError(
                self.env._(
                    "%(customer)s owes no late-payment charges to invoice.",
                    customer=partner.display_name,
                )
            )
        return (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "currency_id": charges[0]["currency"].id,
                    "invoice_date": date,
                    "invoice_origin": ", ".join(
                        self._moves_of(charges, "total").mapped("name")
                    ),
                    "invoice_line_ids": invoice_lines,
                }
            )
        )

    @api.model
    def _charge_lines(self, partner, charges, account):
        """The invoice lines of ``charges`` (one customer's, one currency):
        the interest, the indemnities, each when not zero, labelled in the
        customer's language (they are printed on its invoice)."""
        currency = charges[0]["currency"]
        company = charges[0]["line"].company_id
        totals = self._totals(charges)
        env = self.with_context(lang=partner.lang).env
        invoice_lines = []
        if not currency.is_zero(totals["interest"]):
            moves = self._moves_of(charges, "interest")
            rate = formatLang(env, charges[0]["rate"])
            invoice_lines.append(
                self._charge_line_vals(
                    account,
                    env._(
                        "Late-payment interest on %(invoices)s (%(rate)s %% a year)",
                        invoices=", ".join(moves.mapped("name")),
                        rate=rate,
                    ),
                    totals["interest"],
                )
            )
        if not currency.is_zero(totals["indemnity"]):
            moves = self._moves_of(charges, "indemnity")
            invoice_lines.append(
                self._charge_line_vals(
                    account,
                    env._(
                        "Fixed recovery indemnity: %(count)s invoices × %(amount)s "
                        "(%(invoices)s)",
                        count=len(moves),
                        amount=formatLang(
                            env, company.credit_collection_recovery_indemnity
                        ),
                        invoices=", ".join(moves.mapped("name")),
                    ),
                    totals["indemnity"],
                )
            )
        return invoice_lines

    @api.model
    def _moves_of(self, charges, key):
        """The invoices of ``charges`` with a non-zero ``key`` amount, in order."""
        moves = self.env["account.move"]
        for charge in charges:
            if not charge["currency"].is_zero(charge[key]):
                moves |= charge["move"]
        return moves

    @api.model
    def _charge_line_vals(self, account, label, amount):
        return Command.create(
            {
                "name": label,
                "account_id": account.id,
                "quantity": 1,
                "price_unit": amount,
                # Set explicitly so that no default tax of the account applies.
                "tax_ids": [Command.clear()],
            }
        )
