from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """What the customer's portal page shows and what its forms may touch,
    decided for a commercial partner (the customer)."""

    _inherit = "res.partner"

    def _collection_portal_items(self, companies, item_ids):
        """The customer's open items in ``companies`` the form chose
        (``item_ids``), all of one company; UserError otherwise."""
        self.ensure_one()
        if not item_ids:
            raise UserError(self.env._("Choose the invoices concerned."))
        items = (
            self.sudo()
            ._collection_open_items(companies)
            .filtered(lambda line: line.id in item_ids)
        )
        if len(items) != len(item_ids):
            raise UserError(
                self.env._(
                    "Some of the chosen invoices are not open invoices of yours."
                )
            )
        if len(items.company_id) > 1:
            raise UserError(
                self.env._("Choose invoices of one of our companies at a time.")
            )
        return items

    def _collection_in_progress(self, companies):
        """What the customer's page lists as under way in ``companies``:
        open promises, disputes being examined, plans from the request on."""
        self.ensure_one()
        in_progress = {
            "promises": ("credit.collection.promise", [("state", "=", "open")]),
            "disputes": (
                "credit.collection.dispute",
                [("state", "in", ("open", "in_progress"))],
            ),
            "plans": (
                "credit.collection.plan",
                [("state", "in", ("draft", "to_approve", "active"))],
            ),
        }
        return {
            key: self.env[model]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.id),
                    ("company_id", "in", companies.ids),
                    *domain,
                ]
            )
            for key, (model, domain) in in_progress.items()
        }

    def _collection_portal_collector(self, company, action):
        """Who hears of what the customer does on the page: the collector of
        the reminder, else the customer's, else the administrator."""
        self.ensure_one()
        return (
            action.sudo().user_id
            or self.sudo()._collection_collector(company)
            # Sudoed: a visitor of a signed link cannot read users.
            or self.env.ref("base.user_admin").sudo()
        )

    def _collection_portal_message(self, company, action, body, author):
        """The customer's message to its collector, in the thread of the
        reminder it answers (else in its own), written by ``author``."""
        self.ensure_one()
        if not body:
            raise UserError(self.env._("Write your message first."))
        return (
            (action or self)
            .sudo()
            .message_post(
                body=body,
                author_id=author.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self._collection_portal_collector(
                    company, action
                ).partner_id.ids,
            )
        )
