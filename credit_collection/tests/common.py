from odoo import Command

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
