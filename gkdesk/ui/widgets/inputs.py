"""Input widgets that do not change under a scrolling mouse wheel.

A spin box or combo box inside a scrolled page takes the wheel as soon as the pointer
passes over it, so scrolling the 设置 page changed the font size. ``guard_wheel`` makes
such a widget take the wheel only once the clerk clicked or tabbed into it; otherwise
the wheel scrolls the page as expected.
"""

from __future__ import annotations

from gkdesk.ui.qt import Qt, QtCore, QtWidgets


class _WheelGuard(QtCore.QObject):
    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.Wheel and isinstance(obj, QtWidgets.QWidget) and not obj.hasFocus():
            event.ignore()  # let the scroll area behind have it
            return True
        return False


_GUARD: _WheelGuard | None = None


def guard_wheel(*widgets: QtWidgets.QWidget) -> None:
    global _GUARD
    if _GUARD is None:
        _GUARD = _WheelGuard(QtWidgets.QApplication.instance())
    for w in widgets:
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        w.installEventFilter(_GUARD)
