"""The change journal: which travelling rows changed, numbered by the database, not the clock.

A township's data package carries the rows changed since the package the county last
acknowledged. "Since" used to be that package's time on the township PC's clock — with
the clock once ahead, a later edit was never sent. Now every insert or update of a
travelling table appends ``(table, row id)`` to ``sync_change`` through an SQLite
trigger, numbered by ``AUTOINCREMENT`` (never reused, never goes back); a package
records the highest number it covered (``sync_package.watermark_n``) and the next one
sends the rows with a higher number. Triggers catch every writer — ORM, Core bulk
inserts, raw SQL — and travel with a backup and its restore.

Triggers are (re)made at every export for the tables present; a table that had none
yet (added by a later upgrade) is sent whole once. Entries up to an acknowledged
package's number are pruned when its receipt arrives. A PostgreSQL database (a county)
exports no data packages and gets no triggers.
"""

from __future__ import annotations

from sqlalchemy import Connection, delete, func, inspect, select, text

from gkdesk.models.sync import SyncChange

_NAME_OK = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


def _trigger(table: str, op: str) -> str:
    return f"gk_journal_{op.lower()}_{table}"


def ensure(conn: Connection, tables: list[str]) -> set[str]:
    """Make the triggers; returns the tables whose changes were already being journaled."""
    if conn.dialect.name != "sqlite":
        return set()
    have = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))}
    tracked = set()
    for t in tables:
        if not set(t) <= _NAME_OK:  # table names come from our own metadata; never quote-inject
            continue
        names = [_trigger(t, "INSERT"), _trigger(t, "UPDATE")]
        if all(n in have for n in names):
            tracked.add(t)
            continue
        for op, n in zip(("INSERT", "UPDATE"), names, strict=True):
            conn.execute(text(f'CREATE TRIGGER IF NOT EXISTS "{n}" AFTER {op} ON "{t}" BEGIN '
                              f"INSERT INTO sync_change (table_name, row_id) VALUES ('{t}', NEW.id); END"))
    return tracked


def head(conn: Connection) -> int:
    """The highest change number so far (0 for none)."""
    if "sync_change" not in inspect(conn).get_table_names():
        return 0
    return int(conn.scalar(select(func.max(SyncChange.n))) or 0)


def changed_ids(table: str, since: int):  # type: ignore[no-untyped-def]
    """A subquery of the ids of ``table`` changed after number ``since``."""
    return select(SyncChange.row_id).where(SyncChange.table_name == table, SyncChange.n > since)


def prune(conn: Connection, upto: int) -> None:
    """Entries the county has acknowledged are no longer needed."""
    conn.execute(delete(SyncChange).where(SyncChange.n <= upto))
