"""Row sources for large tables: a count and windows of rows, fetched on demand.

The window's lazy table model (``gkdesk.ui.tablemodel``) pulls pages from a
``RowSource``; keeping the SQL here keeps Qt out of the core and SQL out of the UI.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Select, func, select

from gkdesk.store import Store


class RowSource(Protocol):
    columns: Sequence[str]

    def count(self) -> int: ...

    def fetch(self, offset: int, limit: int) -> list[tuple[Any, ...]]: ...


@dataclass
class ListRowSource:
    """Rows already in memory (small lists, tests)."""

    columns: Sequence[str]
    rows: list[tuple[Any, ...]]

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int) -> list[tuple[Any, ...]]:
        return self.rows[offset:offset + limit]


@dataclass
class SqlRowSource:
    """Rows of a SELECT, paged with LIMIT/OFFSET; ``format_row`` turns a DB row into display values."""

    store: Store
    stmt: Select[Any]
    columns: Sequence[str]
    format_row: Callable[[Any], tuple[Any, ...]] = field(default=tuple)

    def count(self) -> int:
        with self.store.session() as s:
            return int(s.scalar(select(func.count()).select_from(self.stmt.order_by(None).subquery())) or 0)

    def fetch(self, offset: int, limit: int) -> list[tuple[Any, ...]]:
        with self.store.session() as s:
            return [self.format_row(r) for r in s.execute(self.stmt.offset(offset).limit(limit))]
