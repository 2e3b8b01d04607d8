"""Pausing Python's cyclic garbage collector around bulk work (a payout list, a package).

Tens of thousands of fresh rows trigger collections, now and then a full one that walks
every object the process holds — a cost of the process, not of the work (≈15 % of a
payout import; 0.2–0.3 s at random packages in the window's process). The rows hold no
reference cycles; reference counting still frees everything, and the collector runs
again as soon as the block ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
