"""What every page needs: the :class:`Workspace` and a change broadcast.

Pages never poke each other; an operation's result names the kinds of data it changed
and ``ctx.notify(changes)`` lets each page refresh what concerns it (Anki's
``operation_did_execute`` hook). The Workspace (``gkdesk.app``) owns the store, the data
directory, the operator and the backups; pages hand it to operations and never pass an
operator or a data directory themselves.
"""

from __future__ import annotations

from gkdesk.app.workspace import Workspace
from gkdesk.store import Store
from gkdesk.ui.qt import QtCore, Signal


class UiContext(QtCore.QObject):
    changed = Signal(object)  # set[str] of change kinds

    def __init__(self, store: Store | Workspace, operator: str | None = None) -> None:
        super().__init__()
        self.ws = store if isinstance(store, Workspace) else Workspace(store, operator)

    @property
    def store(self) -> Store:
        """The open database, for the read-only views pages show."""
        return self.ws.store

    @property
    def operator(self) -> str:
        return self.ws.operator

    def set_operator(self, name: str) -> None:
        self.ws.set_operator(name)
        self.notify({"settings"})

    def notify(self, changes: set[str] | frozenset[str]) -> None:
        self.changed.emit(set(changes))
