"""Applying incoming rows by UUID and revision: new / updated / unchanged / conflicting.

Runs inside the caller's transaction (one per package) with Core statements in
chunks, so a county can take a township's 100,000 rows quickly and a killed
process leaves nothing half-applied. Rules per incoming row:

- unknown id → insert (new);
- identical to what we hold → unchanged (re-import is a no-op);
- edited here since it was last received (``sync_local_edit``) and changed there
  too → conflict: ours stays, theirs is kept in ``sync_conflict`` for review;
- higher revision → update; same revision but different content → conflict;
  lower revision → unchanged (we already hold newer).

Every row must belong to the sending township (checked before and after, through
the FK scope), or the whole package is refused.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    String,
    any_,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from gkdesk.errors import Cancelled
from gkdesk.gcpause import collector_paused
from gkdesk.models.base import Base
from gkdesk.models.sync import SyncConflict, SyncLocalEdit
from gkdesk.result import IsCancelled, never_cancelled
from gkdesk.sync.container import PackageRefused
from gkdesk.sync.labels import field_label, table_label
from gkdesk.sync.tables import TOWNSHIP_TABLE, Codec, ScopePath

CHUNK = 2000  # ids per IN (…) query; well under SQLite's and PostgreSQL's parameter limits
STATES = ("new", "updated", "unchanged", "conflicting")


@dataclass
class TableCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicting: int = 0
    conflicts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in STATES}


gc_paused = collector_paused  # the package's rows: see gkdesk.gcpause


@functools.cache
def _sqlite_has_json() -> bool:
    """JSON functions are built into SQLite since 3.38 and into most older builds; probed
    once on the library this Python links, never assumed."""
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as db:
            return db.execute("SELECT count(*) FROM json_each('[1, 2]')").fetchone()[0] == 2
    except sqlite3.Error:
        return False


def _one_of(conn: Connection, col: Any, ids: list[str]) -> ColumnElement[bool]:
    """``col IN (ids)`` as ONE parameter: ``= ANY(array)`` on PostgreSQL, ``json_each`` on
    SQLite. A 2,000-item IN list costs a bind name, an adaptation and (on PostgreSQL) planning
    per item on every chunk; the single parameter does not, and uses the same index."""
    if conn.dialect.name == "postgresql":
        return col == any_(bindparam(None, list(ids), type_=ARRAY(String)))
    if conn.dialect.name == "sqlite" and _sqlite_has_json():
        each = func.json_each(bindparam(None, json.dumps(list(ids)), type_=String)).table_valued("value")
        return col.in_(select(each.c.value))
    return col.in_(list(ids))  # type: ignore[no-any-return]


def _chunks(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


# The C scanner json.loads uses, without its per-call wrapper (same parser, same refusals).
_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
_WS = " \t\r"
_BAD_VALUE = (ValueError, TypeError, ArithmeticError, binascii.Error)


def _bad_field(codec: Codec, what: str, no: int, line: str) -> PackageRefused:
    """Name the field that failed to load (the value is never quoted)."""
    for col, value in json.loads(line).items():
        try:
            codec.load({col: value})
        except _BAD_VALUE:
            return PackageRefused(f"包中“{what}”第 {no} 行的“{field_label(col)}”格式不对,已拒绝整个包")
    return PackageRefused(f"包中“{what}”第 {no} 行格式不对,已拒绝整个包")


def parse_lines(codec: Codec, data: bytes, member: str) -> list[dict[str, Any]]:
    """One JSON object per line, every value checked and converted; any bad line refuses the
    whole package, naming the table, the line and the field (never quoting the value).

    The county's hot path (tens of thousands of rows per package): one C scan per line (the
    parser ``json.loads`` uses, without its per-call wrapper) and one in-place conversion of
    only the columns that need it."""
    what = table_label(member[7:-6]) if member.startswith("tables/") and member.endswith(".jsonl") else "数据"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PackageRefused(f"包中“{what}”不是 UTF-8 文本,已拒绝整个包") from exc
    with gc_paused():
        return _parse(codec, text, what)


def _parse(codec: Codec, text: str, what: str) -> list[dict[str, Any]]:
    rows = []
    known = codec.kinds.keys()
    convert = codec.convert
    scan = _SCAN
    for no, line in enumerate(text.split("\n"), 1):
        if not line or line.isspace():
            continue
        try:
            if line[0] in _WS or line[-1] in _WS:
                obj = json.loads(line)
            else:
                obj, end = scan(line, 0)
                if end != len(line):
                    raise ValueError("extra data")
        except (ValueError, RecursionError, StopIteration) as exc:
            raise PackageRefused(f"包中“{what}”第 {no} 行不是有效的 JSON,已拒绝整个包") from exc
        if type(obj) is not dict:
            raise PackageRefused(f"包中“{what}”第 {no} 行格式不对,已拒绝整个包")
        if not obj.keys() <= known:
            raise PackageRefused(f"包中“{what}”第 {no} 行有本机不认识的字段,已拒绝整个包(请先升级本机 gkdesk)")
        try:
            convert(obj)
        except _BAD_VALUE:
            raise _bad_field(codec, what, no, line) from None
        rid, rev = obj.get("id"), obj.get("revision")
        if type(rid) is not str or not 1 <= len(rid) <= 32 or type(rev) is not int:
            raise PackageRefused(f"包中“{what}”第 {no} 行缺少编号或版本号,已拒绝整个包")
        rows.append(obj)
    return rows


def _parents_first(table: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows that point at other rows of the same table (a correction's ``replaces_id``)
    after the rows they point at: the export sends rows in id order, and the database
    checks each foreign key as the row goes in."""
    self_cols = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not self_cols:
        return rows
    by_id = {r["id"]: r for r in rows}
    out: list[dict[str, Any]] = []
    placed: set[str] = set()
    for start in rows:
        stack = [start]
        while stack:  # iterative depth-first walk up the chain of parents
            r = stack[-1]
            if r["id"] in placed:
                stack.pop()
                continue
            parent = next((by_id[v] for c in self_cols if (v := r.get(c)) in by_id and v not in placed
                           and by_id[v] not in stack), None)
            if parent is None:
                placed.add(r["id"])
                out.append(r)
                stack.pop()
            else:
                stack.append(parent)
    return out


