"""The one place Qt is imported from, so binding quirks live in one file (calibre's ``qt.core``)."""

import sys

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

__all__ = ["Qt", "QtCore", "QtGui", "QtWidgets", "Signal", "Slot"]


def _guard_none_refcount() -> None:
    """PySide6 6.12 wheels return ``None`` from void methods without taking a reference (harmless
    where ``None`` is immortal, Python 3.12+). On CPython 3.11 every such call — ``show()``,
    ``setText()``, ``processEvents()`` … — drops one from ``None``'s count, and a long session
    ends in "Fatal Python error: none_dealloc". ``None`` is never freed anyway; give it a count
    no session can use up, as 3.12 does."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    import ctypes

    count = ctypes.c_ssize_t.from_address(id(None))
    if count.value < 1 << 40:
        count.value += 1 << 40


_guard_none_refcount()
