"""Totals the file declares, checked against its rows: 合计 rows and the 汇总 sheet of a
one-sheet-per-village workbook. Mismatches are warnings naming the cell."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gkdesk.payouts.parse import (
    _FEN,
    R_FEN,
    R_ROW,
    R_SHEET,
    R_VILLAGE,
    ParsedList,
    SheetPlan,
    _clean_village,
)
from gkdesk.result import Problem
from gkdesk.sheets import normalise as nz
from gkdesk.sheets.header import find_header_rows
from gkdesk.sheets.reader import Sheet
from gkdesk.sheets.synonyms import PAYOUT_COLUMNS, SUMMARY_SHEET_WORDS, TOTAL_WORDS


def check_summary(sheets: list[Sheet], plans: list[SheetPlan], skipped: list[str], out: ParsedList) -> None:
    """A workbook of one sheet per village usually has a 汇总 sheet: compare its per-village
    amounts with what the village sheets add up to, and warn (naming the cell) where they differ."""
    villages = {p.village for p in plans if p.village}
    if not villages:
        return
    by_village: dict[str, int] = {}
    for r in out.rows:
        by_village[r[R_VILLAGE]] = by_village.get(r[R_VILLAGE], 0) + r[R_FEN]
    spec = {"village": PAYOUT_COLUMNS["village"], "amount": PAYOUT_COLUMNS["amount"]}
    for sheet in sheets:
        if sheet.name not in skipped or not any(w in sheet.name for w in SUMMARY_SHEET_WORDS):
            continue
        match = find_header_rows(sheet.rows, spec, ("village", "amount"))
        if match is None:
            continue
        cv, ca = match.columns["village"], match.columns["amount"]
        label = match.labels.get("amount") or "补贴金额"
        for r in range(match.row + 1, len(sheet.rows)):
            row = sheet.rows[r]
            if max(cv, ca) >= len(row):
                continue
            village = _clean_village(row[cv])
            if not village or any(village.startswith(w) for w in TOTAL_WORDS):
                continue
            try:
                d, _ = nz.parse_decimal(row[ca])
            except ValueError:
                continue
            if d is None:
                continue
            if village not in villages:
                out.warnings.append(Problem(f"汇总表列出“{village}”{d.quantize(_FEN)}元,但文件中没有该村的工作表",
                                            sheet.name, r + 1, label))
                continue
            actual = by_village.get(village, 0)
            if int(d.quantize(_FEN) * 100) != actual:
                out.warnings.append(Problem(
                    f"汇总表中“{village}”{d.quantize(_FEN)}元与该村工作表逐行相加{Decimal(actual) / 100:.2f}元不一致",
                    sheet.name, r + 1, label))


def check_totals(plans: list[SheetPlan], out: ParsedList) -> None:
    """Each 合计 row must equal the rows of its block (since the previous 合计) or all rows above it."""
    for plan in plans:
        totals = out.totals.get(plan.name)
        if totals:
            _check_sheet_totals(plan, totals, out)


def _check_sheet_totals(plan: SheetPlan, totals: list[tuple[int, Any]], out: ParsedList) -> None:
    name = plan.name
    mine = [(row[R_ROW], row[R_FEN]) for row in out.rows if row[R_SHEET] == name] if len(totals) > 1 else None
    bad_rows = [r for (s, r) in out.error_rows if s == plan.name]
    previous = 0  # Excel row of the previous 合计
    for r, declared in totals:
        start, previous = previous, r + 1
        if declared in ("", None):
            continue
        try:
            d, _ = nz.parse_decimal(declared)
        except ValueError:
            continue
        if d is None:
            continue
        declared_fen = int(d.quantize(_FEN) * 100)
        if mine is None:  # one 合计 row (the usual list): everything above it is its block
            above = block = sum(row[R_FEN] for row in out.rows if row[R_ROW] <= r and row[R_SHEET] == name)
        else:
            above = sum(f for row, f in mine if row <= r)
            block = sum(f for row, f in mine if start < row <= r)
        if declared_fen in (above, block):
            continue
        bad = sum(1 for row in bad_rows if row <= r)
        extra = f"(另有{bad}行有错误未计入)" if bad else ""
        out.warnings.append(Problem(f"表中合计{d.quantize(_FEN)}元与逐行相加{Decimal(above) / 100:.2f}元不一致{extra}",
                                    plan.name, r + 1, plan.header.labels.get("amount")))
