"""Transactions of the long scheduled jobs (the run, the sending, the payer
profile advisor): one commit per unit of work, as a long cron must (a crash
loses at most the unit in progress, and locks are held briefly), and none
inside tests, whose work is rolled back at their end."""

import threading

import psycopg2

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


def claim(env, query, attempts=10):
    """Run ``query``, a ``SELECT … FOR UPDATE SKIP LOCKED`` by which one of
    several workers claims its next share of work (the rows stay locked
    until its transaction ends); returns the rows. Another worker may have
    committed a change to a row since this transaction's snapshot: the
    statement then fails to serialise, and is run again in a new
    transaction that sees the change (never inside a test)."""
    for attempt in range(attempts):
        try:
            env.cr.execute(query, log_exceptions=False)
            return env.cr.fetchall()
        except psycopg2.errors.SerializationFailure:
            if in_test_mode(env) or attempt == attempts - 1:
                raise
            rollback(env)
    return []


def retry_on_conflict(env, work, attempts=5):
    """Run ``work()``, a unit of work of a job that its caller commits. When
    another transaction changed the same rows since this one's snapshot (a
    reminder sent, a payment matched meanwhile), the unit fails to
    serialise: it is rolled back and run again in a new transaction that
    sees the change (never inside a test). Returns whether it went through
    (False: it met a conflict each time, and is left for later)."""
    for _attempt in range(attempts):
        try:
            work()
            return True
        except psycopg2.extensions.TransactionRollbackError:
            if in_test_mode(env):
                raise
            rollback(env)
    return False
