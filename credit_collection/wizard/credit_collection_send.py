from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.credit_collection_action_email import TEMPLATE_FIELDS

# Used for actions whose stage has no email template (a call, a letter
# sent by email instead).
FALLBACK_TEMPLATE = "credit_collection.mail_template_statement"


class CreditCollectionSend(models.TransientModel):
    """Send the reminders of one or many collection actions by email: each
    customer's message is rendered from its stage's template in its
    language, and can be read, edited and readdressed before it goes. The
    mails go through the mail queue."""

    _name = "credit.collection.send"
    _description = "Send Collection Reminders"

    line_ids = fields.One2many(
        "credit.collection.send.line", "wizard_id", string="Reminders"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") != "credit.collection.action":
            return values
        actions = self.env["credit.collection.action"].browse(
            self.env.context.get("active_ids") or []
        )
        actions = actions.filtered(lambda a: a.state in ("todo", "failed"))
        if not actions:
            raise UserError(
                self.env._("Select collection actions to do, or that failed.")
            )
        lines = []
        for template, group in actions.grouped(self._template_of).items():
            rendered = template._generate_template(group.ids, ("subject", "body_html"))
            lines += [
                Command.create(
                    {
                        "action_id": action.id,
                        "template_id": template.id,
                        "recipient_ids": [Command.set(action.recipient_ids.ids)],
                        "recipient_cc_ids": [Command.set(action.recipient_cc_ids.ids)],
                        "subject": rendered[action.id].get("subject"),
                        "body": rendered[action.id].get("body_html"),
                        "attach_invoices": action.stage_id.attach_invoices,
                    }
                )
                for action in group
            ]
        values["line_ids"] = lines
        return values

    @api.model
    def _template_of(self, action):
        return action.stage_id.mail_template_id or self.env.ref(FALLBACK_TEMPLATE)

    def action_send(self):
        """Queue every reminder as edited; each action is done and keeps
        its message."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("There is no reminder to send."))
        for line in self.line_ids:
            if not line.recipient_ids.filtered("email"):
                raise UserError(
                    self.env._(
                        "The reminder to %(customer)s has no recipient with an "
                        "email address.",
                        customer=line.partner_id.display_name,
                    )
                )
        contents = {}
        for template, lines in self.line_ids.grouped("template_id").items():
            rendered = template._generate_template(lines.action_id.ids, TEMPLATE_FIELDS)
            for line in lines:
                action = line.action_id
                contents[action.id] = {
                    "subject": line.subject,
                    "body": line.body,
                    "email_from": rendered[action.id].get("email_from"),
                    "reply_to": rendered[action.id].get("reply_to"),
                    "to": line.recipient_ids,
                    "cc": line.recipient_cc_ids,
                    "attachments": action._reminder_attachments(
                        rendered[action.id], attach_invoices=line.attach_invoices
                    ),
                    "template": template,
                }
        actions = self.line_ids.action_id
        actions.filtered(lambda a: a.channel != "email").write({"channel": "email"})
        actions._queue_reminders(contents)
        return {"type": "ir.actions.act_window_close"}
