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


def committee(village: str) -> str:
    return f"{village}{'居民委员会' if village.endswith('社区') else '村民委员会'}"


def _columns(mask: str) -> list[Column]:
    cols = [Column("序号", 0.6, "center"), Column("组", 1.0, "center"), Column("姓名", 1.3, "center")]
    if mask == MASK_ID_PARTIAL:
        cols.append(Column("身份证号", 2.4, "center"))
    cols += [Column("数量", 1.1, "right"), Column("标准", 1.3, "right"), Column("金额(元)", 1.3, "right")]
    return cols


def _qty_total(lines: list[PayoutLine]) -> str:
    units = {ln.unit for ln in lines if ln.quantity is not None}
    if len(units) != 1:
        return ""
    return plain(sum((ln.quantity for ln in lines if ln.quantity is not None), ZERO)) + units.pop()


def _row(n: int, ln: PayoutLine, mask: str, pattern: str) -> Row:
    cells = [str(n), ln.group, ln.name]
    if mask == MASK_ID_PARTIAL:
        cells.append(mask_id(ln.id_number, pattern))
    rate = f"{ln.rate:.2f}元/{ln.unit}" if ln.rate is not None and ln.unit else money(ln.rate)
    cells += [plain(ln.quantity) + (ln.unit if ln.quantity is not None else ""), rate, money(ln.amount)]
    return Row(cells, who=f"第{n}行 {ln.name}")


def _sum_row(first: str, group: str, mid: str, lines: list[PayoutLine], mask: str, kind: str) -> Row:
    total = sum((ln.amount for ln in lines), ZERO)
    cells = [first, group, f"{mid}{len(lines)}人"]
    if mask == MASK_ID_PARTIAL:
        cells.append("")
    cells += [_qty_total(lines), "", money(total)]
    return Row(cells, kind=kind)


def build_payout_notices(src: PayoutSheetSource, *, by_group: bool = False, mask: str = "none",
                         pattern: str = "first6last4", period: PostingPeriod | None = None) -> list[Notice]:
    """One notice for the village (subtotals per group), or one per 村民小组."""
    check_policy(mask)
    lines = sorted(src.lines, key=lambda ln: (ln.group_order, ln.group))
    blocks = [(g, list(items)) for g, items in groupby(lines, key=lambda ln: ln.group)]
    parts = [(g, items) for g, items in blocks] if by_group else [("", lines)]
    period_text = f"({src.period_label})" if src.period_label else ""
    notices = []
    for group, items in parts:
        rows: list[Row] = []
        n = 0
        groups = [(group, items)] if by_group else blocks
        for g, g_items in groups:
            for ln in g_items:
                n += 1
                rows.append(_row(n, ln, mask, pattern))
            if not by_group and len(blocks) > 1 and g:
                rows.append(_sum_row("", g, "小计", g_items, mask, ROW_SUBTOTAL))
        rows.append(_sum_row("合计", group, "共", items, mask, ROW_TOTAL))
        notices.append(Notice(
            title=f"{src.year}年{src.program}发放结果公示",
            township=src.township, village=src.village, group=group,
            info=[f"补贴项目:{src.program}    年度/期次:{src.year}年{period_text}    "
                  f"发放人数:{len(items)}人    发放金额:{money(sum((ln.amount for ln in items), ZERO))}元"],
            posting_line=period.describe() if period else BLANK_PERIOD_LINE,
            columns=_columns(mask), rows=rows, phones=list(src.phones),
            note="以上补贴发放结果予以公示。公示期内如有异议,请向村民委员会或乡镇人民政府反映,也可拨打监督电话。",
            seal_label=f"{committee(src.village)}(盖章)      {src.township}人民政府(盖章)",
        ))
    return notices
