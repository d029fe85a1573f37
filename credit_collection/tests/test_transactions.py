"""The long jobs' transactions, without a database."""

import threading
from types import SimpleNamespace
from unittest.mock import Mock, patch

import psycopg2

from odoo.tests import BaseCase

from ..tools import transactions


class TestTransactions(BaseCase):
    def _env(self, **context):
        return SimpleNamespace(context=context, cr=Mock())

    def _run_as(self, testing, env):
        """Call the helpers as a thread marked (or not) as running tests."""
        with patch.object(threading.current_thread(), "testing", testing, create=True):
            transactions.commit(env)
            transactions.rollback(env)
            return transactions.in_test_mode(env)

    def test_a_job_commits_and_rolls_back_its_unit_of_work(self):
        env = self._env()
        self.assertFalse(self._run_as(False, env))
        env.cr.commit.assert_called_once_with()
        env.cr.rollback.assert_called_once_with()

    def test_inside_a_test_nothing_is_committed_nor_rolled_back(self):
        env = self._env()
        self.assertTrue(self._run_as(True, env))
        env.cr.commit.assert_not_called()
        env.cr.rollback.assert_not_called()

    def test_a_caller_keeps_the_job_in_its_transaction(self):
        env = self._env(**{transactions.NO_COMMIT: True})
        self.assertTrue(self._run_as(False, env))
        env.cr.commit.assert_not_called()
        env.cr.rollback.assert_not_called()

    def _conflicting(self, conflicts):
        """A unit of work that fails to serialise ``conflicts`` times."""
        calls = []

        def work():
            calls.append(1)
            if len(calls) <= conflicts:
                raise psycopg2.errors.SerializationFailure("concurrent update")

        return work, calls

    def test_a_conflicting_unit_runs_again_in_a_new_transaction(self):
        env = self._env()
        work, calls = self._conflicting(2)
        with patch.object(threading.current_thread(), "testing", False, create=True):
            self.assertTrue(transactions.retry_on_conflict(env, work))
        self.assertEqual(len(calls), 3)
        self.assertEqual(env.cr.rollback.call_count, 2)

    def test_a_unit_conflicting_each_time_is_left_for_later(self):
        env = self._env()
        work, calls = self._conflicting(9)
        with patch.object(threading.current_thread(), "testing", False, create=True):
            self.assertFalse(transactions.retry_on_conflict(env, work, attempts=3))
        self.assertEqual(len(calls), 3)

    def test_inside_a_test_a_conflict_is_raised(self):
        work, _calls = self._conflicting(1)
        with (
            patch.object(threading.current_thread(), "testing", True, create=True),
            self.assertRaises(psycopg2.errors.SerializationFailure),
        ):
            transactions.retry_on_conflict(self._env(), work)
