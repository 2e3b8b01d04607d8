"""Reading a payout list into validated rows: the hot path of ``gkdesk payouts import``.

One tight loop per sheet. Clean cells (numbers as floats, ASCII IDs) take a fast path
with no allocation beyond the output row; anything that needs normalising goes through
``gkdesk.sheets.normalise`` (and :mod:`gkdesk.payouts.cells`) and leaves a warning naming
sheet, row and column. Caches keyed by the raw cell value (village, group, month, birth
date) keep repeated values from being parsed twice. Nothing here touches the database.

The loop is the definition of what a row means. Blocks of 1,000 clean rows are taken column
by column instead (:mod:`gkdesk.payouts.clean_blocks`, ≈0.25 s per 100,000 rows against
≈0.35 s) when every check proves the loop would accept them as they are; any odd row sends
its block to the loop.

Around it: :mod:`gkdesk.payouts.plan` finds each sheet's header and columns first,
:mod:`gkdesk.payouts.rows` holds what comes out (the ``R_*`` row layout, ``ParsedList``).
The names of all three are re-exported here.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from itertools import count, repeat
from pathlib import Path
from typing import Any

from gkdesk.identity import CHECK_CODES, check_id
from gkdesk.payouts.cells import (
    _FEN,
    MAX_FEN,
    MAX_YUAN,
    _account,
    _birth_ok,
    _footerish,
    _is_footer,
    _number_text,
    _resolve_formulas,
    _shorten,
    _slow_id,
    _text_fen,
    _to_fen,
    _too_big,
)
from gkdesk.payouts.clean_blocks import BLOCK, CleanBlocks
from gkdesk.payouts.places import PlaceFinder
from gkdesk.payouts.plan import SheetPlan, _clean_village, plan_sheets
from gkdesk.payouts.rows import (
    R_ACCOUNT,
    R_FEN,
    R_GROUP,
    R_GROUP_NO,
    R_ID,
    R_MONTH,
    R_NAME,
    R_QTY,
    R_RATE,
    R_REMARK,
    R_ROW,
    R_SEQ,
    R_SHEET,
    R_VILLAGE,
    ParsedList,
    _normalised,
    _problem,
)
from gkdesk.sheets import normalise as nz
from gkdesk.sheets.reader import Sheet
from gkdesk.sheets.synonyms import FIELD_LABELS, TOTAL_WORDS

__all__ = [
    "MAX_FEN",
    "MAX_YUAN",
    "R_ACCOUNT",
    "R_FEN",
    "R_GROUP",
    "R_GROUP_NO",
    "R_ID",
    "R_MONTH",
    "R_NAME",
    "R_QTY",
    "R_RATE",
    "R_REMARK",
    "R_ROW",
    "R_SEQ",
    "R_SHEET",
    "R_VILLAGE",
    "_FEN",
    "ParsedList",
    "SheetPlan",
    "_clean_village",
    "parse_payout_sheets",
    "plan_sheets",
]

_WS = re.compile(r"[\s\u3000\u00a0]")
_NAME_BAD = re.compile(r"[\s\u3000\u00a0\uff01-\uff5e\x00-\x1f]")  # spaces, full-width ASCII, controls
_FW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FW[0x3000] = None
_TOTAL_FIRST = frozenset(w[0] for w in TOTAL_WORDS)
_TOTAL_OR_SPACE = _TOTAL_FIRST | {" "}
_FORMULA_START = frozenset("=+-@\t\r")
_NAME_FIRST_BAD = frozenset(_TOTAL_OR_SPACE | _FORMULA_START)
_LABEL_FIRST_BAD = frozenset(_TOTAL_FIRST | {" ", "\u3000"})
#: Clean blocks of rows are checked column by column (:mod:`gkdesk.payouts.clean_blocks`);
#: False makes every row go through the loop (the tests compare both ways).
CLEAN_BLOCKS = True
_PLACE_ENDINGS = ("村", "社区", "组", "社", "镇", "乡", "街道", "居", "队", "页", "本表")



class _Ctx:
    """State shared by all sheets of one list: duplicates, caches, totals."""

    def __init__(self, year: int, monthly: bool, default_month: str, today_key: str, known: Any = ()) -> None:
        self.finder = PlaceFinder(known)
        self.year = year
        self.monthly = monthly
        self.default_month = default_month
        self.today_key = today_key
        self.seen: dict[Any, tuple[str, int]] = {}  # rows checked by the loop: key -> (sheet, Excel row)
        # Rows taken by CleanBlocks: their keys only (a set is ≈5× cheaper to fill than ``seen``);
        # where each one was is looked up only when a person turns up twice.
        self.block_keys: set[Any] = set()
        self._blocks: list[tuple[str, int, Any]] = []  # (sheet, first Excel row, keys in row order)
        self._block_rows: dict[Any, tuple[str, int]] = {}
        self._indexed = 0
        self.birth_ok: dict[str, bool] = {}
        self.group_cache: dict[Any, tuple[str, int | None]] = {}
        self.month_cache: dict[Any, str | None] = {}
        self.village_cache: dict[Any, str] = {}
        self.float_text: dict[float, str] = {}

    def add_block(self, sheet: str, first_row: int, keys: Any, key_set: set[Any]) -> None:
        self.block_keys |= key_set
        self._blocks.append((sheet, first_row, keys))

    def first_in_blocks(self, key: Any) -> tuple[str, int]:
        """(sheet, Excel row) of a key a clean block took (see :attr:`block_keys`)."""
        for sheet, first_row, keys in self._blocks[self._indexed:]:
            self._block_rows.update(zip(keys, zip(repeat(sheet), count(first_row)), strict=False))  # count: endless
        self._indexed = len(self._blocks)
        return self._block_rows[key]


def parse_payout_sheets(sheets: list[Sheet], plans: list[SheetPlan], path: Path, *, year: int, monthly: bool,
                        default_month: str = "", today_key: str = "99999999", known: Any = (),
                        out: ParsedList | None = None) -> ParsedList:
    """Validate every row of the planned sheets. ``out`` may be given by a caller that
    watches its ``rows`` grow (the importer's early writer)."""
    out = out if out is not None else ParsedList(plans=plans)
    ctx = _Ctx(year, monthly, default_month, today_key, known)
    by_name = {s.name: s for s in sheets}
    resorted = False
    for plan in plans:
        sheet = by_name[plan.name]
        pending: list[int] = []
        totals = _parse_rows(sheet, plan, range(plan.header.row + 1, sheet.height), ctx, out, {}, pending)
        if pending:
            overrides = _resolve_formulas(sheet, plan, path, pending, out)
            _parse_rows(sheet, plan, sorted(overrides), ctx, out, overrides, [])
            resorted = True
        if totals:
            out.totals[plan.name] = totals
    if resorted:  # rows computed from formulas were appended after their sheet's other rows
        order = {p.name: i for i, p in enumerate(plans)}
        out.rows.sort(key=lambda r: (order[r[R_SHEET]], r[R_ROW]))
    out.flush_notes()
    return out



def _is_total(row: list[Any], label_cols: tuple[int, ...], suffix: bool) -> str | None:
    """The total word a row is labelled with: “合计”, “ 小 计”, and with ``suffix`` (a row
    without an ID, so no person) also “高桥村合计”, “一组小计”, “全镇总计” — a place before
    the word, so a person called 王小计 is still a person."""
    for c in label_cols:
        v = row[c]
        if type(v) is str and v and (suffix or v[0] in _TOTAL_FIRST or v[0] in " \u3000"):
            t = _WS.sub("", v)
            for w in TOTAL_WORDS:
                if t.startswith(w) or (suffix and t.endswith(w) and t[:-len(w)].endswith(_PLACE_ENDINGS)):
                    return w
    return None


def _quantity_text(v: Any, present: bool, ftext: dict[float, str], out: ParsedList, sheet: str, row: int,
                   label: str) -> str | None:
    """A quantity or rate as the text stored (None: no such column, or an empty cell); a plain
    number's text is remembered in ``ftext``, which only ever holds numbers inside ±1e9."""
    if type(v) is float and -1e9 < v < 1e9:
        text = ftext.get(v)
        if text is None:
            text = ftext[v] = nz.cell_text(v)
        return text
    return _number_text(v, out, sheet, row, label) if present else None


def _parts(sheet: Sheet, indexes: Any) -> Any:
    """The rows to check, in blocks (the unit of :class:`CleanBlocks`), each converted just
    before it is checked: a lazy sheet's first rows are checked — and stored by the early
    writer — while the rest are still to be converted (:class:`gkdesk.sheets.reader.Sheet`)."""
    if type(indexes) is not range:
        sheet.load()
        yield indexes
        return
    for lo in range(indexes.start, indexes.stop, BLOCK):
        hi = min(lo + BLOCK, indexes.stop)
        sheet.load(hi)
        yield range(lo, hi)


def _parse_rows(sheet: Sheet, plan: SheetPlan, indexes: Any, ctx: _Ctx, out: ParsedList,
                overrides: dict[int, Decimal], pending: list[int]) -> list[tuple[int, Any]]:
    """Validate rows; returns (row index, declared amount) of the sheet's 合计 rows.

    A 合计 row does not end the list: per-village blocks each end in one, and a row
    after it is a person like any other (skipping them lost people without a word).
    """
    cols = plan.header.columns
    labels = {f: plan.header.labels.get(f) or FIELD_LABELS[f] for f in FIELD_LABELS}
    width = max(cols.values()) + 1
    ci_v, ci_g, ci_n, ci_i = cols.get("village", cols.get("village_group")), cols.get("group"), cols["name"], \
        cols.get("id_number")
    ci_addr = cols.get("address") if ci_v is None else None
    split = ctx.finder.in_text if ci_addr is not None else ctx.finder.split
    vcache: dict[Any, tuple[str, str, int | None]] = {}  # raw cell -> split (no call per row on a hit)
    if ci_addr is not None:
        ci_v = ci_addr
    v_label = labels["village_group"] if "village_group" in cols else labels["address"] if ci_addr is not None \
        else labels["village"]
    ci_acc, ci_q, ci_r, ci_a = cols.get("account_number"), cols.get("quantity"), cols.get("rate"), cols["amount"]
    ci_m, ci_rem = cols.get("month"), cols.get("remark")
    label_cols = tuple(sorted({0, ci_n} | ({ci_v} if ci_v is not None else set())
                              | ({ci_g} if ci_g is not None else set())))
    sname = sheet.name
    rows = sheet.head(0)  # filled block by block by _parts
    seen, birth_ok, block_keys = ctx.seen, ctx.birth_ok, ctx.block_keys
    monthly, today_key, default_month = ctx.monthly, ctx.today_key, ctx.default_month
    group_cache, month_cache, ftext = ctx.group_cache, ctx.month_cache, ctx.float_text
    errs = out.errors
    fixed_village = plan.village
    village_first = ci_v == 0  # a 合计 label may sit in the village column
    add_row = out.rows.append
    totals: list[tuple[int, Any]] = []
    trailer = False  # after a 合计 or a signature line
    blocks = None
    if CLEAN_BLOCKS and not overrides and type(indexes) is range and ci_i is not None and len(indexes) > BLOCK:
        blocks = CleanBlocks(rows=rows, width=width, sheet=sname, out_rows=out.rows, cols=cols, village_col=ci_v,
                             split=split, vcache=vcache, fixed_village=fixed_village, label_cols=label_cols,
                             village_first=village_first, first_bad=_NAME_FIRST_BAD, label_first_bad=_LABEL_FIRST_BAD,
                             name_bad=_NAME_BAD, ctx=ctx)
    for part in _parts(sheet, indexes):
        if blocks is not None and blocks.take(part.start, part.stop):
            trailer = False  # as after any row of a person
            continue
        for r in part:
            row = rows[r]
            if len(row) < width:
                row = row + [""] * (width - len(row))
            excel_row = r + 1
            name_v = row[ci_n]
            amount_v = row[ci_a]
            id_v = row[ci_i] if ci_i is not None else ""
            q_v = row[ci_q] if ci_q is not None else ""
            if name_v == "" and amount_v == "" and id_v == "" and q_v == "":
                continue  # blank row (or only a merged village cell)
            if type(name_v) is not str or not name_v or name_v[0] in _TOTAL_OR_SPACE or village_first or id_v == "":
                word = _is_total(row, label_cols, id_v == "" or id_v is None)
                if word is not None:
                    if word in ("合计", "总计", "总合计", "共计"):
                        totals.append((r, amount_v))
                        trailer = True
                    continue
            if type(amount_v) is str and _footerish(amount_v) and _footerish(id_v) and (
                    (trailer and id_v == amount_v == "") or (_footerish(q_v) and _is_footer(row))):
                trailer = True  # signatures, dates, notes: what follows without ID or amount is more of them
                continue
            trailer = False
            errors_before = len(errs)
            # --- village (and the group a 村组 cell or an address names)
            vgroup: tuple[str, int | None] | None = None
            if fixed_village is not None:
                village = fixed_village
            else:
                raw = row[ci_v]
                hit = vcache.get(raw)
                if hit is None:
                    hit = vcache[raw] = split(raw)
                village, g_name, g_no = hit
                if g_name:
                    vgroup = (g_name, g_no)
                if not village:
                    _problem(out, sname, excel_row, v_label,
                             "地址中没有本乡镇已有的村(社区)名称:请导入时选择整个文件所属的村(社区)"
                             if ci_addr is not None else
                             "村(社区)为空:请在这一行填写村(社区)名称(只有 Excel 的合并单元格会自动向下填充;"
                             "CSV 等文件没有合并单元格,同一村的每一行都要写上村名)")
            # --- name
            if type(name_v) is str and name_v and name_v[0] not in _FORMULA_START and not _NAME_BAD.search(name_v):
                name = name_v
            elif type(name_v) is str and name_v.lstrip()[:1] in _FORMULA_START:
                name = ""
                _problem(out, sname, excel_row, labels["name"],
                         f"姓名“{_shorten(name_v)}”不是人名或单位名称(以 = + - @ 开头的内容会被表格软件当作公式执行),"
                         "请核对原表")
                name_v = "?"
            else:
                name = _WS.sub("", nz.cell_text(name_v).translate(_FW))
                if name and name != name_v:
                    _normalised(out, sname, excel_row, labels["name"], "已去除空格、全角字符已转为半角",
                                f"姓名“{name_v}”已规范为“{name}”")
            if not name and name_v != "?":
                _problem(out, sname, excel_row, labels["name"], "姓名为空")
            # --- ID number
            id_number = ""
            if ci_i is not None:
                if type(id_v) is str and len(id_v) == 18 and id_v.isascii() \
                        and (id_v.isdigit() or (id_v[17] == "X" and id_v[:17].isdigit())):
                    # ISO 7064 MOD 11-2: weight i is 2**(17-i) mod 11, and 13 ≡ 2 (mod 11), so reading
                    # the 17 digits in base 13 gives the weighted sum (÷2) mod 11 in one C call.
                    if CHECK_CODES[int(id_v[:17], 13) * 2 % 11] != id_v[17]:
                        _problem(out, sname, excel_row, labels["id_number"],
                                 check_id(id_v).error or f"身份证号“{id_v}”校验位错误")
                    else:
                        bk = id_v[6:14]
                        ok = birth_ok.get(bk)
                        if ok is None:
                            ok = birth_ok[bk] = bk <= today_key and _birth_ok(bk)
                        if ok:
                            id_number = id_v
                        else:
                            _problem(out, sname, excel_row, labels["id_number"],
                                     check_id(id_v).error or f"身份证号“{id_v}”中的出生日期无效")
                else:
                    id_number = _slow_id(id_v, out, sname, excel_row, labels["id_number"])
            # --- amount
            fen = None
            if overrides and r in overrides:
                fen = _to_fen(overrides[r], out, sname, excel_row, labels["amount"], amount_v)
            elif type(amount_v) is float:
                f100 = amount_v * 100
                if not -MAX_FEN < f100 < MAX_FEN:  # 1e20, inf from 1e400, nan
                    _problem(out, sname, excel_row, labels["amount"], _too_big(amount_v))
                else:
                    fen = round(f100)
                    if abs(f100 - fen) > 1e-6:
                        fen = _to_fen(Decimal(repr(amount_v)), out, sname, excel_row, labels["amount"], amount_v)
            elif type(amount_v) is int:
                fen = amount_v * 100
                if not -MAX_FEN < fen < MAX_FEN:
                    _problem(out, sname, excel_row, labels["amount"], _too_big(amount_v))
                    fen = None
            elif amount_v == "" or amount_v is None:
                if errors_before == len(errs) and not overrides:
                    pending.append(r)
                    continue
                _problem(out, sname, excel_row, labels["amount"], "补贴金额为空")
            else:
                fen = _text_fen(amount_v, out, sname, excel_row, labels["amount"])
            if fen is not None and fen < 0:
                _problem(out, sname, excel_row, labels["amount"], f"补贴金额为负数({nz.cell_text(amount_v)})")
            # --- quantity and rate
            qty = _quantity_text(q_v, ci_q is not None, ftext, out, sname, excel_row, labels["quantity"])
            rate_v = row[ci_r] if ci_r is not None else None
            rate = _quantity_text(rate_v, ci_r is not None, ftext, out, sname, excel_row, labels["rate"])
            if qty is not None and rate is not None and fen is not None:
                expected = Decimal(qty) * Decimal(rate) * 100 if type(q_v) is not float or type(row[ci_r]) is not float \
                    else q_v * row[ci_r] * 100
                if abs(expected - fen) > 1 + 1e-6:
                    exp_yuan = (Decimal(str(expected)) / 100).quantize(_FEN, ROUND_HALF_UP)
                    msg = f"补贴金额{Decimal(fen) / 100:.2f}与数量{qty}×标准{rate}={exp_yuan}相差超过0.01元"
                    _problem(out, sname, excel_row, labels["amount"], msg)
                    out.doubts.append(("金额与数量×标准不符", msg, name, id_number, fen, sname, excel_row))
            # --- group, month, account, remark
            group_name, group_no = vgroup if vgroup is not None else ("", None)
            if ci_g is not None:
                gv = row[ci_g]
                if gv != "" and gv is not None:
                    g = group_cache.get(gv)
                    if g is None:
                        g = group_cache[gv] = nz.parse_group(gv)
                    group_name, group_no = g
            month = default_month
            if ci_m is not None and row[ci_m] not in ("", None):
                mv = row[ci_m]
                m = month_cache.get(mv, "?")
                if m == "?":
                    m = month_cache[mv] = nz.parse_month(mv, ctx.year)
                if m is None:
                    _problem(out, sname, excel_row, labels["month"], f"发放月份“{nz.cell_text(mv)}”无法识别")
                else:
                    month = m
            elif monthly and not month:
                _problem(out, sname, excel_row, labels["month"], "按月发放的项目需要发放月份(文件中的“发放月份”列,或导入时填写的期次)")
            account = row[ci_acc] if ci_acc is not None else ""
            if type(account) is not str or (not (account.isascii() and account.isdigit()) and account):
                account = _account(account, out, sname, excel_row, labels["account_number"])
            remark = row[ci_rem] if ci_rem is not None else ""
            if type(remark) is not str:
                remark = nz.cell_text(remark)
            # --- duplicates (only rows that are otherwise valid take part)
            if id_number:
                key = (id_number, month) if monthly else id_number
                first = seen.get(key)
                if first is None and key in block_keys:
                    first = ctx.first_in_blocks(key)
                if first is not None:
                    where = f"工作表“{first[0]}”第{first[1]}行" if first[0] != sname else f"第{first[1]}行"
                    what = f"在{month}已出现" if monthly else "已出现"
                    msg = f"同一人(身份证号{id_number})在本清册中重复,{what}于{where}"
                    _problem(out, sname, excel_row, labels["id_number"], msg)
                    out.doubts.append(("同一名单重复", f"同一人在本清册中重复,{what}于{where}", name, id_number, fen,
                                       sname, excel_row))
                else:
                    seen[key] = (sname, excel_row)
            if len(errs) != errors_before:
                continue
            add_row([village, group_name, group_no, name, id_number, account, qty, rate, fen, month, remark,
                     sname, excel_row, None])
    return totals


