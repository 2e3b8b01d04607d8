"""Filling merged cells: a village name merged down its block belongs to every row of it.

python-calamine reports merged ranges for .xlsx and .xls (``merged_cell_ranges``) but
stores the value only in the top-left cell; we copy it into the rest of the range, so
the header finder and the row reader see what the clerk sees. ODS and CSV carry no
merge information.
"""

from __future__ import annotations

from typing import Any

from gkdesk.sheets.reader import Sheet


def fill_merged(sheet: Sheet) -> int:
    """Copy each merged range's top-left value into its other cells; returns cells filled.

    Only the rows the ranges cover are needed (a lazy sheet converts no more than those)."""
    rows: list[list[Any]] = sheet.head(max((r1 for _r0, _c0, r1, _c1 in sheet.merged), default=-1) + 1)
    filled = 0
    for r0, c0, r1, c1 in sheet.merged:
        if r0 >= len(rows):
            continue
        top = rows[r0]
        value = top[c0] if c0 < len(top) else ""
        if value in ("", None):
            continue
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([""] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and row[c] in ("", None):
                    row[c] = value
                    filled += 1
    return filled
