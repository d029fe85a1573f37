def post_init_hook(env):
    """Actions and disputes that existed before the install got one shared
    default token when the column was added: give each its own."""
    for table in ("credit_collection_action", "credit_collection_dispute"):
        env.cr.execute(f"UPDATE {table} SET access_token = gen_random_uuid()::text")
