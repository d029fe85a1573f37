import uuid
from datetime import timedelta

from odoo import fields, models

from ..tools.signed_link import signed_link, token_opens


class CreditCollectionAction(models.Model):
    """Each collection action signs a link to the customer's portal page,
    sent in its reminder: valid for that customer and company only, until
    it expires or is revoked."""

    _name = "credit.collection.action"
    _inherit = ["credit.collection.action", "portal.mixin"]

    # Given at creation (the run creates thousands of actions at once: no
    # token written afterwards).
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))
    portal_link_expiry = fields.Date(
        string="Link valid until",
        compute="_compute_portal_link_expiry",
        help="The signed link of the reminder opens the customer's page until "
        "this date (see Settings).",
    )

    def _compute_portal_link_expiry(self):
        for action in self:
            days = action.company_id.credit_collection_portal_link_days
            action.portal_link_expiry = action.date and action.date + timedelta(
                days=days
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for action in self:
            action.access_url = f"/my/collection/{action.id}"
        return result

    def _annotation_fields(self):
        # Revoking the link of a done action does not change its evidence.
        return super()._annotation_fields() | {"access_token"}

    def _portal_link_valid(self, token, today):
        """Whether ``token`` opens this action's customer page on ``today``."""
        self.ensure_one()
        return self.state != "cancelled" and token_opens(
            self.access_token, token, self.portal_link_expiry, today
        )

    def _reminder_links(self):
        links = super()._reminder_links()
        if self.access_token:
            links.append(
                (
                    self.env._("See your account and answer online"),
                    signed_link(self, self.partner_id.lang),
                )
            )
        return links

    def action_revoke_portal_link(self):
        """The link sent with the reminder opens nothing any more."""
        self.write({"access_token": False})
        for action in self:
            action.message_post(
                body=self.env._("The link sent to the customer was revoked."),
                subtype_xmlid="mail.mt_note",
            )

    def action_preview_portal(self):
        """The customer's page as the reminder's link opens it."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": self._get_share_url(),
            "target": "new",
        }
