"""Which tables travel, how a row becomes JSON and back, and whose row it is.

Generic on purpose: any mapped table using :class:`SyncMixin` travels, ordered by
foreign keys (parents first). "This township's data" is derived from the FK graph:
a table with ``township_id`` is scoped directly; a child table is scoped through
its parent's key (``village_group.village_id IN (SELECT id FROM village WHERE
township_id = :t)``), however deep the chain. A feature whose table has no path to
``township`` is county-wide data and does not travel in township packages.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Table, inspect, literal, select
from sqlalchemy import types as satypes

import gkdesk.models  # noqa: F401  (registers every table)
from gkdesk.models.base import Base, SyncMixin

TOWNSHIP_TABLE = "township"

# Attachment registry: (table, column) pairs whose value is the SHA-256 of a file kept
# under ``<data dir>/attachments/<first two hex>/<sha256>[.ext]``.
_ATTACHMENTS: dict[str, set[str]] = {}


def register_attachment(table: str, column: str) -> None:
    """Declare that ``table.column`` holds an attachment's SHA-256 (optionally ``.ext``)."""
    _ATTACHMENTS.setdefault(table, set()).add(column)


def attachment_columns(table: str) -> set[str]:
    return _ATTACHMENTS.get(table, set())


def syncmixin_tables() -> list[Table]:
    """Every mapped table whose class uses SyncMixin, parents before children."""
    names = {m.local_table.name for m in Base.registry.mappers
             if issubclass(m.class_, SyncMixin) and isinstance(m.local_table, Table)}
    return [t for t in Base.metadata.sorted_tables if t.name in names]


@dataclass(frozen=True)
class ScopePath:
    """How rows of ``table`` reach ``township.id``: a chain of (fk column, parent table)."""

    table: Table
    chain: tuple[tuple[str, str], ...]

    def clause(self, township_id: str) -> ColumnElement[bool]:
        return _clause(self.table, list(self.chain), township_id)


def _clause(table: Table, chain: list[tuple[str, str]], township_id: str) -> ColumnElement[bool]:
    if not chain:  # the township table itself
        return table.c.id == township_id
    col, parent_name = chain[0]
    if parent_name == TOWNSHIP_TABLE:
        return table.c[col] == township_id
    parent = Base.metadata.tables[parent_name]
    return table.c[col].in_(select(parent.c.id).where(_clause(parent, chain[1:], township_id)))


def scope_path(table: Table, _seen: frozenset[str] = frozenset()) -> ScopePath | None:
    """Shortest FK chain from ``table`` to the township, preferring a direct ``township_id``."""
    if table.name == TOWNSHIP_TABLE:
        return ScopePath(table, ())
    best: tuple[tuple[str, str], ...] | None = None
    fks = sorted(table.foreign_keys, key=lambda fk: (fk.parent.name != "township_id", fk.parent.name))
    for fk in fks:
        parent = fk.column.table
        if parent.name in _seen or parent.name == table.name or fk.parent.nullable:
            continue
        if parent.name == TOWNSHIP_TABLE:
            cand: tuple[tuple[str, str], ...] = ((fk.parent.name, TOWNSHIP_TABLE),)
        else:
            sub = scope_path(parent, _seen | {table.name})
            if sub is None:
                continue
            cand = ((fk.parent.name, parent.name), *sub.chain)
        if best is None or len(cand) < len(best):
            best = cand
    return None if best is None else ScopePath(table, best)


def travelling_tables(conn: Connection | None = None) -> list[ScopePath]:
    """Township-scoped travelling tables (parents first), limited to those present in ``conn``."""
    present = set(inspect(conn).get_table_names()) if conn is not None else None
    out = []
    for t in syncmixin_tables():
        if present is not None and t.name not in present:
            continue
        p = scope_path(t)
        if p is not None:
            out.append(p)
    return out


