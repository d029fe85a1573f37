from markupsafe import escape

from odoo import Command, api, models


class CreditCollectionCustomerMixin(models.AbstractModel):
    """What a customer asks on the portal (a promise, a dispute, a payment
    plan) is recorded here, whoever the visitor is: the controller checked
    the link and read the form; the model decides and writes."""

    _inherit = "credit.collection.customer.mixin"

    @api.model
    def _portal_create(self, customer, company, action, items, values, documents=()):
        """Record what ``customer`` asks about its ``items`` in ``company``
        (``action``: the reminder whose link it followed, if any), with the
        uploaded ``documents`` (``[(name, content)]``), for the collector in
        charge, who hears of it. Sudoed: the visitor of a signed link has no
        rights; the record's own constraints check the items again."""
        record = self.sudo().create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "action_id": action.id,
                "user_id": customer._collection_portal_collector(company, action).id,
                "move_line_ids": [Command.set(items.ids)],
                **values,
            }
        )
        if documents:
            self.env["ir.attachment"].sudo().create(
                [
                    {
                        "name": name,
                        "raw": content,
                        "res_model": record._name,
                        "res_id": record.id,
                    }
                    for name, content in documents
                ]
            )
        record._portal_received()
        # What the collector is told is written in their language.
        collector_lang = record.with_context(lang=record.user_id.lang or None)
        record._tell_collector(collector_lang._portal_summary())
        return record

    def _portal_received(self):
        """What follows a request received on the portal (a plan lays out
        its instalments)."""

    def _portal_summary(self):
        """One sentence for the collector: what the customer asked."""
        raise NotImplementedError

    def _tell_collector(self, summary):
        """The collector hears of it: an activity (and its email), and a
        note in the record's thread."""
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=self.user_id.id,
            summary=summary[:250],
            # What the customer typed is text, never markup.
            note=escape(summary),
        )
        self.message_post(body=summary, subtype_xmlid="mail.mt_note")
