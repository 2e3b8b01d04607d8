"""The register as a print-ready .xlsx (the layout counties ask for).

Landscape A4, fitted to the page width, the title on top and the header row repeated on
every printed page. Applicant names and contacts are not columns: this file is handed
on. Text that looks like a formula (``=…``) is written as text, never as a live formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

HEADERS = ["编号", "收到日期", "申请人类型", "申请内容", "补正", "延期", "答复日期", "答复类型", "是否超期"]
WIDTHS = [11, 12, 12, 46, 8, 10, 12, 26, 12]


def row_cells(d: Mapping[str, Any]) -> list[str]:
    if d.get("replied_on"):
        late = "是" if d.get("overdue") else "否"
    elif d.get("overdue"):
        late = "是(未答复)"
    else:
        late = "否(办理中)" if d.get("due_on") else "—"
    ext = d.get("extension_days") or 0
    return [d["number"], d.get("received_on") or f"{d['arrived_on']}(待确认)", d["applicant_type_label"],
            d["content"], "是" if d.get("supplemented") else "否", f"{ext}个工作日" if ext else "否",
            d.get("replied_on") or "", ("当场答复:" if d.get("on_the_spot") else "") + (d.get("outcome_label") or ""),
            late]


def write_xlsx(out: Path, title: str, rows: Sequence[Mapping[str, Any]], footer: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "依申请公开登记台账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.append(HEADERS)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c in ws[2]:
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        c.border = box
    for d in rows:
        ws.append(row_cells(d))
        for c in ws[ws.max_row]:
            if c.data_type == "f":  # text from the register that starts with "=" stays text
                c.data_type = "s"
            c.alignment = Alignment(vertical="top", wrap_text=True)
            c.border = box
    for i, w in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A3"
    ws.append([])
    ws.append([footer])
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页,共 &N 页"
    from gkdesk.sheets.writer import save_workbook

    save_workbook(wb, out)  # text stays text; a message if the old file is open in Excel/WPS
