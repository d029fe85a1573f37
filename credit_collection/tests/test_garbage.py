"""The garbage collector during the long jobs, without a database."""

import gc
import weakref
from unittest.mock import patch

from odoo.tests import BaseCase

from ..tools.garbage import long_lived_frozen


class Node:
    """A cycle-able object: only the collector frees a cycle of them."""

    def __init__(self):
        self.other = self


class TestGarbage(BaseCase):
    def setUp(self):
        super().setUp()
        # The test runner's heap is not frozen: each case starts from that.
        self.assertEqual(gc.get_freeze_count(), 0)
        self.addCleanup(gc.unfreeze)

    def test_objects_alive_before_are_frozen_and_thawed_after(self):
        before = Node()
        with long_lived_frozen():
            self.assertGreater(gc.get_freeze_count(), 0)
            # Frozen: a full collection leaves it even once unreachable.
            ref = weakref.ref(before)
            del before
            gc.collect()
            self.assertIsNotNone(ref())
        self.assertEqual(gc.get_freeze_count(), 0)
        gc.collect()
        self.assertIsNone(ref())

    def test_what_the_block_makes_is_collected_as_usual(self):
        with long_lived_frozen():
            ref = weakref.ref(Node())
            gc.collect()
            self.assertIsNone(ref())

    def test_a_heap_already_frozen_is_left_frozen(self):
        gc.freeze()
        # (The count itself moves: a frozen object freed leaves it.)
        with (
            patch.object(gc, "freeze", wraps=gc.freeze) as freeze,
            patch.object(gc, "unfreeze", wraps=gc.unfreeze) as unfreeze,
        ):
            with long_lived_frozen():
                self.assertGreater(gc.get_freeze_count(), 0)
            freeze.assert_not_called()
            unfreeze.assert_not_called()
        self.assertGreater(gc.get_freeze_count(), 0)

    def test_thawed_when_the_block_fails(self):
        with self.assertRaises(ZeroDivisionError), long_lived_frozen():
            _ = 1 / 0
        self.assertEqual(gc.get_freeze_count(), 0)
