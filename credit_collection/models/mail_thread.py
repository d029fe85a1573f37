from odoo import Command, api, models
from odoo.tools import clean_context

from ..tools.bulk_create import bulk_create
from ..tools.mail_headers import is_automatic_reply

# The context key with which the notes of a batch log (``_message_log_batch``)
# and the followers of a subscription are inserted in one statement: the
# daily run blocks thousands of customers and schedules thousands of
# activities at once.
BULK_INSERT = "credit_collection_bulk_insert"


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        """Odoo's gateway posts an out-of-office reply as the sender's answer;
        the context tells the collection records that receive it that a
        program wrote it (see ``credit_collection_action_delivery.py``)."""
        thread = self
        if is_automatic_reply(message):
            thread = self.with_context(credit_collection_automatic_reply=True)
        return super(MailThread, thread)._message_route_process(
            message, message_dict, routes
        )

    def _message_create(self, values_list):
        """Notes of a batch log (``BULK_INSERT`` in the context) in one INSERT:
        Odoo's ``_message_log_batch`` gives them every value that
        ``mail.message.create`` would add (author, message id, reply-to, no
        attachment, no tracking), and ``create`` would spend 0.5 ms on each
        filling a cache that nothing reads."""
        if not self.env.context.get(BULK_INSERT):
            return super()._message_create(values_list)
        ignored = self._get_message_create_ignore_field_names()
        messages = bulk_create(
            self.env["mail.message"].with_context(clean_context(self.env.context)),
            [
                {
                    **{
                        key: value
                        for key, value in values.items()
                        if key not in ignored
                    },
                    "partner_ids": [
                        Command.link(partner_id)
                        for partner_id in values.get("partner_ids") or []
                    ],
                }
                for values in values_list
            ],
        )
        messages._invalidate_documents()
        return messages
