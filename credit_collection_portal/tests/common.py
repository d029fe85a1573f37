from odoo.tests import new_test_user


def portal_user(env, login, customer, company):
    """A portal user (password = login) who is a contact of ``customer``."""
    user = new_test_user(
        env,
        login=login,
        groups="base.group_portal",
        company_id=company.id,
        company_ids=[(6, 0, company.ids)],
    )
    user.partner_id.parent_id = customer
    return user
