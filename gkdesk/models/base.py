"""Declarative base and the mixin every travelling record carries.

A record that goes to the county has a stable UUID primary key (hex, 32 chars),
``created_at``/``updated_at`` (UTC), a ``revision`` bumped on every update and a
``deleted_at`` tombstone instead of a hard delete. That is all sync needs to be
idempotent: apply by UUID, keep the higher revision, never resurrect a tombstone.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer, MetaData, String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC timestamp (SQLite keeps no zone; we always store UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_uuid() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncMixin:
    """Columns of a record that travels in sync packages."""

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    revision: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None, nullable=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def soft_delete(self) -> None:
        """Leave a tombstone; the row stays so the deletion can travel."""
        self.deleted_at = utcnow()


# Sync applies incoming rows with their own revision/updated_at; it sets this
# session flag so the automatic bump below leaves them alone.
KEEP_REVISION = "gkdesk_keep_revision"


@event.listens_for(Session, "before_flush")
def _bump_revisions(session: Session, flush_context, instances) -> None:  # type: ignore[no-untyped-def]
    if session.info.get(KEEP_REVISION):
        return
    now = utcnow()
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            obj.revision = (obj.revision or 0) + 1
            obj.updated_at = now


FTS_SUFFIXES = ("_fts", "_fts_data", "_fts_idx", "_fts_docsize", "_fts_config", "_fts_content")


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Alembic filter: leave SQLite-only helper tables (FTS5 indexes and their shadow tables) alone."""
    return not (type_ == "table" and name and name.endswith(FTS_SUFFIXES))
