"""The one place Qt is imported from, so binding quirks live in one file (calibre's ``qt.core``)."""

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import Qt, Signal, Slot

__all__ = ["Qt", "QtCore", "QtGui", "QtWidgets", "Signal", "Slot"]
