"""What reading a payout list produces: validated rows, errors and warnings.

The row layout (``R_*``) is shared by the parser (:mod:`gkdesk.payouts.parse`), the checks
that follow it (``summary``, ``doubts``) and the importer's bulk insert, which binds these
lists as they are. Problems name sheet, row and column; normalisations are grouped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gkdesk.payouts.plan import SheetPlan
from gkdesk.result import Problem

# Row tuple layout produced for the importer (see ParsedList.rows).
# R_SEQ is a slot for the importer (the row's sequence in the batch), None until it writes.
R_VILLAGE, R_GROUP, R_GROUP_NO, R_NAME, R_ID, R_ACCOUNT, R_QTY, R_RATE, R_FEN, R_MONTH, R_REMARK, R_SHEET, R_ROW, \
    R_SEQ = range(14)


@dataclass
class ParsedList:
    rows: list[list[Any]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_rows: dict[tuple[str, int], list[str]] = field(default_factory=dict)  # (sheet, excel row) -> messages
    plans: list[SheetPlan] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    totals: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)  # sheet -> (row index, declared) of 合计 rows
    # Normalisations, grouped: (sheet, column label, kind) -> [count, first rows, first row's own message]
    notes: dict[tuple[str, str | None, str], list[Any]] = field(default_factory=dict)
    # Red flags found within the list: (kind, message, name, ID, fen or None, sheet, row)
    doubts: list[tuple[str, str, str, str, int | None, str, int]] = field(default_factory=list)

    def flush_notes(self) -> None:
        """One warning per sheet, column and kind of normalisation (a 100,000-row list of
        full-width IDs is one line for the clerk, not 100,000). A kind seen on one row keeps
        that row's own detailed message."""
        for (sheet, label, kind), (count, rows, first) in sorted(self.notes.items(), key=lambda kv: kv[1][1][0]):
            if count == 1:
                self.warnings.append(Problem(first, sheet, rows[0], label))
            else:
                shown = "、".join(f"第{r}行" for r in rows[:3]).replace("行、第", "、")
                self.warnings.append(Problem(f"{label or ''}列:{kind}(共{count:,}行,如{shown})", sheet, rows[0], label))
        self.notes.clear()


def _normalised(out: ParsedList, sheet: str, row: int, label: str | None, kind: str, message: str) -> None:
    """A value was normalised (a warning): grouped by column and kind, see ParsedList.flush_notes."""
    note = out.notes.get((sheet, label, kind))
    if note is None:
        out.notes[sheet, label, kind] = [1, [row], message]
    else:
        note[0] += 1
        if len(note[1]) < 3:
            note[1].append(row)


def _problem(out: ParsedList, sheet: str, row: int, label: str | None, message: str, error: bool = True) -> None:
    p = Problem(message, sheet, row, label)
    if error:
        out.errors.append(p)
        out.error_rows.setdefault((sheet, row), []).append(f"{label}:{message}" if label else message)
    else:
        out.warnings.append(p)

