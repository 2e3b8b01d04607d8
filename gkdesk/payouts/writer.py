"""Storing a payout list's rows in SQLite: many rows per statement, and early.

Two things make ``payouts import`` of 100,000 rows cheaper (``benchmarks/payout_import.py``):

* **Many rows per statement.** One ``WITH v AS (VALUES …) INSERT … SELECT`` carries up to
  5,000 rows. What is the same on every row (batch, unit, timestamps, revision) is an SQL
  literal, the village's name is swapped for its id in the flat list of values and the row
  id is ``prefix + sequence`` built by SQLite, so the validated rows are bound almost as
  they are (14 values each). SQLite runs each statement with the GIL released: ≈0.33 s per 100,000
  rows where a row-by-row ``executemany`` took ≈0.45 s.
* **Early.** While the parser is still checking a big list, :class:`EarlyWriter` stores the
  rows it has accepted so far on a helper thread, inside a savepoint of the import's own
  transaction — the insert overlaps the checks instead of following them. The savepoint is
  kept only when the import is decided and the stored rows are exactly the rows to keep;
  otherwise it is rolled back and the rows are written the ordinary way. Nothing is
  committed before the caller commits, so the backup taken before the write (another
  connection, which reads the last committed state) and all-or-nothing stay as they were.
"""

from __future__ import annotations

import itertools
import operator
import sqlite3
import threading
import time
from collections import deque
from itertools import repeat
from typing import Any

from gkdesk.payouts.rows import R_SEQ, R_VILLAGE

#: The payout table's columns in the order the statement fills them (checked against the model).
COLUMNS = ("batch_id", "seq", "village_id", "group_name", "group_number", "recipient_name", "id_number",
           "account_number", "quantity", "unit", "rate", "amount_fen", "month", "remark", "source_sheet",
           "source_row", "id", "created_at", "updated_at", "revision", "deleted_at")
#: Rows per statement at most: 14 bound values each (see :func:`rows_per_statement`).
ROWS_PER_STATEMENT = 5000
#: Lists shorter than this are written after the checks: the overlap would not pay for the thread.
EARLY_MIN_ROWS = 8000
_VALUES_PER_ROW = 14


