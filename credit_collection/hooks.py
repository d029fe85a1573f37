def post_init_hook(env):
    """Give every company that existed before the install its own copy of the
    default scenarios (the XML data only creates them for the main company)."""
    env["res.company"].search([])._credit_collection_ensure_default_scenarios()
