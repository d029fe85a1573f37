"""The garbage collector during the long jobs.

Python's full collections walk every object the process tracks: in an Odoo
worker, the registry's models and fields and whatever the caches hold,
hundreds of thousands of objects that outlive the job. A cold run at
10,000 customers makes thousands of objects a batch that survive long
enough to trigger full collections, and spent 5 to 8 % of its time
walking that heap again and again (tests/benchmarks/HISTORY.md)."""

import contextlib
import gc


@contextlib.contextmanager
def long_lived_frozen():
    """Leave the objects alive now out of the collections until the end of
    the block (``gc.freeze``): what the block makes is still collected as
    usual, and what was frozen is collected again afterwards. A heap already
    frozen (by a server before it forks, or by another job of the process)
    is left as it is, and not thawed at the end."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
