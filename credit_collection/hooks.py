def post_init_hook(env):
    """Give every company that existed before the install its own copy of the
    default scenarios (the XML data only creates them for the main company)."""
    env["res.company"].search([])._credit_collection_ensure_default_scenarios()


def pre_init_hook(env):
    """Every existing invoice starts with the status ``normal``: nothing holds
    its dunning back yet. Creating the column here spares the install a
    computation over the whole journal (millions of entries in a real ledger).
    """
    env.cr.execute(
        "ALTER TABLE account_move "
        "ADD COLUMN IF NOT EXISTS collection_status VARCHAR DEFAULT 'normal'"
    )
    env.cr.execute(
        "ALTER TABLE account_move ALTER COLUMN collection_status DROP DEFAULT"
    )
