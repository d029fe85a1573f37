"""Transactions of the long scheduled jobs (the run, the sending, the payer
profile advisor): one commit per unit of work, as a long cron must (a crash
loses at most the unit in progress, and locks are held briefly), and none
inside tests, whose work is rolled back at their end."""

import threading

# The context key a caller sets to keep a job inside its own transaction
# (the demo ledger builds its history with the run).
NO_COMMIT = "credit_collection_no_commit"


def in_test_mode(env):
    """Whether a commit would break the caller's transaction: inside a test,
    or when the context asks for none."""
    return bool(
        getattr(threading.current_thread(), "testing", False)
        or env.context.get(NO_COMMIT)
    )


def commit(env):
    """Commit the work done so far, except in test mode."""
    if not in_test_mode(env):
        env.cr.commit()  # pylint: disable=invalid-commit


def rollback(env):
    """Roll back the unit of work in progress, except in test mode."""
    if not in_test_mode(env):
        env.cr.rollback()  # pylint: disable=invalid-commit
