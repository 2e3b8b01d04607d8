"""Which column is what: header words and cell content, scored together.

A synonym list always misses the next county's export, so every column of a payout list is
scored on both: its header (an exact synonym, a keyword such as 身份证 or 金额, or a word that
says "not this", such as 电话 or 银行名称) and a sample of its cells (valid GB 11643 IDs, 2–4
Han characters, money-shaped numbers, 16–19 digit accounts, village names this township
knows, group numbers, months, addresses). Fields are then given out greedily, strongest
first, with stated rules where two columns compete:

* amount: the paid amount (合计 / 实发 / 最终确定…总金额 / 发放总额) over 发放金额 / 补贴金额 over
  应发 over a standard or guarantee amount (户月保障金额, 标准);
* account: the 一卡通 / 社保卡 account over any other bank account;
* quantity: 保障人口 over 家庭人口 (persons paid for, not persons living there).

:func:`choose_columns` returns the mapping and a note for each competition it settled, so the
report can say which column became what. It reads at most ``SAMPLE`` rows: the import's
cost stays in the per-row loop of ``parse``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gkdesk.identity import CHECK_CODES
from gkdesk.payouts.places import PlaceFinder, parse_group_text
from gkdesk.sheets.header import SCAN_ROWS, HeaderMatch, normalise_header
from gkdesk.sheets.synonyms import FIELD_LABELS, PAYOUT_COLUMNS

SAMPLE = 200
_HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^[\u4e00-\u9fff]{1,8}[·•][\u4e00-\u9fff]{1,10}$")
_ORG = re.compile(r"^[\u4e00-\u9fff()()]{4,30}(合作社|公司|家庭农场|农场|种植场|协会|大户)$")
_DIGITS = re.compile(r"^\d{16,19}$")
_MONEY_TEXT = re.compile(r"^[¥￥]?\d{1,3}(,?\d{3})*(\.\d{1,2})?元?$|^[¥￥]?\d+(\.\d{1,2})?元?$")
_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-年./]\s*(\d{1,2})\s*月?份?$|^(\d{4})(0[1-9]|1[0-2])$|^(\d{1,2})月份?$")

# Header keywords: (substring, field, score). An exact synonym scores 10, a prefix synonym 9.
KEYWORDS: tuple[tuple[str, str, float], ...] = (
    ("身份证", "id_number", 6), ("身份号码", "id_number", 6), ("证件号码", "id_number", 5),
    ("一卡通", "account_number", 6), ("社保卡", "account_number", 6), ("账号", "account_number", 5),
    ("帐号", "account_number", 5), ("卡号", "account_number", 5), ("账户", "account_number", 4),
    ("帐户", "account_number", 4), ("折号", "account_number", 4),
    ("姓名", "name", 6), ("全称", "name", 5), ("户主", "name", 4), ("领款人", "name", 5), ("收款人", "name", 3),
    ("对象", "name", 3),
    ("合计", "amount", 5), ("金额", "amount", 5), ("总额", "amount", 5), ("资金", "amount", 4), ("津贴", "amount", 3),
    ("补贴", "amount", 2), ("补助", "amount", 2), ("费用", "amount", 3), ("救助金", "amount", 4), ("实发", "amount", 5),
    ("应发", "amount", 5),
    ("标准", "rate", 6), ("单价", "rate", 5), ("补差", "rate", 4),
    ("面积", "quantity", 6), ("亩", "quantity", 4), ("人口", "quantity", 5), ("人数", "quantity", 5),
    ("数量", "quantity", 5),
    ("月份", "month", 6), ("期号", "month", 5), ("发放月", "month", 6), ("所属期", "month", 5),
    ("村组", "village_group", 7), ("村社", "village_group", 5),
    ("村", "village", 4), ("社区", "village", 4),
    ("组", "group", 4),
    ("地址", "address", 6), ("住址", "address", 6),
    ("备注", "remark", 6),
)
# Header words of columns that are none of the fields (or would be taken for one wrongly).
IGNORE_WORDS = ("序号", "编号", "电话", "手机", "联系方式", "银行名称", "开户行", "开户银行", "网点", "户名", "账户名称",
                "帐户名称", "性别", "年龄", "民族", "人员类型", "原始类型", "最初", "收入", "分类施保", "所属省", "所属市",
                "所属区", "所属县", "所属街道", "所属乡镇", "乡镇", "出生", "关系", "与户主")
# Rank within a competition: higher wins (see the module docstring).
_AMOUNT_RANK = (("合计", 4), ("实发", 4), ("最终", 4), ("总金额", 4), ("发放总额", 4), ("发放金额", 3),
                ("补贴金额", 3), ("津贴", 3), ("救助金额", 3), ("补助金额", 3), ("金额", 2), ("应发", 1),
                ("保障金额", 0), ("标准", 0))
_ACCOUNT_RANK = (("一卡通", 2), ("社保卡", 2), ("社会保障卡", 2), ("惠农", 1))
_QUANTITY_RANK = (("保障人口", 2), ("保障人数", 2), ("享受人数", 2), ("面积", 2), ("家庭人口", 1))
RULES = {"amount": "实发/合计金额优先于标准或保障金额", "account_number": "一卡通(社保卡)账号优先于其他银行账号",
         "quantity": "保障人口优先于家庭人口", "name": "姓名列优先"}
ORDER = ("id_number", "name", "amount", "account_number", "village_group", "village", "group", "quantity", "rate",
         "month", "address", "remark")
_NORM_SYN = {f: [normalise_header(s) for s in names] for f, names in PAYOUT_COLUMNS.items()}


@dataclass
class ColumnChoice:
    """The columns of one sheet: field → column, the header text of each, and what was decided."""

    header_row: int  # 0-based index of the (last) header row; -1 for a list without a header
    columns: dict[str, int]
    labels: dict[str, str]
    notes: list[str] = field(default_factory=list)  # competitions settled by a rule, in words
    unsure: bool = False  # name or amount came from content alone, or nothing confirmed them
    first_row: int | None = None

    def as_header(self) -> HeaderMatch:
        return HeaderMatch(row=self.header_row, columns=dict(self.columns), labels=dict(self.labels),
                           first_row=self.first_row)


def _rank(text: str, table: tuple[tuple[str, int], ...]) -> int:
    for word, r in table:
        if word in text:
            return r
    return 1 if table is _ACCOUNT_RANK else 0


def header_scores(text: str) -> dict[str, float]:
    """Field → score from one header text (normalised)."""
    scores: dict[str, float] = {}
    if not text:
        return scores
    for f, names in _NORM_SYN.items():
        for i, n in enumerate(names):
            if text == n:
                scores[f] = max(scores.get(f, 0), 10 - i * 0.01)
            elif text.startswith(n) and text[len(n)] in "((【[":
                scores[f] = max(scores.get(f, 0), 9 - i * 0.01)
    ignored = any(w in text for w in IGNORE_WORDS) or ("证号" in text and "身份" not in text)
    if ignored and not scores:
        return {"_ignore": 10}
    for word, f, s in KEYWORDS:
        if word in text and scores.get(f, 0) < s:
            scores[f] = s
    return scores


def _is_id(v: Any) -> bool:
    if type(v) is not str:
        return False
    v = v.strip().upper()
    return len(v) == 18 and v[:17].isdigit() and v.isascii() and CHECK_CODES[int(v[:17], 13) * 2 % 11] == v[17]


def content_scores(values: list[Any], finder: PlaceFinder | None) -> dict[str, float]:
    """Field → score (0–8) from a column's sampled non-empty cells."""
    n = len(values)
    if not n:
        return {}
    ids = names = money = digits = places = groups = months = addr = small = 0
    for v in values:
        t = type(v)
        if t is float or t is int:
            money += 1
            if float(v).is_integer() and 1 <= v <= 60:
                small += 1
            continue
        if t is not str:
            continue
        s = v.strip()
        if _is_id(s):
            ids += 1
        elif _HAN_NAME.match(s) or _ORG.match(s):
            names += 1
        elif _DIGITS.match(s.replace(" ", "")):
            digits += 1
        elif _MONEY_TEXT.match(s):
            money += 1
        elif _MONTH_TEXT.match(s):
            months += 1
        if parse_group_text(s) is not None:
            groups += 1
        if finder is not None and finder.known:
            village, group, _n = finder.split(s)
            if village in finder.known:
                places += 1
                if group:
                    groups += 1
            elif len(s) > 6 and finder.in_text(s)[0]:
                addr += 1
    out = {"id_number": 8 * ids / n, "name": 4 * names / n, "account_number": 5 * digits / n,
           "amount": 2 * money / n, "rate": 1 * money / n, "quantity": 1 * money / n, "month": 4 * months / n,
           "group": 3 * max(groups - places, 0) / n + 1.0 * small / n}
    if places:
        out["village"] = 5 * places / n
        if groups >= places * 0.5:
            out["village_group"] = 6 * places / n
            out["village"] *= 0.5
    if addr:
        out["address"] = 4 * addr / n
    # Names of villages are 2–4 Han characters too: a column of known places is no name column.
    if places and out["name"]:
        out["name"] = max(0.0, out["name"] - 4 * places / n)
    return out


