"""Base class of the pages in the main window's stack."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from gkdesk.errors import GkError
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

    def run_op(self, fn: Callable[[Session], object], changes: set[str], ok: str = "",
               title: str = "未保存") -> bool:
        """Run one core operation in its own transaction (Anki's CollectionOp, synchronous).

        A clerk-facing error is shown and rolls the transaction back; on success the
        change is broadcast so every page refreshes what concerns it.
        """
        try:
            with self.ctx.store.session() as s:
                fn(s)
        except GkError as exc:
            QtWidgets.QMessageBox.warning(self, title, exc.message)
            return False
        self.ctx.notify(changes)
        win = self.window()
        if ok and isinstance(win, QtWidgets.QMainWindow):
            win.statusBar().showMessage(ok, 5000)
        return True

    @staticmethod
    def heading(text: str) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(text)
        label.setObjectName("pageHeading")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
