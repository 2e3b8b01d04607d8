"""Sync bookkeeping: this installation's keys, trusted peers, package history, conflicts.

None of these tables travel. They live in the database so the keys are backed up
with it (a restored backup can still sign and decrypt) and so the history of
packages survives a reinstall.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column

from gkdesk.models.base import KEEP_REVISION, Base, SyncMixin, utcnow


class SyncIdentity(Base):
    """This installation's private keys (Ed25519 signing seed, Curve25519 box secret)."""

    __tablename__ = "sync_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    signing_seed: Mapped[str] = mapped_column(String(64), nullable=False)
    box_secret: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class SyncPeer(Base):
    """Another installation we trust: the township's county, or a township the county registered."""

    __tablename__ = "sync_peer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    township_id: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    verify_key: Mapped[str] = mapped_column(String(64), nullable=False)
    box_key: Mapped[str] = mapped_column(String(64), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(32), nullable=False)
    trusted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    last_seq_in: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # highest applied from peer
    last_seq_out: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # highest we sent to peer
    acked_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # highest of ours peer holds
    last_package_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    held_counts: Mapped[str] = mapped_column(Text, nullable=False, default="")  # JSON from last receipt


class SyncPackage(Base):
    """History: every package written or applied (refusals go to a log file, not here)."""

    __tablename__ = "sync_package"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    package_id: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    direction: Mapped[str] = mapped_column(String(8), nullable=False)  # out / in
    kind: Mapped[str] = mapped_column(String(16), nullable=False)  # data / receipt / update
    peer_code: Mapped[str] = mapped_column(String(12), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    based_on: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    processed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    watermark: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    report: Mapped[str] = mapped_column(Text, nullable=False, default="")


class SyncLocalEdit(Base):
    """A travelling row edited here since it was last received: a later incoming change
    to it is a conflict, never a silent overwrite."""

    __tablename__ = "sync_local_edit"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    base_revision: Mapped[int] = mapped_column(Integer, nullable=False)
    edited_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class SyncConflict(Base):
    """Both versions of a record changed on both sides, kept for the clerk to review."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    row_id: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    peer_code: Mapped[str] = mapped_column(String(12), nullable=False)
    package_id: Mapped[str] = mapped_column(String(32), nullable=False)
    local_json: Mapped[str] = mapped_column(Text, nullable=False)
    incoming_json: Mapped[str] = mapped_column(Text, nullable=False)
    incoming_revision: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    resolution: Mapped[str] = mapped_column(String(16), nullable=False, default="")


@event.listens_for(Session, "before_flush")
def _track_local_edits(session: Session, flush_context, instances) -> None:  # type: ignore[no-untyped-def]
    """Remember the revision a travelling row had before its first local edit."""
    if session.info.get(KEEP_REVISION):
        return
    edited = [o for o in session.dirty
              if isinstance(o, SyncMixin) and session.is_modified(o, include_collections=False)]
    if not edited:
        return
    with session.no_autoflush:
        for obj in edited:
            key = (obj.__tablename__, obj.id)  # type: ignore[attr-defined]
            if session.get(SyncLocalEdit, key) is not None:
                continue
            hist = inspect(obj).attrs.revision.history
            base = hist.deleted[0] if hist.deleted else obj.revision
            session.add(SyncLocalEdit(table_name=key[0], row_id=key[1], base_revision=int(base or 0)))
