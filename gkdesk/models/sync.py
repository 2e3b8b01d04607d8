"""Sync bookkeeping: this installation's keys, trusted peers, package history, conflicts.

None of these tables travel. They live in the database so the keys are backed up
with it (a restored backup can still sign and decrypt) and so the history of
packages survives a reinstall.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from gkdesk.models.base import KEEP_REVISION, Base, SyncMixin, utcnow


class SyncIdentity(Base):
    """This installation's private keys (Ed25519 signing seed, Curve25519 box secret).

    Since 0011 both are stored encrypted (``enc:`` + hex of a SecretBox under the
    installation's key-encryption key, which is kept outside the database — see
    :mod:`gkdesk.sync.keystore`), so a copied backup holds no usable private key."""

    __tablename__ = "sync_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    signing_seed: Mapped[str] = mapped_column(String(255), nullable=False)
    box_secret: Mapped[str] = mapped_column(String(255), nullable=False)
    installation_id: Mapped[str] = mapped_column(String(32), nullable=False, default="")
    endorsement: Mapped[str] = mapped_column(Text, nullable=False, default="")  # new keys signed by the old
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
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    trusted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    last_seq_in: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # highest applied from peer
    last_seq_out: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # highest we sent to peer
    acked_seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # highest of ours peer holds
    last_package_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    held_counts: Mapped[str] = mapped_column(Text, nullable=False, default="")  # JSON from last receipt
    verified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # clerk typed the digits back
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)  # county revoked this township
    enrolment: Mapped[str] = mapped_column(Text, nullable=False, default="")  # the signed enrolment (JSON)


class SyncPackage(Base):
    """History: every package written or applied (refusals go to a log file, not here)."""

    __tablename__ = "sync_package"
    # One row per package and direction: two processes importing the same package at the
    # same moment cannot both apply it (the second commit fails and reports a duplicate).
    __table_args__ = (UniqueConstraint("direction", "package_id", name="uq_sync_package_direction"),)

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
    watermark_n: Mapped[int | None] = mapped_column(Integer, nullable=True)  # sync_change number covered
    file_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    report: Mapped[str] = mapped_column(Text, nullable=False, default="")
    payload_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    acks_package: Mapped[str] = mapped_column(String(32), nullable=False, default="")  # receipt: the package it acks
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # receipt bytes, kept to rewrite the file


class SyncChange(Base):
    """The change journal (:mod:`gkdesk.sync.journal`): filled by SQLite triggers on every
    travelling table, numbered by the database so no clock decides what a package carries."""

    __tablename__ = "sync_change"
    __table_args__ = (Index("ix_sync_change_table_n", "table_name", "n"), {"sqlite_autoincrement": True})

    n: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64), nullable=False)
    row_id: Mapped[str] = mapped_column(String(32), nullable=False)


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
