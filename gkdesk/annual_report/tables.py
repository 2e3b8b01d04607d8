"""Tables 二, 三 and 四 of the 2021 format, their labels, and how the register fills them.

Table 三 has 25 numeric rows (the group rows （三）–（六） are labels over their numbered
sub-rows) and 7 columns; table 四 one row of 15 numbers. :func:`table3` and :func:`table4`
count the register for a year: new requests (received in the year), carried over (received
earlier, unanswered on 1 January), outcomes (replied in the year) and carried into the next
year (unanswered on 31 December). Table 二 holds what a township keeps no records of in this
program — every figure there is entered by hand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk.disclosure import labels as L
from gkdesk.models.disclosure import DisclosureAppeal, DisclosureRequest

# --- table 三 -------------------------------------------------------------------------------
T3_COLS: tuple[str, ...] = (*L.APPLICANT_TYPES, "total")
T3_COL_LABELS = {**L.APPLICANT_LABELS, L.AP_OTHER: "其他", "total": "总计"}
#: (key, label, numeric) in printed order; non-numeric rows are the group labels
T3_LAYOUT: list[tuple[str, str, bool]] = [
    ("new", "一、本年新收政府信息公开申请数量", True),
    ("carried", "二、上年结转政府信息公开申请数量", True),
    ("results", "三、本年度办理结果", False),
]
for _g, _label, _subs in L.OUTCOME_GROUPS:
    if not _subs:
        T3_LAYOUT.append((_g, _label, True))
    else:
        T3_LAYOUT.append((_g, _label, False))
        T3_LAYOUT += [(c, sub, True) for c, sub in _subs]
T3_LAYOUT += [("total", "（七）总计", True), ("carry_next", "四、结转下年度继续办理", True)]
T3_ROWS: tuple[str, ...] = tuple(k for k, _l, numeric in T3_LAYOUT if numeric)
T3_ROW_LABELS = {k: lab for k, lab, _n in T3_LAYOUT}
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
assert len(T3_ROWS) == 25

# --- table 四 -------------------------------------------------------------------------------
T4_BLOCKS = (L.AK_REVIEW, L.AK_SUIT_DIRECT, L.AK_SUIT_AFTER)
T4_BLOCK_LABELS = {L.AK_REVIEW: "行政复议", L.AK_SUIT_DIRECT: "未经复议直接起诉", L.AK_SUIT_AFTER: "复议后起诉"}
T4_COLS = (*L.APPEAL_RESULTS, "total")
T4_COL_LABELS = {**L.APPEAL_RESULT_LABELS, "total": "总计"}

# --- table 二 (hand-entered) ------------------------------------------------------------------
#: (key, block, row label, column label, decimal?)
T2_FIELDS: list[tuple[str, str, str, str, bool]] = [
    ("rules.issued", "第二十条第（一）项", "规章", "本年制发件数", False),
    ("rules.repealed", "第二十条第（一）项", "规章", "本年废止件数", False),
    ("rules.in_force", "第二十条第（一）项", "规章", "现行有效件数", False),
    ("normative.issued", "第二十条第（一）项", "行政规范性文件", "本年制发件数", False),
    ("normative.repealed", "第二十条第（一）项", "行政规范性文件", "本年废止件数", False),
    ("normative.in_force", "第二十条第（一）项", "行政规范性文件", "现行有效件数", False),
    ("license.decisions", "第二十条第（五）项", "行政许可", "本年处理决定数量", False),
    ("penalty.decisions", "第二十条第（六）项", "行政处罚", "本年处理决定数量", False),
    ("coercion.decisions", "第二十条第（六）项", "行政强制", "本年处理决定数量", False),
    ("fees.amount", "第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）", True),
]
T2_KEYS = tuple(k for k, *_ in T2_FIELDS)

Table3 = dict[str, dict[str, int]]
Table4 = dict[str, dict[str, int]]


def empty_table3() -> Table3:
    return {r: dict.fromkeys(T3_COLS, 0) for r in T3_ROWS}


def empty_table4() -> Table4:
    return {b: dict.fromkeys(T4_COLS, 0) for b in T4_BLOCKS}


def _received(r: DisclosureRequest) -> date:
    return r.received_on or r.arrived_on


def _requests(session: Session, township_id: str, year: int) -> list[DisclosureRequest]:
    q = select(DisclosureRequest).where(DisclosureRequest.township_id == township_id,
                                        DisclosureRequest.deleted_at.is_(None), DisclosureRequest.year <= year)
    return list(session.scalars(q))


def table3(session: Session, township_id: str, year: int) -> Table3:
    t = empty_table3()
    start = date(year, 1, 1)
    for r in _requests(session, township_id, year):
        got = _received(r)
        if got.year == year:
            row = "new"
        elif got < start and (r.replied_on is None or r.replied_on >= start):
            row = "carried"
        else:
            continue
        col = r.applicant_type if r.applicant_type in L.APPLICANT_TYPES else L.AP_OTHER
        t[row][col] += 1
        if r.replied_on is not None and r.replied_on.year == year and r.outcome in T3_ROWS:
            t[r.outcome][col] += 1
            t["total"][col] += 1
        else:
            t["carry_next"][col] += 1
    for counts in t.values():
        counts["total"] = sum(counts[c] for c in L.APPLICANT_TYPES)
    return t


def table4(session: Session, township_id: str, year: int) -> Table4:
    """Appeals filed in the year, with their result as it stood on 31 December."""
    t = empty_table4()
    end = date(year, 12, 31)
    q = (select(DisclosureAppeal).join(DisclosureRequest, DisclosureRequest.id == DisclosureAppeal.request_id)
         .where(DisclosureRequest.township_id == township_id, DisclosureAppeal.deleted_at.is_(None),
                DisclosureRequest.deleted_at.is_(None)))
    for a in session.scalars(q):
        if a.filed_on.year != year or a.kind not in T4_BLOCKS:
            continue
        result = a.result if a.decided_on is not None and a.decided_on <= end else L.AR_PENDING
        t[a.kind][result] += 1
        t[a.kind]["total"] += 1
    return t


def fees_collected(session: Session, township_id: str, year: int) -> tuple[int, Decimal]:
    """(requests charged, amount in 元) of 信息处理费 paid in the year (or, unpaid-dated, replied in it)."""
    n, total = 0, Decimal("0")
    for r in _requests(session, township_id, year):
        amount = Decimal(r.fee_amount or 0)
        day = r.fee_paid_on or r.replied_on
        if amount > 0 and day is not None and day.year == year:
            n += 1
            total += amount
    return n, total
