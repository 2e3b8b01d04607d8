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


# A process that ends with os._exit (the one-shot command line, gkdesk.cli.run) need not free
# the cells and rows of a big list one by one before it commits and leaves: ≈1.5 M objects per
# 100,000 rows, ≈0.05 s of deallocation between the last check and the commit.
_OUTLIVE: list[object] | None = None


def one_shot_process() -> None:
    """Say that this process leaves with ``os._exit``: :func:`outlive` may keep objects."""
    global _OUTLIVE
    if _OUTLIVE is None:
        _OUTLIVE = []


def outlive(*objects: object) -> None:
    """Keep ``objects`` until the process ends, in a one-shot process; elsewhere (the window,
    tests) nothing is kept and they are freed as usual."""
    if _OUTLIVE is not None:
        _OUTLIVE.extend(objects)