def rows_per_statement(connection: Any) -> int:
    """As many rows as this SQLite library binds in one statement (its own limit on bound
    parameters: 32,766 by default since 3.32, so 2,340 rows with the SQLite Python brings on
    Windows; 250,000 in Debian's, which the Linux bundle carries; 999 before 3.32).

    Fewer, bigger statements: each one costs the writer a wait for the interpreter lock after
    SQLite has run it; 5,000 rows against 2,000 saved ≈0.1 s per 100,000 rows here."""
    try:
        limit = int(connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except (AttributeError, sqlite3.Error, TypeError, ValueError):  # Python < 3.11, another driver
        limit = 32_766 if sqlite3.sqlite_version_info >= (3, 32) else 999
    return max(1, min(ROWS_PER_STATEMENT, limit // _VALUES_PER_ROW))
_POLL_S = 0.003


class UnknownVillage(LookupError):
    """A row names a village the statement has no id for."""


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class RowSql:
    """The insert statement for ``n`` parse rows (``R_*`` layout) of one batch."""

    def __init__(self, batch_id: str, prefix: str, stamp: str, unit: str, villages: dict[str, str],
                 per_statement: int = ROWS_PER_STATEMENT) -> None:
        if any("\x00" in t for t in (batch_id, prefix, stamp, unit)) or not villages:
            raise ValueError("not expressible as SQL literals")
        self._head = "WITH v(c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12,c13,c14) AS (VALUES "
        self._tail = (
            f") INSERT INTO payout ({', '.join(COLUMNS)}) SELECT {sql_text(batch_id)}, c14, c1, "
            f"c2, c3, c4, c5, c6, c7, CASE WHEN c7 IS NULL THEN '' ELSE {sql_text(unit)} END, c8, c9, c10, c11, "
            f"c12, c13, printf('%s%012x', {sql_text(prefix)}, c14), {sql_text(stamp)}, {sql_text(stamp)}, 1, NULL "
            "FROM v")
        self._cache: dict[int, str] = {}
        self._village_id = villages.__getitem__
        self.per_statement = per_statement

    def statement(self, n: int) -> str:
        sql = self._cache.get(n)
        if sql is None:
            sql = self._cache[n] = self._head + ",".join(["(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"] * n) + self._tail
        return sql

    def insert(self, cursor: Any, rows: list[list[Any]], first_seq: int) -> None:
        """Store ``rows`` as rows ``first_seq…`` of the batch (their R_SEQ slot is filled in)."""
        if not rows:
            return
        deque(map(operator.setitem, rows, repeat(R_SEQ), range(first_seq, first_seq + len(rows))), maxlen=0)
        values = list(itertools.chain.from_iterable(rows))
        # The village's id in place of its name, looked up here: a CASE over 40 villages in the
        # statement cost SQLite ≈0.15 s per 100,000 rows, this ≈5 ms.
        try:
            values[R_VILLAGE::_VALUES_PER_ROW] = map(self._village_id, values[R_VILLAGE::_VALUES_PER_ROW])
        except KeyError as exc:  # nothing executed: the caller decides
            raise UnknownVillage(exc.args[0]) from None
        cursor.execute(self.statement(len(rows)), values)


def insert_all(cursor: Any, sql: RowSql, rows: list[list[Any]], progress: Any = None) -> None:
    """Every row, in statements of ``sql.per_statement`` rows (``progress(done)`` after each)."""
    n = sql.per_statement
    for start in range(0, len(rows), n):
        sql.insert(cursor, rows[start:start + n], start)
        if progress is not None:
            progress(min(start + n, len(rows)))


class EarlyWriter:
    """Stores the rows a parse accepts while it is still running (see the module's docstring).

    It watches the parse's own ``rows`` and ``errors`` lists: a full statement's worth of new
    rows is stored at once, the remainder when :meth:`finish` says the parse is over. It gives
    up (and stores nothing more) as soon as the list has an error it will be refused for or a
    row names a village it does not know; :meth:`holds` then says False.
    """

    def __init__(self, cursor: Any, sql: RowSql, rows: list[list[Any]], errors: list[Any],
                 stop_on_error: bool) -> None:
        self._cursor, self._sql, self._rows, self._errors = cursor, sql, rows, errors
        self._stop_on_error = stop_on_error
        self.inserted: list[list[Any]] = []
        self.gave_up = False
        self.failed: BaseException | None = None
        self._stop = threading.Event()
        self._parsed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gkdesk-payout-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        rows, n = self._rows, self._sql.per_statement
        done = 0
        try:
            while not self._stop.is_set():
                if self._stop_on_error and self._errors:
                    self.gave_up = True  # the list will be refused: nothing to store
                    return
                parsed = self._parsed.is_set()  # read before the length: then the length is final
                have = len(rows)
                if have - done >= n or (parsed and have > done):
                    chunk = rows[done:done + n]
                    try:
                        self._sql.insert(self._cursor, chunk, done)
                    except UnknownVillage:
                        self.gave_up = True  # a village to be added or mapped first: the ordinary way
                        return
                    self.inserted.extend(chunk)
                    done += len(chunk)
                elif parsed:
                    return
                else:
                    time.sleep(_POLL_S)
        except BaseException as exc:  # said by holds(); the ordinary write meets it again
            self.failed = exc

    def finish(self) -> None:
        """The parse is over: store the rest and wait for it."""
        self._parsed.set()
        self._join()

    def stop(self) -> None:
        """Store nothing more (the import ends some other way)."""
        self._stop.set()
        self._join()

    def _join(self) -> None:
        if self._thread.is_alive():
            self._thread.join()

    def holds(self, rows: list[list[Any]]) -> bool:
        """True if exactly ``rows``, in this order, are stored (and nothing else)."""
        self._join()
        return (self.failed is None and not self.gave_up and len(rows) == len(self.inserted)
                and all(map(operator.is_, rows, self.inserted)))
