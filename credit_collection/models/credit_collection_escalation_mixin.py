from odoo import api, fields, models
from odoo.tools import SQL


class CreditCollectionEscalationMixin(models.AbstractModel):
    """A commitment of the customer (a promise, a payment plan) that, once
    broken, escalates the customer at the next run: the next stage at once,
    whatever the scenario's interval, and only once."""

    _name = "credit.collection.escalation.mixin"
    _description = "Commitment that Escalates when Broken"

    escalated = fields.Boolean(
        readonly=True,
        copy=False,
        help="The daily run has escalated the customer after this broken commitment.",
    )

    @api.model
    def _partners_to_escalate(self, company, partner_ids):
        """Customers with a broken commitment not escalated yet."""
        self.flush_model(["state", "escalated", "partner_id", "company_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT partner_id FROM %s
                 WHERE company_id = %s AND state = 'broken'
                   AND escalated IS NOT TRUE AND partner_id = ANY(%s)
                """,
                SQL.identifier(self._table),
                company.id,
                list(partner_ids),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _mark_escalated(self, company, partner_ids):
        if not partner_ids:
            return
        self.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", list(partner_ids)),
                ("state", "=", "broken"),
                ("escalated", "=", False),
            ]
        ).escalated = True

    def _record_broken(self, today, values, body, summary):
        """Close the commitment as broken, say why in its thread and give its
        collector a call to make today."""
        self.ensure_one()
        self.write({"state": "broken", "closed_date": today, **values})
        self.message_post(body=body)
        self.activity_schedule(
            "mail.mail_activity_data_call",
            date_deadline=today,
            summary=summary,
            user_id=(
                self.user_id
                or self.company_id.credit_collection_user_id
                or self.env.user
            ).id,
        )
