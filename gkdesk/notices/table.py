"""A notice from any spreadsheet (财务收支, 低保名单 …) or typed text.

The header row is the first row with two or more filled cells (title rows above it
are skipped). Columns that look like ID numbers, bank accounts or phones — by their
header or by most of their values — are masked or left out, and the clerk is told
which columns, so personal numbers never reach the board by accident.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from gkdesk.errors import InputRejected, UnreadableInput
from gkdesk.notices.masking import (
    MASK_ID_PARTIAL,
    check_policy,
    classify_column,
    mask_id,
    normalise_cell,
    scrub_row,
)
from gkdesk.notices.payout import committee
from gkdesk.notices.period import BLANK_PERIOD_LINE, PostingPeriod
from gkdesk.notices.render import ROW_TOTAL, Column, Notice, Row, scrub
from gkdesk.notices.table_source import read_xlsx_for_notice
from gkdesk.result import Problem
from gkdesk.sheets import read_workbook
from gkdesk.sheets.reader import read_csv_text

TEXT_SUFFIXES = {".txt", ".text", ".md"}


def cell_text(v: Any) -> str:
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return format(Decimal(repr(v)), "f")
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M") if (v.hour or v.minute) else v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return normalise_cell(v)


def _display_width(s: str) -> int:
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


def build_table_notice(rows: list[list[Any]], title: str, *, township: str, village: str = "",
                       source: str = "", sheet: str = "", mask: str = "none", pattern: str = "first6last4",
                       period: PostingPeriod | None = None, phones: list[str] | None = None,
                       ) -> tuple[Notice, list[Problem]]:
    check_policy(mask)
    text_rows = [[cell_text(v) for v in r] for r in rows]
    text_rows = [r for r in text_rows if any(r)]
    if not text_rows:
        raise InputRejected(f"文件“{source}”{('工作表“' + sheet + '”') if sheet else ''}没有任何内容,无法生成公示")
    width = max(len(r) for r in text_rows)
    text_rows = [r + [""] * (width - len(r)) for r in text_rows]
    used = [i for i in range(width) if any(r[i] for r in text_rows)]
    text_rows = [[r[i] for i in used] for r in text_rows]
    header_at = next((k for k, r in enumerate(text_rows) if sum(1 for c in r if c) >= 2), None)
    # The issuing body signs and seals; the file name stays on the clerk's computer.
    issuer = committee(village) if village else f"{township}人民政府"
    notice = Notice(title=title, township=township, village=village, phones=list(phones or []),
                    posting_line=period.describe() if period else BLANK_PERIOD_LINE,
                    info=[f"发布单位:{issuer}"], note="特此公示。如有异议,请在公示期内向发布单位反映。",
                    seal_label=f"{issuer}(盖章)")
    if header_at is None:  # plain text: one paragraph per line, no grid
        notice.header = False
        notice.columns = [Column("", 1.0)]
        found: list[Problem] = []
        for n, r in enumerate(text_rows, start=1):
            line, kinds = scrub_row([scrub(" ".join(c for c in r if c))], pattern)
            notice.rows.append(Row(line))
            found += [_masked_problem(k, source, sheet, n) for k in sorted(kinds)]
        return notice, found
    header = [c or f"第{i + 1}列" for i, c in enumerate(text_rows[header_at])]
    body = text_rows[header_at + 1:]
    problems: list[Problem] = []
    keep: list[int] = []
    masked: set[int] = set()
    for i, name in enumerate(header):
        kind = classify_column(name, [r[i] for r in body])
        where = dict(file=source, sheet=sheet or None, column=name)
        if kind == "id" and mask == MASK_ID_PARTIAL:
            masked.add(i)
            keep.append(i)
            problems.append(Problem("疑似身份证号列,已部分隐藏后打印", **where))
        elif kind:
            label = {"id": "身份证号", "account": "银行账号", "phone": "电话号码"}[kind]
            problems.append(Problem(f"疑似{label}列,为保护个人信息未打印", **where))
        else:
            keep.append(i)
    if not keep:
        raise InputRejected(f"文件“{source}”去掉个人信息列后没有可公示的列")
    cols = []
    for i in keep:
        w = max([_display_width(header[i])] + [_display_width(r[i]) for r in body[:500]])
        numeric = sum(1 for r in body if r[i] and NUMBERISH.match(r[i])) > len(body) // 2
        cols.append(Column(header[i], min(max(w, 4), 40), "right" if numeric and i not in masked else "left"))
    out_rows = []
    for n, r in enumerate(body, start=header_at + 2):
        cells = [mask_id(r[i], pattern) if i in masked else r[i] for i in keep]
        cells, kinds = scrub_row(cells, pattern)  # an ID, account or phone anywhere else: 备注, split cells …
        problems += [_masked_problem(k, source, sheet, n) for k in sorted(kinds)]
        kind = ROW_TOTAL if cells and cells[0].replace(" ", "") in ("合计", "总计", "小计") else "data"
        out_rows.append(Row(cells, kind=kind, who=f"原表第{n}行"))
    notice.columns, notice.rows = cols, out_rows
    return notice, problems


NUMBERISH = re.compile(r"^[-+]?[¥¥$]?[\d,]*\.?\d+%?$")
_KIND_LABELS = {"id": "身份证号", "account": "银行账号或存折号", "phone": "电话号码"}


def _masked_problem(kind: str, source: str, sheet: str, row: int) -> Problem:
    return Problem(f"单元格中有{_KIND_LABELS[kind]},已部分隐藏后打印", file=source, sheet=sheet or None, row=row)


def load_table_rows(path: Path, sheet: str | None = None) -> tuple[list[list[Any]], str]:
    """Rows of the named (or first non-empty) sheet; a .txt file is typed text, one line a row."""
    if path.suffix.lower() in TEXT_SUFFIXES:
        text, _enc = read_csv_text(path) if path.exists() else ("", "")
        if not path.exists():
            read_workbook(path)  # raises the usual "找不到文件"
        return [line.split("\t") for line in text.splitlines()], ""
    if path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        return read_xlsx_for_notice(path, sheet)
    sheets = read_workbook(path)
    if sheet:
        for s in sheets:
            if s.name == sheet:
                return s.rows, s.name
        raise UnreadableInput(f"文件“{path.name}”中没有工作表“{sheet}”(有:{'、'.join(s.name for s in sheets)})")
    for s in sheets:
        if any(any(c not in (None, "") for c in r) for r in s.rows):
            return s.rows, s.name
    raise UnreadableInput(f"文件“{path.name}”的所有工作表都是空的")
