from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditCollectionCommon(AccountTestInvoicingCommon):
    """Accounting test company whose user is a Collections manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id = [
            Command.link(
                cls.env.ref("credit_collection.group_credit_collection_manager").id
            )
        ]
        cls.Scenario = cls.env["credit.collection.scenario"]
        cls.Stage = cls.env["credit.collection.stage"]
        cls.template_level_1 = cls.env.ref("credit_collection.mail_template_level_1")

    @classmethod
    def _user(cls, login, groups, company=None):
        """An internal user of ``company`` (the test company by default) only."""
        company = company or cls.company_data["company"]
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def _collector_user(cls, login, company=None):
        """A collector of ``company``: invoicing and Collections user."""
        return cls._user(
            login,
            "account.group_account_invoice,"
            "credit_collection.group_credit_collection_user",
            company,
        )

    @classmethod
    def _euro_company(cls, name):
        """Another company, booking in EUR (the test company books in USD)."""
        euro = cls.env.ref("base.EUR")
        euro.active = True
        return cls.setup_other_company(name=name, currency_id=euro.id)["company"]

    @classmethod
    def _create_scenario(cls, stages=(), **vals):
        """A scenario with stages given as (level, days, extra values) tuples."""
        return cls.Scenario.create(
            {
                "name": vals.pop("name", "Test scenario"),
                "stage_ids": [
                    Command.create(
                        {
                            "name": f"{level} at {days}",
                            "level": level,
                            "days": days,
                            "channel": "phone",
                            **extra,
                        }
                    )
                    for level, days, extra in stages
                ],
                **vals,
            }
        )

    def _flush_tracking(self):
        """Write pending tracking values, as a commit would.

        Odoo does not track changes to records created in the same
        transaction, so tests flush once after their setup, then again after
        the change they check.
        """
        self.env.flush_all()
        self.cr.flush()

    @classmethod
    def _post_invoice(
        cls,
        partner,
        amount,
        due=None,
        invoice_date=None,
        currency=None,
        payment_term=None,
        move_type="out_invoice",
        company=None,
        journal=None,
    ):
        """Post a customer invoice (or credit note) of one untaxed line, due on
        ``due`` or on the dates of ``payment_term``, in ``company`` (the
        current one by default)."""
        # Another company's invoice is made in that company; the current
        # company's keeps the test's environment (its records, its cache).
        Move = cls.env["account.move"]
        if company:
            Move = Move.with_company(company)
        company = company or cls.env.company
        move = Move.create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": invoice_date or due,
                "currency_id": (currency or company.currency_id).id,
                "invoice_payment_term_id": payment_term.id if payment_term else False,
                **({"journal_id": journal.id} if journal else {}),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if due and not payment_term:
            move.invoice_date_due = due
        move.action_post()
        return move

    @staticmethod
    def _receivable_items(moves):
        return moves.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def _dispute_invoice(self, invoice, amount, kind="quality", description="Damaged"):
        """An open dispute of ``amount`` on the invoice's receivable items."""
        return self.env["credit.collection.dispute"].create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "type_id": self.env.ref(f"credit_collection.dispute_type_{kind}").id,
                "description": description,
                "amount": amount,
                "move_line_ids": [Command.set(self._receivable_items(invoice).ids)],
            }
        )

    def _half_now_half_in_30_days(self):
        """A payment term of two instalments."""
        return self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 30}
                    ),
                ],
            }
        )