def _defaults(path: ScopePath) -> dict[str, Any]:
    out = {}
    for c in path.table.columns:
        d = c.default
        out[c.name] = getattr(d, "arg", None) if d is not None and getattr(d, "is_scalar", False) else None
    return out


def _open_conflict(conn: Connection, table: str, row_id: str, revision: int) -> bool:
    """The same incoming version is already waiting for review (e.g. after a --full resend)."""
    return bool(conn.scalar(select(func.count()).select_from(SyncConflict).where(
        SyncConflict.table_name == table, SyncConflict.row_id == row_id,
        SyncConflict.incoming_revision == revision, SyncConflict.resolved_at.is_(None))))


def _in_scope(conn: Connection, path: ScopePath, township_id: str, rows: Iterable[dict[str, Any]]) -> bool:
    """Every row names the sending township through its scope chain: directly, or through a
    parent row that does — checked set-wise (one query per chunk of distinct parents), not
    with a query per row nor a scan of the table."""
    if not path.chain:  # the township row itself
        return all(r.get("id") == township_id for r in rows)
    col, parent_name = path.chain[0]
    vals: set[str] = set()
    for r in rows:
        v = r.get(col)
        if type(v) is not str:
            return False
        vals.add(v)
    if parent_name == TOWNSHIP_TABLE:
        return vals <= {township_id}
    parent = ScopePath(Base.metadata.tables[parent_name], path.chain[1:])
    found = 0
    for chunk in _chunks(sorted(vals), CHUNK):
        found += int(conn.scalar(select(func.count()).select_from(parent.table)
                                 .where(_one_of(conn, parent.table.c.id, chunk), parent.clause(township_id))) or 0)
    return found == len(vals)