def header_texts(rows: Sequence[Sequence[Any]], header: HeaderMatch | None, width: int) -> list[str]:
    """Each column's header text (a two-row header: the lower text, else the upper)."""
    if header is None or header.row < 0:
        return [""] * width
    lo = [normalise_header(v) for v in rows[header.row]] if header.row < len(rows) else []
    up = [normalise_header(v) for v in rows[header.first_row]] if header.first_row is not None else []
    out = []
    for c in range(width):
        a = lo[c] if c < len(lo) else ""
        b = up[c] if c < len(up) else ""
        out.append(a or b)
    return out


def sample_rows(rows: Sequence[Sequence[Any]], start: int, limit: int = SAMPLE) -> list[Sequence[Any]]:
    out = []
    for r in rows[start:start + limit * 2]:
        if any(v not in ("", None) for v in r):
            out.append(r)
            if len(out) >= limit:
                break
    return out


def choose_columns(rows: Sequence[Sequence[Any]], header: HeaderMatch | None,
                   finder: PlaceFinder | None = None, partial: bool = False) -> ColumnChoice | None:
    """The best mapping of a sheet's columns under ``header`` (None: find where data starts).

    Returns None when no column looks like a name or no column like an amount (``partial``:
    whatever was found, for the window to show as guesses).
    """
    if header is None:
        header = find_data_start(rows)
        if header is None:
            return None
    start = header.row + 1
    sample = sample_rows(rows, start)
    width = max([len(r) for r in sample] + [len(rows[header.row]) if header.row >= 0 else 0] + [1])
    texts = header_texts(rows, header, width)
    per_col: list[dict[str, float]] = []
    hdr: list[dict[str, float]] = []
    for c in range(width):
        h = header_scores(texts[c])
        values = [r[c] for r in sample if c < len(r) and r[c] not in ("", None)]
        cs = content_scores(values, finder) if "_ignore" not in h else {}
        total = {f: h.get(f, 0) + cs.get(f, 0) for f in set(h) | set(cs) if f != "_ignore"}
        # Content alone must be convincing; a header word with no content agreeing is weak.
        per_col.append(total)
        hdr.append(h)
    columns: dict[str, int] = {}
    notes: list[str] = []
    taken: set[int] = set()
    content_only: set[str] = set()
    for f in ORDER:
        cands = [(c, per_col[c].get(f, 0)) for c in range(width) if c not in taken and per_col[c].get(f, 0) >= 3.5]
        if f in ("rate", "quantity", "month", "remark", "group", "address"):
            cands = [(c, s) for c, s in cands if hdr[c].get(f, 0) >= 4]  # never from content alone
        if f == "village" and "village_group" in columns:
            continue
        if f == "quantity":  # 补贴标准(元/亩) names the unit of an area, but it is the rate
            cands = [(c, s) for c, s in cands if "标准" not in texts[c] and "单价" not in texts[c]]
        if f == "rate":  # a standard next to the paid amount: only when the header says 标准
            cands = [(c, s) for c, s in cands if "标准" in texts[c] or "单价" in texts[c] or hdr[c].get(f, 0) >= 9]
        if not cands:
            continue
        table = {"amount": _AMOUNT_RANK, "account_number": _ACCOUNT_RANK, "quantity": _QUANTITY_RANK}.get(f)
        if table is not None and any(hdr[c].get(f, 0) >= 4 for c, _ in cands):
            headed = [(c, s) for c, s in cands if hdr[c].get(f, 0) >= 4]
            best = max(headed, key=lambda cs: (_rank(texts[cs[0]], table), cs[1]))
            others = [texts[c] for c, _ in headed if c != best[0] and texts[c]]
            if others and _rank(texts[best[0]], table) > min(_rank(texts[c], table) for c, _ in headed if c != best[0]):
                notes.append(f"{FIELD_LABELS[f]}取“{texts[best[0]]}”列,未取“{'”“'.join(others)}”({RULES[f]})")
        else:
            best = max(cands, key=lambda cs: (cs[1], -cs[0]))
        columns[f] = best[0]
        taken.add(best[0])
        if hdr[best[0]].get(f, 0) < 4:
            content_only.add(f)
    if "village_group" in columns and "village" in columns:
        del columns["village"]
    if ("name" not in columns or "amount" not in columns) and not partial:
        return None
    labels = {f: texts[c] or f"第{c + 1}列" for f, c in columns.items()}
    unsure = bool(content_only & {"name", "amount", "id_number"}) or header.row < 0 or len(columns) < 2 \
        or "amount" not in columns
    return ColumnChoice(header.row, columns, labels, notes, unsure, header.first_row)


def find_data_start(rows: Sequence[Sequence[Any]], scan: int = SCAN_ROWS) -> HeaderMatch | None:
    """A list whose header no synonym matched: the row above the first row with a valid ID
    (or a Han name and a number) is taken as its header."""
    for r, row in enumerate(rows[:scan]):
        has_id = any(_is_id(v) for v in row)
        has_name = any(type(v) is str and _HAN_NAME.match(v.strip()) for v in row)
        has_num = any(type(v) in (float, int) and not isinstance(v, bool) for v in row)
        if has_id or (has_name and has_num and r > 0):
            h = r - 1
            while h >= 0 and not any(v not in ("", None) for v in rows[h]):
                h -= 1
            return HeaderMatch(row=h, columns={}, labels={})
    return None
