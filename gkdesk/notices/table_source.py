"""Reading a sheet for a table notice as the clerk sees it in WPS/Excel.

For .xlsx/.xlsm the cells are read with openpyxl so that each value is shown in the
sheet's own number format (``#,##0.00``, ``0.0%``, ``yyyy"年"m"月"d"日`` …) and a
formula saved without its result (files written by scripts) is computed with the payout
importer's evaluator. A formula that cannot be computed is refused naming its cell —
a total is never printed empty. Other formats go through the common reader.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from gkdesk.errors import InputRejected, UnreadableInput
from gkdesk.sheets.formulas import FormulaError, cell_name, evaluate

_QUOTED = re.compile(r'"([^"]*)"')
_BRACKETS = re.compile(r"\[[^\]]*\]")


def _decimals(fmt: str) -> int:
    m = re.search(r"\.(0+)", fmt)
    return len(m.group(1)) if m else 0


def format_value(v: Any, fmt: str) -> Any:
    """``v`` as the sheet shows it under number format ``fmt``; unknown formats keep the value."""
    if v is None or isinstance(v, bool) or not fmt or fmt == "General":
        return v
    section = fmt.split(";")[0]
    literal = "".join(_QUOTED.findall(section))
    bare = _BRACKETS.sub("", _QUOTED.sub("", section))
    if isinstance(v, dt.datetime | dt.date):
        d = v.date() if isinstance(v, dt.datetime) else v
        if "年" in literal or "年" in bare:
            return f"{d.year}年{d.month}月{d.day}日" if "d" in bare.lower() or "日" in literal else f"{d.year}年{d.month}月"
        if "/" in bare:
            return f"{d.year}/{d.month}/{d.day}"
        return v
    if not isinstance(v, int | float | Decimal):
        return v
    if not re.search(r"[0#?]", bare):
        return v
    try:
        num = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    except InvalidOperation:
        return v
    n = _decimals(bare)
    if "%" in bare:
        return f"{num * 100:.{n}f}%"
    text = f"{num:,.{n}f}" if "," in bare else f"{num:.{n}f}"
    prefix = literal if section.lstrip().startswith('"') else ""
    suffix = literal if not prefix else ""
    for sym in ("¥", "¥", "$"):
        if sym in bare.split("0")[0].split("#")[0]:
            prefix = sym + prefix
    return f"{prefix}{text}{suffix}"


def read_xlsx_for_notice(path: Path, sheet: str | None) -> tuple[list[list[Any]], str]:
    """Rows of display values; formulas without a saved result computed, or refused by cell."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # a damaged or mislabelled file
        raise UnreadableInput(f"无法读取文件“{path.name}”:{exc}") from exc
    try:
        names = wb.sheetnames
        if sheet and sheet not in names:
            raise UnreadableInput(f"文件“{path.name}”中没有工作表“{sheet}”(有:{'、'.join(names)})")
        ws = None
        for name in ([sheet] if sheet else names):
            cand = wb[name]
            if any(c.value not in (None, "") for row in cand.iter_rows() for c in row):
                ws = cand
                break
        if ws is None:
            raise UnreadableInput(f"文件“{path.name}”的所有工作表都是空的")
        values = [[c.value for c in row] for row in ws.iter_rows()]
        formats = [[c.number_format for c in row] for row in ws.iter_rows()]
        name = ws.title
    finally:
        wb.close()
    formulas = _formulas(path, name, values)
    _compute(path, name, values, formulas)
    return [[format_value(v, formats[r][c]) for c, v in enumerate(row)] for r, row in enumerate(values)], name


def _formulas(path: Path, sheet: str, values: list[list[Any]]) -> dict[tuple[int, int], str]:
    """Formula texts of the cells whose saved value is missing."""
    empty = {(r, c) for r, row in enumerate(values) for c, v in enumerate(row) if v is None}
    if not empty:
        return {}
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=False, data_only=False)
    try:
        ws = wb[sheet]
        return {(r, c): cell.value for r, row in enumerate(ws.iter_rows()) for c, cell in enumerate(row)
                if (r, c) in empty and isinstance(cell.value, str) and cell.value.startswith("=")}
    finally:
        wb.close()


def _compute(path: Path, sheet: str, values: list[list[Any]], formulas: dict[tuple[int, int], str]) -> None:
    failed: list[str] = []
    busy: set[tuple[int, int]] = set()

    def lookup(r: int, c: int) -> Any:
        if (r, c) in formulas and values[r][c] is None:
            solve(r, c)
        return values[r][c] if r < len(values) and c < len(values[r]) else None

    def solve(r: int, c: int) -> None:
        if (r, c) in busy:
            raise FormulaError("循环引用")
        busy.add((r, c))
        try:
            values[r][c] = evaluate(formulas[(r, c)], lookup)
        finally:
            busy.discard((r, c))

    for (r, c), f in formulas.items():
        if values[r][c] is not None:
            continue
        try:
            solve(r, c)
        except (FormulaError, ArithmeticError, ValueError, SyntaxError, TypeError):
            failed.append(f"{cell_name(r, c)}({f})")
    if failed:
        raise InputRejected(f"文件“{path.name}”工作表“{sheet}”中 {len(failed)} 个公式没有保存计算结果,"
                            f"也无法自动计算:{'、'.join(failed[:10])}。请在 WPS 或 Excel 中打开并保存一次后重试,"
                            "以免公示中出现空白的合计")
