"""Storing a payout list's rows in SQLite: many rows per statement, and early.

Two things make ``payouts import`` of 100,000 rows cheaper (``benchmarks/payout_import.py``):

* **Many rows per statement.** One ``WITH v AS (VALUES …) INSERT … SELECT`` carries up to
  5,000 rows. What is the same on every row (batch, unit, timestamps, and nearly always
  rate, month and sheet) is bound once per statement, the village's name is swapped
  for its id in the flat list of values and the row id is ``prefix + sequence`` built by
  SQLite, so the validated rows are bound almost as they are (11 values each). SQLite runs
  each statement with the GIL released: ≈0.33 s per 100,000 rows where a row-by-row
  ``executemany`` took ≈0.45 s. The statement's text does not depend on the batch, so a big
  list's statements are compiled while its sheet is still being read (:func:`warm_up`).
* **Early.** While the parser is still checking a big list, :class:`EarlyWriter` stores the
  rows it has accepted so far on a helper thread, inside a savepoint of the import's own
  transaction — the insert overlaps the checks instead of following them. The savepoint is
  kept only when the import is decided and the stored rows are exactly the rows to keep;
  otherwise it is rolled back and the rows are written the ordinary way. Nothing is
  committed before the caller commits, so the backup taken before the write (another
  connection, which reads the last committed state) and all-or-nothing stay as they were.
"""

from __future__ import annotations

import functools
import itertools
import operator
import sqlite3
import threading
import time
from collections import deque
from itertools import repeat
from typing import Any

from gkdesk.payouts import rows as R

#: The payout table's columns in the order the statement fills them (checked against the model).
COLUMNS = ("batch_id", "seq", "village_id", "group_name", "group_number", "recipient_name", "id_number",
           "account_number", "quantity", "unit", "rate", "amount_fen", "month", "remark", "source_sheet",
           "source_row", "id", "created_at", "updated_at", "revision", "deleted_at")
#: Rows per statement at most: 14 bound values each (see :func:`rows_per_statement`).
ROWS_PER_STATEMENT = 5000
#: A list's last rows go in statements of this many (then one of what is left): a statement is
#: compiled once per size, and a 5,000-row one costs SQLite ≈60 ms to compile, 1,000 rows ≈7 ms.
TAIL_ROWS = 1000
#: Lists shorter than this are written after the checks: the overlap would not pay for the thread.
EARLY_MIN_ROWS = 8000
#: Files at least this big have their statements compiled while the sheet is still being read
#: (:func:`warm_up`): reading them takes longer than compiling.
WARM_UP_MIN_BYTES = 2_000_000
_VALUES_PER_ROW = 14
# What is the same on every row of a statement, bound once after the rows: batch, unit, id
# prefix, timestamps; in a "compact" statement also rate, month and sheet, which a statement's
# rows nearly always share (3 fewer values to bind per row, ≈20 % of the binding, which holds
# the GIL). Remarks are bound per row: a few rows of most lists have one (已故, 代领). Positional
# parameters number in the order they appear in the text.
_SHARED = 8
_COMPACT = (R.R_VILLAGE, R.R_GROUP, R.R_GROUP_NO, R.R_NAME, R.R_ID, R.R_ACCOUNT, R.R_QTY, R.R_FEN,
            R.R_REMARK, R.R_ROW, R.R_SEQ)
