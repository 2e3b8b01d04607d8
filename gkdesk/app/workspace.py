"""The Workspace: one open installation as a clerk action sees it.

It owns what every action needs and what the faces used to pass by hand — the store,
the data directory, the operator recorded in the audit log — and the two things that
make an action safe: the backup before a destructive step and the transaction around
the change. Operations in :mod:`gkdesk.app` take a Workspace and plain values; the CLI
and the window build one Workspace each and never touch backups or operators themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # keep `import gkdesk.app` light: the CLI parser is built before any action
    from sqlalchemy.orm import Session

    from gkdesk.backups import BackupInfo
    from gkdesk.store import Store


class Workspace:
    """An open data directory (or county database) and who is working in it."""

    def __init__(self, store: Store, operator: str | None = None) -> None:
        self.store = store
        self._operator = operator or None

    @classmethod
    def open(cls, data_dir: str | Path | None = None, *, database_url: str | None = None,
             operator: str | None = None, migrate: bool = True) -> Workspace:
        from gkdesk.store import open_store

        return cls(open_store(data_dir, database_url=database_url, migrate=migrate), operator)

    # -- who and where -------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        return Path(self.store.data_dir)

    @property
    def operator(self) -> str:
        """The name for the audit log: given at start, else the one saved in settings, else the OS user."""
        if self._operator:
            return self._operator
        from gkdesk import audit, settings

        with self.store.session() as s:
            name = settings.OPERATOR.get(s)
        return name or audit.default_operator()

    def set_operator(self, name: str) -> None:
        """Remember ``name`` for this run and as the default of later runs."""
        from gkdesk import settings

        self._operator = name or None
        with self.store.session() as s:
            settings.OPERATOR.set(s, name)

    # -- safety ---------------------------------------------------------------------------
    def backup(self, reason: str, *, force: bool = False) -> BackupInfo | None:
        """Back up the live database before a destructive step (None: unchanged or not SQLite).

        A PostgreSQL county's backups belong to its database administrator.
        """
        if not self.store.is_sqlite:
            return None
        from gkdesk import backups

        return backups.create_backup(self.data_dir, reason=reason, force=force)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work for reading or for a change that needs no backup."""
        with self.store.session() as s:
            yield s

    @contextmanager
    def change(self, backup: str | None = None, *, force_backup: bool = False) -> Iterator[Session]:
        """A destructive unit of work: the backup (when ``backup`` names a reason), then the
        transaction; any exception rolls the change back and leaves the backup in place."""
        if backup:
            self.backup(backup, force=force_backup)
        with self.store.session() as s:
            yield s

    def audit(self, session: Session, action: str, target: str = "", **detail: Any) -> None:
        from gkdesk import audit

        audit.record(session, self.operator, action, target, **detail)

    # -- lifecycle ------------------------------------------------------------------------
    def reopen(self) -> None:
        """Open the database again after the file was replaced (restore)."""
        from gkdesk.store import open_store

        self.store = open_store(self.data_dir)

    def close(self) -> None:
        self.store.close()
