from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Accounts ticked as blocked before blocks had causes stay blocked, as
    blocks by hand (the automatic refresh would otherwise lift them)."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["res.partner"]._collection_adopt_legacy_blocks()