_PICK_COMPACT = operator.itemgetter(*_COMPACT)
_PICK_SHARED = operator.itemgetter(R.R_RATE, R.R_MONTH, R.R_SHEET)


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
    return max(1, min(ROWS_PER_STATEMENT, (limit - _SHARED) // _VALUES_PER_ROW))
_POLL_S = 0.003


class UnknownVillage(LookupError):
    """A row names a village the statement has no id for."""


@functools.lru_cache(maxsize=8)
def statement_text(n: int, compact: bool) -> str:
    """The insert of ``n`` rows; the same text for every batch (what differs is bound), so
    SQLite compiles it once per connection and :func:`warm_up` can do that early."""
    if compact:  # c1…c11 as _COMPACT; rate, month, sheet bound once
        names, row = "c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11", "(?,?,?,?,?,?,?,?,?,?,?)"
        seq, rate, fen, month, remark, sheet, source_row = "c11", "?", "c8", "?", "c9", "?", "c10"
    else:  # c1…c14 as the R_* layout
        names, row = "c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12,c13,c14", "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
        seq, rate, fen, month, remark, sheet, source_row = "c14", "c8", "c9", "c10", "c11", "c12", "c13"
    return (f"WITH v({names}) AS (VALUES {','.join([row] * n)}) INSERT INTO payout ({', '.join(COLUMNS)}) "
            f"SELECT ?, {seq}, c1, c2, c3, c4, c5, c6, c7, CASE WHEN c7 IS NULL THEN '' ELSE ? END, {rate}, {fen}, "
            f"{month}, {remark}, {sheet}, {source_row}, printf('%s%012x', ?, {seq}), ?, ?, 1, NULL FROM v")


def _sizes(per_statement: int) -> tuple[int, ...]:
    return (per_statement, TAIL_ROWS) if per_statement > TAIL_ROWS else (per_statement,)


def warm_up(connection: Any, per_statement: int) -> threading.Thread:
    """Compile the statements a big list will use, on a helper thread, while its sheet is
    being read (SQLite compiles with the GIL released: ≈70 ms that no longer delay the first
    insert). Python's sqlite3 has no prepare call: each statement is executed without its
    values, which compiles and caches it, then stops at the missing bindings — before
    anything is run. Join the thread before the connection is used again."""
    def run() -> None:
        for n in _sizes(per_statement):
            try:
                connection.execute(statement_text(n, True), ())
            except sqlite3.ProgrammingError:
                pass  # the missing values, as intended
            except sqlite3.Error:
                return  # said again by the real insert
    thread = threading.Thread(target=run, name="gkdesk-payout-compile", daemon=True)
    thread.start()
    return thread


class RowSql:
    """Inserts parse rows (``R_*`` layout) into one batch."""

    def __init__(self, batch_id: str, prefix: str, stamp: str, unit: str, villages: dict[str, str],
                 per_statement: int = ROWS_PER_STATEMENT) -> None:
        if not villages:
            raise ValueError("no village to name")
        self._batch_id, self._prefix, self._stamp, self._unit = batch_id, prefix, stamp, unit
        self._village_id = villages.__getitem__
        self.per_statement = per_statement

    def insert(self, cursor: Any, rows: list[list[Any]], first_seq: int) -> None:
        """Store ``rows`` as rows ``first_seq…`` of the batch (their R_SEQ slot is filled in)."""
        if not rows:
            return
        n = len(rows)
        deque(map(operator.setitem, rows, repeat(R.R_SEQ), range(first_seq, first_seq + n)), maxlen=0)
        shared = set(map(_PICK_SHARED, rows))
        compact = len(shared) == 1
        if compact:
            values = list(itertools.chain.from_iterable(map(_PICK_COMPACT, rows)))
            width = len(_COMPACT)
        else:
            values = list(itertools.chain.from_iterable(rows))
            width = _VALUES_PER_ROW
        # The village's id in place of its name, looked up here: a CASE over 40 villages in the
        # statement cost SQLite ≈0.15 s per 100,000 rows, this ≈5 ms.
        try:
            values[R.R_VILLAGE::width] = map(self._village_id, values[R.R_VILLAGE::width])
        except KeyError as exc:  # nothing executed: the caller decides
            raise UnknownVillage(exc.args[0]) from None
        values += (self._batch_id, self._unit)
        if compact:
            values += shared.pop()
        values += (self._prefix, self._stamp, self._stamp)
        cursor.execute(statement_text(n, compact), values)

    def chunks(self, start: int, stop: int) -> list[tuple[int, int]]:
        """Rows ``start…stop-1`` as (start, stop) of the statements that store them: full ones,
        then the rest in statements of :data:`TAIL_ROWS` rows and one of what is left."""
        out = []
        for size in _sizes(self.per_statement):
            while stop - start >= size:
                out.append((start, start + size))
                start += size
        if start < stop:
            out.append((start, stop))
        return out


def insert_all(cursor: Any, sql: RowSql, rows: list[list[Any]], progress: Any = None) -> None:
    """Every row, in statements of ``sql.per_statement`` rows (``progress(done)`` after each)."""
    for lo, hi in sql.chunks(0, len(rows)):
        sql.insert(cursor, rows[lo:hi], lo)
        if progress is not None:
            progress(hi)


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
                if have - done >= n:
                    if not self._store(done, done + n):
                        return
                    done += n
                elif parsed:
                    for lo, hi in self._sql.chunks(done, have):  # the last rows
                        if self._stop.is_set() or not self._store(lo, hi):
                            return
                    return
                else:
                    time.sleep(_POLL_S)
        except BaseException as exc:  # said by holds(); the ordinary write meets it again
            self.failed = exc

    def _store(self, lo: int, hi: int) -> bool:
        chunk = self._rows[lo:hi]
        try:
            self._sql.insert(self._cursor, chunk, lo)
        except UnknownVillage:
            self.gave_up = True  # a village to be added or mapped first: the ordinary way
            return False
        self.inserted.extend(chunk)
        return True

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
