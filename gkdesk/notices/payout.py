"""惠民惠农补贴发放结果公示: from payout lines to notice sheets.

The builder takes plain :class:`PayoutLine` values (filled from the payout tables by
:mod:`gkdesk.notices.sources`) and applies the masking policy here, so a full ID or
account number never reaches the renderer: ``PayoutLine`` has no account field at
all, and the ID is only ever copied out in masked form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from gkdesk.notices.masking import MASK_ID_PARTIAL, check_policy, mask_id
from gkdesk.notices.period import BLANK_PERIOD_LINE, PostingPeriod
from gkdesk.notices.render import ROW_SUBTOTAL, ROW_TOTAL, Column, Notice, Row

ZERO = Decimal("0")


def money(d: Decimal | None) -> str:
    return "" if d is None else f"{d:.2f}"


def plain(d: Decimal | None) -> str:
    """3.50 → 3.5, 2 → 2 (quantities print without trailing zeros)."""
    if d is None:
        return ""
    s = f"{d:f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


@dataclass
class PayoutLine:
    name: str
    amount: Decimal
    group: str = ""  # e.g. 第三组
    group_order: int = 0
    quantity: Decimal | None = None
    unit: str = ""  # 亩 / 人 / 头 …
    rate: Decimal | None = None
    id_number: str = ""  # full ID: used only to print the masked form under id-partial


@dataclass
class PayoutSheetSource:
    """One village's part of one payout batch."""

    township: str
    village: str
    program: str
    year: int
    period_label: str = ""  # e.g. 第1期 / 2026年度
    lines: list[PayoutLine] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    village_id: str | None = None
    group_ids: dict[str, str] = field(default_factory=dict)  # group label → VillageGroup.id
    source_ref: str = ""
    # A household list (户主 + 家庭人口/保障人口): lines are households, the name column is
    # headed 户主 and the quantity column, headed ``persons_label``, counts their persons.
    household: bool = False
    persons_label: str = ""


def committee(village: str) -> str:
    return f"{village}{'居民委员会' if village.endswith('社区') else '村民委员会'}"


# When the paper is too narrow even at the smallest type, 标准 (the same for most lines
# and stated by the program) goes first, then 数量; 序号, 组, 姓名, the ID and the amount stay.
OPTIONAL_ORDER = {"标准": 1, "数量": 2}


def _columns(mask: str, with_group: bool, persons_label: str = "") -> list[Column]:
    """The notice's columns; ``persons_label`` set = a household list (户主, persons counted).

    A household list's persons column is as essential as the amount (the 保障人口 is what
    the 低保 amount rests on), so it is never the one left out for width."""
    cols = [Column("序号", 0.6, "center")]
    if with_group:
        cols.append(Column("组", 1.0, "center"))
    cols.append(Column("户主" if persons_label else "姓名", 1.3, "center"))
    if mask == MASK_ID_PARTIAL:
        cols.append(Column("身份证号", 2.4, "center"))
    qty = Column(persons_label, 1.1, "right") if persons_label else Column("数量", 1.1, "right", OPTIONAL_ORDER["数量"])
    cols += [qty, Column("标准", 1.3, "right", OPTIONAL_ORDER["标准"]), Column("金额(元)", 1.3, "right")]
    return cols


def _qty_total(lines: list[PayoutLine]) -> str:
    units = {ln.unit for ln in lines if ln.quantity is not None}
    if len(units) != 1:
        return ""
    return plain(sum((ln.quantity for ln in lines if ln.quantity is not None), ZERO)) + units.pop()


def _row(n: int, ln: PayoutLine, mask: str, pattern: str, with_group: bool) -> Row:
    cells = [str(n)] + ([ln.group] if with_group else []) + [ln.name]
    if mask == MASK_ID_PARTIAL:
        cells.append(mask_id(ln.id_number, pattern))
    rate = f"{ln.rate:.2f}元/{ln.unit}" if ln.rate is not None and ln.unit else money(ln.rate)
    cells += [plain(ln.quantity) + (ln.unit if ln.quantity is not None else ""), rate, money(ln.amount)]
    return Row(cells, who=f"第{n}行 {ln.name}")


def _sum_row(first: str, group: str, mid: str, lines: list[PayoutLine], mask: str, kind: str,
             with_group: bool, per: str = "人") -> Row:
    total = sum((ln.amount for ln in lines), ZERO)
    cells = [first] + ([group] if with_group else []) + [f"{mid}{len(lines)}{per}"]
    if mask == MASK_ID_PARTIAL:
        cells.append("")
    cells += [_qty_total(lines), "", money(total)]
    return Row(cells, kind=kind)


def build_payout_notices(src: PayoutSheetSource, *, by_group: bool = False, mask: str = "none",
                         pattern: str = "first6last4", period: PostingPeriod | None = None) -> list[Notice]:
    """One notice for the village (subtotals per group), or one per 村民小组.

    Lines keep the order of the clerk's list: groups in the order they first appear
    there (a group without a number is not moved to the front), people in list order
    within each group, so 序号 matches the list on the desk. A village without groups
    gets no 组 column; a sheet per group does not repeat its group on every line.
    """
    check_policy(mask)
    first_seen: dict[str, int] = {}
    for k, ln in enumerate(src.lines):
        first_seen.setdefault(ln.group, k)
    lines = sorted(src.lines, key=lambda ln: first_seen[ln.group])  # stable: list order within a group
    blocks = [(g, list(items)) for g, items in groupby(lines, key=lambda ln: ln.group)]
    with_group = not by_group and any(g for g, _ in blocks)
    parts = [(g, items) for g, items in blocks] if by_group else [("", lines)]
    period_text = f"({src.period_label})" if src.period_label else ""
    persons = (src.persons_label or "人数") if src.household else ""
    per = "户" if src.household else "人"
    notices = []
    for group, items in parts:
        rows: list[Row] = []
        n = 0
        groups = [(group, items)] if by_group else blocks
        for g, g_items in groups:
            for ln in g_items:
                n += 1
                rows.append(_row(n, ln, mask, pattern, with_group))
            if not by_group and len(blocks) > 1 and g:
                rows.append(_sum_row("", g, "小计", g_items, mask, ROW_SUBTOTAL, with_group, per))
        rows.append(_sum_row("合计", group, "共", items, mask, ROW_TOTAL, with_group, per))
        rates = {(ln.rate, ln.unit) for ln in items}
        rate_note = ""
        if len(rates) == 1 and items[0].rate is not None and items[0].unit:
            rate_note = f"    补贴标准:{items[0].rate:.2f}元/{items[0].unit}"  # kept when the 标准 column is left out
        if src.household:
            counted = _qty_total(items)
            who = f"发放户数:{len(items)}户" + (f"    {persons}:{counted}" if counted else "")
        else:
            who = f"发放人数:{len(items)}人"
        notices.append(Notice(
            title=f"{src.year}年{src.program}发放结果公示",
            township=src.township, village=src.village, group=group,
            info=[f"补贴项目:{src.program}    年度/期次:{src.year}年{period_text}    "
                  f"{who}    发放金额:{money(sum((ln.amount for ln in items), ZERO))}元{rate_note}"],
            posting_line=period.describe() if period else BLANK_PERIOD_LINE,
            columns=_columns(mask, with_group, persons), rows=rows, phones=list(src.phones),
            note="以上补贴发放结果予以公示。如有异议,请在公示期内向村民委员会或乡镇人民政府反映。",
            seal_label=f"{committee(src.village)}(盖章)      {src.township}人民政府(盖章)",
        ))
    return notices
