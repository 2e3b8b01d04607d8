"""Formulas saved without cached values (written by scripts, openpyxl, some exporters).

python-calamine reads such cells as empty. For .xlsx we look up the formula text with
openpyxl — only for the rows concerned, so the fast path stays fast — and compute the
simple ones clerks use: ``=G4*H4``, ``=ROUND(G4*H4,2)``, ``=SUM(I4:I20)``, ``+ - * /``
over cells and numbers. Anything else is refused by the caller, naming the cells: an
amount is never stored as empty.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
_RANGE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)")
_SUM = re.compile(r"SUM\(([^()]*)\)")


class FormulaError(ValueError):
    pass


def col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        s = chr(65 + rem) + s
    return s


def cell_name(row0: int, col0: int) -> str:
    return f"{col_letters(col0)}{row0 + 1}"


def read_formulas(path: Path, sheet: str, rows0: set[int]) -> dict[tuple[int, int], str]:
    """Formula texts in the given 0-based rows of an .xlsx sheet (empty for other formats)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not rows0:
        return {}
    from openpyxl import load_workbook

    from gkdesk.errors import UnreadableInput
    from gkdesk.sheets.guard import check_workbook

    check_workbook(path)  # openpyxl must never see a bomb or a DTD either
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises a dozen types for damaged parts
        raise UnreadableInput(f"无法读取文件“{path.name}”中的公式:文件内容异常({type(exc).__name__}),"
                              "请在 Excel/WPS 中打开并另存为 .xlsx 后再导入") from exc
    try:
        ws = wb[sheet]
        out: dict[tuple[int, int], str] = {}
        lo, hi = min(rows0), max(rows0)
        for r, row in enumerate(ws.iter_rows(min_row=lo + 1, max_row=hi + 1, values_only=True), start=lo):
            if r not in rows0:
                continue
            for c, v in enumerate(row):
                if isinstance(v, str) and v.startswith("="):
                    out[(r, c)] = v
        return out
    finally:
        wb.close()


Lookup = Callable[[int, int], Any]


def evaluate(formula: str, lookup: Lookup) -> Decimal:
    """Compute a simple formula; ``lookup(row0, col0)`` gives a cell's value (Decimal-able or None)."""
    expr = formula.lstrip("=").upper().replace(" ", "")

    def value(letters: str, digits: str) -> Decimal:
        v = lookup(int(digits) - 1, col_index(letters))
        if v is None or v == "":
            return Decimal(0)
        try:
            return v if isinstance(v, Decimal) else Decimal(repr(v) if isinstance(v, float) else str(v))
        except InvalidOperation:
            raise FormulaError(f"{letters}{digits} 不是数字") from None

    def sum_range(m: re.Match[str]) -> str:
        total = Decimal(0)
        for part in m.group(1).split(","):
            rm = _RANGE.fullmatch(part)
            if rm:
                c0, c1 = sorted((col_index(rm.group(1)), col_index(rm.group(3))))
                r0, r1 = sorted((int(rm.group(2)), int(rm.group(4))))
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        total += value(_col(c), str(r))
            else:
                total += _eval(ast.parse(_REF.sub(lambda x: f"D('{value(x.group(1), x.group(2))}')", part),
                                         mode="eval").body)
        return f"D('{total}')"

    expr = _SUM.sub(sum_range, expr)
    expr = _REF.sub(lambda m: f"D('{value(m.group(1), m.group(2))}')", expr)
    try:
        tree = ast.parse(expr, mode="eval")
    except SyntaxError:
        raise FormulaError(f"无法计算的公式 {formula}") from None
    return _eval(tree.body)


def _col(index: int) -> str:
    return col_letters(index)


def _eval(node: ast.AST) -> Decimal:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return Decimal(repr(node.value))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "D" and len(node.args) == 1 and isinstance(node.args[0], ast.Constant):
            return Decimal(node.args[0].value)
        if node.func.id == "ROUND" and len(node.args) == 2:
            places = int(_eval(node.args[1]))
            return _eval(node.args[0]).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        v = _eval(node.operand)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        a, b = _eval(node.left), _eval(node.right)
        if isinstance(node.op, ast.Add):
            return a + b
        if isinstance(node.op, ast.Sub):
            return a - b
        if isinstance(node.op, ast.Mult):
            return a * b
        if b == 0:
            raise FormulaError("公式中除数为 0")
        return a / b
    raise FormulaError("公式含有不支持的函数或运算")
