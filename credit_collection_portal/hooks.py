def post_init_hook(env):
    """Actions that existed before the install got one shared default token
    when the column was added: give each its own."""
    env.cr.execute(
        "UPDATE credit_collection_action SET access_token = gen_random_uuid()::text"
    )
