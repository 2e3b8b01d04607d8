"""The error workbook of ``--valid-only``: the rows that were not imported, to fix and re-import.

Each planned sheet keeps its name and header row(s), then only its rejected rows exactly
as read (merged village cells already filled in), with two added columns — 错误说明 and
原行号 — highlighted. The clerk corrects the cells and imports this file again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gkdesk.payouts.parse import SheetPlan
from gkdesk.sheets.reader import Sheet
from gkdesk.sheets.writer import print_setup, save_workbook

ERROR_COLUMN = "错误说明"
ROW_COLUMN = "原行号"


def write_error_workbook(sheets: list[Sheet], plans: list[SheetPlan],
                         error_rows: dict[tuple[str, int], list[str]], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    red = PatternFill("solid", fgColor="FFC7CE")
    dark = Font(color="9C0006")
    wb = Workbook()
    wb.remove(wb.active)
    by_name = {s.name: s for s in sheets}
    for plan in plans:
        rows_here = sorted(r for (s, r) in error_rows if s == plan.name)
        if not rows_here:
            continue
        sheet = by_name[plan.name]
        ws = wb.create_sheet(plan.name[:31])
        first = plan.header.first_row if plan.header.first_row is not None else plan.header.row
        width = max(len(sheet.rows[i]) for i in range(first, plan.header.row + 1))
        for i in range(first, plan.header.row + 1):
            ws.append(_cells(sheet.rows[i], width) + ([ERROR_COLUMN, ROW_COLUMN] if i == plan.header.row else []))
        for excel_row in rows_here:
            values = sheet.rows[excel_row - 1] if excel_row - 1 < len(sheet.rows) else []
            ws.append([*_cells(values, width), "；".join(error_rows[plan.name, excel_row]), excel_row])
            out_row = ws.max_row
            for c in range(1, width + 3):
                ws.cell(out_row, c).fill = red
            ws.cell(out_row, width + 1).font = dark
        ws.column_dimensions[_letter(width + 1)].width = 60
        print_setup(ws, title=f"未导入的行({plan.name})", landscape=True,
                    header_rows=(first + 1, plan.header.row + 1))
    if not wb.sheetnames:
        wb.create_sheet("无错误")
    # The rows are the list's cells exactly as read: a cell "=HYPERLINK(…)" stays text.
    return save_workbook(wb, path)


def _cells(row: list[Any], width: int) -> list[Any]:
    vals = list(row[:width]) + [""] * (width - len(row))
    return [None if v == "" else v for v in vals]


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)
