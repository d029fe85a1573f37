from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """Marking a collection action's activity done (from the activity
        view, the chatter or the agenda) marks the action done."""
        actions = self.env["credit.collection.action"].browse(
            self.filtered(lambda a: a.res_model == "credit.collection.action").mapped(
                "res_id"
            )
        )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        actions.exists().filtered(lambda action: action.state == "todo")._mark_done()
        return result
