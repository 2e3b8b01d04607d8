"""Checking and converting single cells of a payout row when the fast path in
:mod:`gkdesk.payouts.parse` cannot: IDs needing repair, amounts as text or with more than
two decimals, numbers kept as text, accounts, footer lines, and amounts saved as formulas
without a result. Each problem names sheet, row and column.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from gkdesk.identity import check_id
from gkdesk.payouts.plan import SheetPlan
from gkdesk.payouts.rows import ParsedList, _normalised, _problem
from gkdesk.sheets import normalise as nz
from gkdesk.sheets.formulas import FormulaError, cell_name, evaluate, read_formulas
from gkdesk.sheets.reader import Sheet
from gkdesk.sheets.synonyms import FOOTER_WORDS

_FEN = Decimal("0.01")
MAX_YUAN = Decimal(10) ** 9  # no single payout row reaches 1,000,000,000 yuan
MAX_FEN = 10 ** 11


def _birth_ok(yyyymmdd: str) -> bool:
    try:
        date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return yyyymmdd >= "18500101"


def _is_footer(row: list[Any]) -> bool:
    return any(type(v) is str and v and any(w in v for w in FOOTER_WORDS) for v in row)


def _footerish(v: Any) -> bool:
    """Empty, or a signature/date/note text (a footer line runs across the data columns)."""
    return v == "" or v is None or (type(v) is str and any(w in v for w in FOOTER_WORDS))


def _slow_id(v: Any, out: ParsedList, sheet: str, row: int, label: str) -> str:
    if v is None or v == "":
        _problem(out, sheet, row, label, "身份证号为空")
        return ""
    if isinstance(v, float | int) and not isinstance(v, bool) and not (v == int(v) and len(str(int(v))) == 15):
        _problem(out, sheet, row, label, f"身份证号以数字形式保存(显示为{float(v):.14E}),Excel 只保留15位有效数字,"
                                         "号码已损坏;请将该列设为文本格式并重新录入")
        return ""
    text, changed = nz.clean_code(nz.cell_text(v))  # a 15-digit old ID as a number is intact
    res = check_id(text)
    if res.number is None:
        _problem(out, sheet, row, label, res.error or "身份证号无效")
        return ""
    if res.upgraded:
        _normalised(out, sheet, row, label, "15位身份证号已升级为18位", f"15位身份证号“{text}”已升级为18位“{res.number}”")
    elif changed:
        _normalised(out, sheet, row, label, "全角字符已转为半角、空格已去除、小写x已改为X",
                    f"身份证号“{v}”已规范为“{res.number}”")
    return res.number


def _too_big(v: Any) -> str:
    return f"补贴金额“{_shorten(nz.cell_text(v))}”超出合理范围(单行不超过10亿元),请核对原表"


def _shorten(text: str, n: int = 24) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _to_fen(d: Decimal, out: ParsedList, sheet: str, row: int, label: str, raw: Any) -> int | None:  # type: ignore[return]
    if not d.is_finite() or abs(d) >= MAX_YUAN:
        _problem(out, sheet, row, label, _too_big(raw))
        return None
    q = d.quantize(_FEN, ROUND_HALF_UP)
    if q != d:
        _normalised(out, sheet, row, label, "金额已按四舍五入取到分", f"补贴金额{nz.cell_text(raw)}已按四舍五入取为{q}")
    return int(q * 100)


def _text_fen(v: Any, out: ParsedList, sheet: str, row: int, label: str) -> int | None:
    try:
        d, changed = nz.parse_decimal(v)
    except ValueError:
        _problem(out, sheet, row, label, f"补贴金额“{v}”不是数字")
        return None
    if d is None:
        _problem(out, sheet, row, label, "补贴金额为空")
        return None
    if changed:
        _normalised(out, sheet, row, label, "文字形式的金额已按数字读取", f"补贴金额“{v}”已按数字{d}读取")
    return _to_fen(d, out, sheet, row, label, d)


def _number_text(v: Any, out: ParsedList, sheet: str, row: int, label: str) -> str | None:
    t = type(v)
    if (t is float or t is int) and not -1e9 < v < 1e9:
        _problem(out, sheet, row, label, f"“{_shorten(nz.cell_text(v))}”超出合理范围,请核对原表")
        return None
    if t is float:
        return str(int(v)) if v.is_integer() else repr(v)
    if t is int:
        return str(v)
    if v == "" or v is None:
        return None
    try:
        d, changed = nz.parse_decimal(v)
    except ValueError:
        _problem(out, sheet, row, label, f"“{v}”不是数字")
        return None
    if d is not None and (not d.is_finite() or abs(d) >= MAX_YUAN):
        _problem(out, sheet, row, label, f"“{_shorten(str(v))}”超出合理范围,请核对原表")
        return None
    if d is not None and d < 0:
        _problem(out, sheet, row, label, f"{label}为负数({v})")
    if changed and d is not None:
        _normalised(out, sheet, row, label, "文字形式的数字已按数字读取", f"“{v}”已按数字{d}读取")
    return None if d is None else format(d, "f")


def _account(v: Any, out: ParsedList, sheet: str, row: int, label: str) -> str:
    if type(v) is str:
        if v.isascii() and v.isdigit():
            return v
        text, changed = nz.clean_code(v)
        if changed and text:
            _normalised(out, sheet, row, label, "全角字符已转为半角、空格已去除", f"账号“{v}”已规范为“{text}”")
        return text
    if v is None or v == "":
        return ""
    if isinstance(v, float) and abs(v) >= 1e15:
        _problem(out, sheet, row, label, f"账号以数字形式保存({nz.cell_text(v)}),超过15位的数字已被 Excel 截断;请将该列设为文本格式并重新录入")
        return ""
    return nz.cell_text(v)


def _resolve_formulas(sheet: Sheet, plan: SheetPlan, path: Path, pending: list[int], out: ParsedList) -> dict[int, Decimal]:
    """Compute amounts saved as formulas without results; refuse (naming the cells) otherwise."""
    ci_a = plan.header.columns["amount"]
    label = plan.header.labels.get("amount") or "补贴金额"
    formulas = read_formulas(path, sheet.name, set(pending))
    rows = sheet.rows

    def lookup(r0: int, c0: int) -> Any:
        return rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None

    done: dict[int, Decimal] = {}
    for r in pending:
        f = formulas.get((r, ci_a))
        cell = cell_name(r, ci_a)
        if f is None:
            _problem(out, sheet.name, r + 1, label, "补贴金额为空")
            continue
        try:
            done[r] = evaluate(f, lookup)
            _problem(out, sheet.name, r + 1, label, f"单元格{cell}的公式{f}没有保存计算结果,已按公式算得{done[r]}", False)
        except FormulaError as exc:
            _problem(out, sheet.name, r + 1, label,
                     f"单元格{cell}的公式{f}没有保存计算结果且无法计算({exc.args[0]}):请在 Excel 中打开、保存后再导入")
    return done
