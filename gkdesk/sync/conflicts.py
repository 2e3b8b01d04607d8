"""Reviewing conflicts: a record changed at the county and at its township.

The importer keeps the county's version in place and the township's in
``sync_conflict``. The county clerk looks at both (:func:`list_conflicts` gives the
fields that differ) and keeps one (:func:`resolve_conflict`):

- ``county``: ours stays. Its revision moves above the township's, so the same
  township version arriving again (a ``--full`` resend) is "unchanged", while a
  later township edit still shows up as a new conflict (the local edit stays noted).
- ``township``: the township's version replaces ours with its own revision, and the
  local-edit note is dropped, so the township's later changes apply normally again.

The caller backs up first (``before_apply``, once the request is valid); the decision is
audited and recorded on the conflict.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from gkdesk import audit
from gkdesk.errors import InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models.base import KEEP_REVISION, Base, utcnow
from gkdesk.models.sync import SyncConflict, SyncLocalEdit
from gkdesk.result import OpResult
from gkdesk.store import Store
from gkdesk.sync.labels import table_label
from gkdesk.sync.tables import Codec

KEEP_COUNTY, KEEP_TOWNSHIP = "county", "township"
KEEP_LABELS = {KEEP_COUNTY: "保留县级版本", KEEP_TOWNSHIP: "采用乡镇版本"}
BOOKKEEPING = {"revision", "updated_at", "created_at"}


@dataclass
class ConflictView:
    id: int
    table: str
    row_id: str
    peer_code: str
    created_at: str
    local: dict[str, Any]
    incoming: dict[str, Any]
    resolution: str = ""

    @property
    def fields(self) -> list[str]:
        """Columns whose values differ (bookkeeping columns left out)."""
        return [k for k in self.local if k not in BOOKKEEPING and self.local.get(k) != self.incoming.get(k)]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "table": self.table, "row_id": self.row_id, "peer": self.peer_code,
                "created_at": self.created_at, "fields": self.fields, "local": self.local,
                "incoming": self.incoming, "resolution": self.resolution}


def _view(c: SyncConflict) -> ConflictView:
    return ConflictView(c.id, c.table_name, c.row_id, c.peer_code, c.created_at.isoformat(timespec="seconds"),
                        json.loads(c.local_json), json.loads(c.incoming_json), c.resolution)


def list_conflicts(session: Session, include_resolved: bool = False) -> list[ConflictView]:
    q = select(SyncConflict).order_by(SyncConflict.id)
    if not include_resolved:
        q = q.where(SyncConflict.resolved_at.is_(None))
    return [_view(c) for c in session.scalars(q)]


def resolve_conflict(store: Store, conflict_id: int, keep: str, operator: str, *,
                     before_apply: Callable[[], object] = lambda: None) -> OpResult:
    """Keep the county's or the township's version of one conflicting record.

    ``before_apply`` runs after the request was checked and before anything changes (the
    operation layer backs up there)."""
    if keep not in KEEP_LABELS:
        raise InputRejected(f"“{keep}”无效:应为{'或'.join(KEEP_LABELS.values())}")
    with store.session() as s:
        c = s.get(SyncConflict, conflict_id)
        if c is None:
            raise NotFound(f"没有编号为 {conflict_id} 的冲突", hint=Hint.LIST_CONFLICTS)
        if c.resolved_at is not None:
            raise InputRejected(f"冲突 #{conflict_id} 已于 {c.resolved_at:%Y-%m-%d %H:%M} 处理({KEEP_LABELS.get(c.resolution, c.resolution)})")
    before_apply()
    with store.session() as s:
        s.info[KEEP_REVISION] = True
        c = s.get(SyncConflict, conflict_id)
        assert c is not None
        table = Base.metadata.tables.get(c.table_name)
        if table is None:
            raise InputRejected(f"冲突 #{conflict_id} 所在的数据(“{table_label(c.table_name)}”)在本机不存在")
        conn = s.connection()
        have = conn.execute(select(table).where(table.c.id == c.row_id)).mappings().first()
        if have is None:
            raise NotFound(f"冲突 #{conflict_id} 的{table_label(c.table_name)}记录已不存在")
        now = utcnow()
        if keep == KEEP_COUNTY:
            rev = max(int(have["revision"]), c.incoming_revision) + 1
            conn.execute(update(table).where(table.c.id == c.row_id).values(revision=rev, updated_at=now))
            edit = s.get(SyncLocalEdit, (c.table_name, c.row_id))
            if edit is not None:
                edit.base_revision = max(edit.base_revision, c.incoming_revision)
        else:
            theirs = Codec(table).load(json.loads(c.incoming_json))
            theirs.pop("id", None)
            conn.execute(update(table).where(table.c.id == c.row_id).values(**theirs))
            s.execute(delete(SyncLocalEdit).where(SyncLocalEdit.table_name == c.table_name,
                                                  SyncLocalEdit.row_id == c.row_id))
        # Older open conflicts on the same record are settled by the same decision.
        others = list(s.scalars(select(SyncConflict).where(
            SyncConflict.table_name == c.table_name, SyncConflict.row_id == c.row_id,
            SyncConflict.resolved_at.is_(None))))
        for o in others:
            o.resolved_at, o.resolution = now, keep
        view = _view(c)
        audit.record(s, operator, "sync.resolve", f"#{conflict_id} {c.table_name} {c.row_id}", keep=keep,
                     peer=c.peer_code, fields=view.fields, settled=len(others))
    return OpResult(status="resolved", changes={"sync"}, counts={"settled": len(others)},
                    data={"conflict": view.to_dict(), "keep": keep, "label": KEEP_LABELS[keep]})