def county_wide_tables(conn: Connection | None = None) -> list[Table]:
    """SyncMixin tables with no path to a township (e.g. catalogue standards the county ships)."""
    present = set(inspect(conn).get_table_names()) if conn is not None else None
    return [t for t in syncmixin_tables() if scope_path(t) is None
            and (present is None or t.name in present)]


def scope_clause(table: Table, township_id: str) -> ColumnElement[bool]:
    p = scope_path(table)
    return p.clause(township_id) if p is not None else literal(False)


# --- JSON ---------------------------------------------------------------------------

def _kind(col: Column[Any]) -> str:
    t = col.type
    if isinstance(t, satypes.DateTime):
        return "datetime"
    if isinstance(t, satypes.Date):
        return "date"
    if isinstance(t, satypes.Numeric) and not isinstance(t, satypes.Float):
        return "decimal"
    if isinstance(t, satypes.TypeDecorator):  # e.g. payouts' DecimalText (exact text in a String)
        try:
            if t.python_type is Decimal:
                return "decimal"
        except NotImplementedError:
            pass
    if isinstance(t, satypes.LargeBinary):
        return "bytes"
    return "plain"


def _b64(v: str) -> bytes:
    return base64.b64decode(v)


_LOADERS: dict[str, Any] = {"datetime": datetime.fromisoformat, "date": date.fromisoformat,
                            "decimal": Decimal, "bytes": _b64}


@dataclass
class Codec:
    """Row ⇄ JSON for one table: Decimal, date and datetime keep their exact value."""

    table: Table

    def __post_init__(self) -> None:
        self.kinds = {c.name: _kind(c) for c in self.table.columns}
        self.columns = [c.name for c in self.table.columns]
        self._names = frozenset(self.kinds)
        # Only the columns that need converting are visited per row (a county loads millions).
        self._loaders = [(name, _LOADERS[k]) for name, k in self.kinds.items() if k != "plain"]

    def dump(self, row: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in self.columns:
            v = row.get(name)
            if v is None:
                out[name] = None
                continue
            k = self.kinds[name]
            if k in ("datetime", "date"):
                out[name] = v.isoformat()
            elif k == "decimal":
                out[name] = str(v)
            elif k == "bytes":
                out[name] = base64.b64encode(v).decode("ascii")
            elif isinstance(v, Decimal):  # a Decimal kept as text (e.g. payout quantity/rate): exact text
                out[name] = format(v, "f")
            else:
                out[name] = v
        return out

    def load(self, obj: dict[str, Any]) -> dict[str, Any]:
        """Parse one JSON row; raises ValueError on unknown columns or malformed values
        (TypeError, ArithmeticError or binascii.Error for some malformed values)."""
        if not obj.keys() <= self._names:
            raise ValueError(f"未知字段 {sorted(set(obj) - self._names)[0]}")
        out = dict(obj)
        for name, conv in self._loaders:
            v = out.get(name)
            if v is not None:
                out[name] = conv(v)
        return out

    def convert(self, obj: dict[str, Any]) -> None:
        """:meth:`load` in place, for a row whose columns the caller has already checked (the
        importer's hot path: one dict per row instead of two). On an exception ``obj`` may be
        partly converted."""
        for name, conv in self._loaders:
            v = obj.get(name)
            if v is not None:
                obj[name] = conv(v)

    def line(self, row: dict[str, Any]) -> bytes:
        return json.dumps(self.dump(row), ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def rows_in_scope(conn: Connection, path: ScopePath, township_id: str,
                  changed: Any = None) -> Iterable[dict[str, Any]]:
    """This township's rows of one table (only the ids in the ``changed`` subquery when given,
    see :mod:`gkdesk.sync.journal`)."""
    t = path.table
    q = select(t).where(path.clause(township_id))
    if changed is not None:
        q = q.where(t.c.id.in_(changed))
    for row in conn.execute(q.order_by(t.c.id)).mappings():
        yield dict(row)
