"""Base class of the pages in the main window's stack."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from gkdesk.app import Outcome, Workspace
from gkdesk.errors import GkError
from gkdesk.ui.context import UiContext
from gkdesk.ui.hints import with_hint
from gkdesk.ui.qt import Qt, QtWidgets

T = TypeVar("T")


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

    def run_action(self, op: Callable[[Workspace], T], *, title: str = "未保存", ok: str = "",
                   changes: set[str] | frozenset[str] | None = None) -> T | None:
        """Run one clerk action of the operation layer (Anki's CollectionOp, synchronous).

        A clerk-facing error is shown with what the clerk can do about it and nothing is
        changed; on success the changes the result names (or ``changes``) are broadcast so
        every page refreshes what concerns it, and ``ok`` (or the result's summary) is shown
        in the status bar. Returns the result, or None after an error.
        """
        try:
            result = op(self.ctx.ws)
        except GkError as exc:
            QtWidgets.QMessageBox.warning(self, title, with_hint(exc.message, exc.hint, exc.hint_args))
            return None
        done = set(changes or ()) | set(getattr(result, "changes", ()) or ())
        if done:
            self.ctx.notify(done)
        text = ok or (result.summary() if isinstance(result, Outcome) else "")
        win = self.window()
        if text and isinstance(win, QtWidgets.QMainWindow):
            win.statusBar().showMessage(text, 8000)
            win.statusBar().setToolTip(text)  # a long summary cut at the edge stays readable
        return result if result is not None else cast(T, True)

    @staticmethod
    def heading(text: str) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(text)
        label.setObjectName("pageHeading")
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label