def apply_table(session: Session, path: ScopePath, rows: list[dict[str, Any]], township_id: str,
                peer_code: str, package_id: str, cancelled: IsCancelled = never_cancelled) -> TableCounts:
    """Apply one table's rows (parents first) in the caller's transaction.

    Per chunk of ids: one query for the rows we hold, one for their local-edit notes (only
    when some exist), one for the scope of the parents the chunk points at, then one
    ``executemany`` insert and one update — no per-row statements on the common path."""
    with gc_paused():
        return _apply(session, path, rows, township_id, peer_code, package_id, cancelled)


def _apply(session: Session, path: ScopePath, rows: list[dict[str, Any]], township_id: str,
           peer_code: str, package_id: str, cancelled: IsCancelled) -> TableCounts:
    t = path.table
    codec = Codec(t)
    counts = TableCounts()
    conn = session.connection()
    if conn.dialect.name == "sqlite":  # a 64 MB page cache keeps a growing county's index pages hot
        conn.exec_driver_sql("PRAGMA cache_size=-65536")
    defaults = _defaults(path)
    cols = [c.name for c in t.columns]
    ncols = len(cols)  # a parsed row with this many keys has every column (parse_lines refuses others)
    upd = (update(t).where(t.c.id == bindparam("_id"))
           .values({c: bindparam("v_" + c) for c in cols if c != "id"}))
    for chunk in _chunks(_parents_first(t, rows), CHUNK):
        if cancelled():
            raise Cancelled()
        ids = [r["id"] for r in chunk]
        if len(set(ids)) != len(ids):
            raise PackageRefused(f"“{table_label(t.name)}”中同一记录出现多次,包已损坏")
        existing = {r["id"]: dict(r) for r in conn.execute(select(t).where(_one_of(conn, t.c.id, ids))).mappings()}
        if existing:
            if not _in_scope(conn, path, township_id, existing.values()):
                raise PackageRefused(f"包中“{table_label(t.name)}”的记录属于其他乡镇,已拒绝整个包")
            edits: dict[str, int] = {row_id: base for row_id, base in conn.execute(
                select(SyncLocalEdit.row_id, SyncLocalEdit.base_revision).where(
                    SyncLocalEdit.table_name == t.name, _one_of(conn, SyncLocalEdit.row_id, list(existing))))}
        else:
            edits = {}
        inserts: list[dict[str, Any]] = []
        updated: list[dict[str, Any]] = []
        if not existing:  # the common case at a county: a chunk of rows it has never seen
            inserts = [r if len(r) == ncols else {**defaults, **r} for r in chunk]
            counts.new += len(inserts)
            chunk = []
        for r in chunk:
            have = existing.get(r["id"])
            if have is None:
                inserts.append(r if len(r) == ncols else {**defaults, **r})
                counts.new += 1
                continue
            theirs = {**have, **r}
            if codec.dump(theirs) == codec.dump(have):
                counts.unchanged += 1
            elif (r["id"] in edits and r["revision"] > edits[r["id"]]) or r["revision"] == have["revision"]:
                if not _open_conflict(conn, t.name, r["id"], r["revision"]):
                    session.add(SyncConflict(
                        table_name=t.name, row_id=r["id"], peer_code=peer_code, package_id=package_id,
                        incoming_revision=r["revision"], local_json=json.dumps(codec.dump(have), ensure_ascii=False),
                        incoming_json=json.dumps(codec.dump(theirs), ensure_ascii=False)))
                counts.conflicting += 1
                counts.conflicts.append(r["id"])
            elif r["revision"] > have["revision"]:
                updated.append(theirs)
                counts.updated += 1
            else:
                counts.unchanged += 1
        if inserts:
            conn.execute(insert(t), inserts)
        if updated:
            conn.execute(upd, [{"_id": x["id"], **{"v_" + c: x[c] for c in cols if c != "id"}} for x in updated])
        # Checked set-wise on the values just stored (a parent missing from the database has
        # already failed its foreign key, which names the file); any failure refuses the
        # package whole — the caller's transaction rolls back.
        if (inserts and not _in_scope(conn, path, township_id, inserts)) or \
                (updated and not _in_scope(conn, path, township_id, updated)):
            raise PackageRefused(f"包中“{table_label(t.name)}”有记录不属于发送的乡镇(或缺少上级记录),已拒绝整个包")
    session.flush()
    return counts
