"""Base class of the pages in the main window's stack."""

from __future__ import annotations

from gkdesk.ui.context import UiContext
from gkdesk.ui.qt import Qt, QtWidgets


class Page(QtWidgets.QWidget):
    """A page is built once, refreshed when shown and when relevant data changed."""

    #: change kinds that make this page refresh (empty = refresh on any change)
    watches: frozenset[str] = frozenset()

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        ctx.changed.connect(self._changed)

    def refresh(self) -> None:
        """Reload what the page shows from the core."""

    def on_changes(self, changes: set[str]) -> None:
        if not self.watches or self.watches & changes:
            self.refresh()

    def _changed(self, changes: set[str]) -> None:
        if self.isVisible():
            self.on_changes(changes)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    @staticmethod
    def heading(text: str) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(text)
        label.setObjectName("pageHeading")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
