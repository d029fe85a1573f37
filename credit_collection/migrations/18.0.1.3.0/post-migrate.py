from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Reminders emailed before 18.0.1.3.0 get their collector as a follower,
    as every reminder sent since does: a customer's answer to one of them,
    which Odoo's mail gateway posts in its thread, then reaches the
    collector."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["credit.collection.action"].with_context(active_test=False).search(
        [
            ("channel", "=", "email"),
            ("state", "=", "done"),
            ("mail_message_id", "!=", False),
        ]
    )._collectors_follow()
