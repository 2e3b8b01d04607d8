"""What every page needs: the open store, the operator, and a change broadcast.

Pages never poke each other; an operation calls ``ctx.notify({"villages"})`` and
each page refreshes what concerns it (Anki's ``operation_did_execute`` hook).
"""

from __future__ import annotations

from gkdesk import audit, settings
from gkdesk.store import Store
from gkdesk.ui.qt import QtCore, Signal


class UiContext(QtCore.QObject):
    changed = Signal(object)  # set[str] of change kinds

    def __init__(self, store: Store, operator: str | None = None) -> None:
        super().__init__()
        self.store = store
        self._operator = operator

    @property
    def operator(self) -> str:
        if self._operator:
            return self._operator
        with self.store.session() as s:
            name = settings.OPERATOR.get(s)
        return name or audit.default_operator()

    def set_operator(self, name: str) -> None:
        self._operator = name or None
        with self.store.session() as s:
            settings.OPERATOR.set(s, name)
        self.notify({"settings"})

    def notify(self, changes: set[str]) -> None:
        self.changed.emit(set(changes))

    def restore(self, backup) -> object:
        """Close the database, restore ``backup`` over it, reopen; returns the safety backup."""
        from gkdesk import backups
        from gkdesk.store import open_store

        data_dir = self.store.data_dir
        self.store.close()
        try:
            safety = backups.restore_backup(data_dir, backup)
        finally:
            self.store = open_store(data_dir)
        self.notify({"all"})
        return safety
