"""The long jobs' transactions, without a database."""

import threading
from types import SimpleNamespace
from unittest.mock import Mock, patch

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
