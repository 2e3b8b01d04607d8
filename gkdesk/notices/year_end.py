"""年度惠民惠农补贴汇总公示: one line per person, an amount per program, a total."""

from __future__ import annotations

from decimal import Decimal

from gkdesk.notices.payout import committee, money
from gkdesk.notices.period import BLANK_PERIOD_LINE, PostingPeriod
from gkdesk.notices.render import ROW_TOTAL, Column, Notice, Row
from gkdesk.notices.sources import YearEndSource

ZERO = Decimal("0")


def build_year_end_notice(src: YearEndSource, period: PostingPeriod | None = None) -> Notice:
    progs = src.programs
    with_group = any(p.group for p in src.people)  # a village without groups gets no empty 组 column
    # 组 is the one column that may go when the paper is too narrow (every program and the total stay)
    cols = [Column("序号", 0.6, "center")] + ([Column("组", 1.0, "center", optional=1)] if with_group else [])
    cols.append(Column("姓名", 1.3, "center"))
    cols += [Column(p, 1.4, "right") for p in progs]
    cols.append(Column("合计(元)", 1.3, "right"))
    rows = []
    totals = dict.fromkeys(progs, ZERO)
    for n, person in enumerate(src.people, start=1):
        cells = [str(n)] + ([person.group] if with_group else []) + [person.name]
        for p in progs:
            amt = person.amounts.get(p)
            cells.append(money(amt) if amt is not None else "")
            totals[p] += amt or ZERO
        cells.append(money(sum(person.amounts.values(), ZERO)))
        rows.append(Row(cells, who=f"第{n}行 {person.name}"))
    grand = sum(totals.values(), ZERO)
    rows.append(Row(["合计"] + ([""] if with_group else []) + [f"共{len(src.people)}人"] + [money(totals[p]) for p in progs] + [money(grand)],
                    kind=ROW_TOTAL))
    return Notice(
        title=f"{src.village}{src.year}年度惠民惠农财政补贴资金发放情况公示",
        township=src.township, village=src.village,
        info=[f"年度:{src.year}年    补贴项目:{len(progs)}项    补贴对象:{len(src.people)}人    "
              f"发放金额合计:{money(grand)}元"],
        posting_line=period.describe() if period else BLANK_PERIOD_LINE,
        columns=cols, rows=rows, phones=list(src.phones),
        note="以上为本村本年度各项惠民惠农财政补贴资金发放汇总。如有异议,请在公示期内向村民委员会或乡镇人民政府反映。",
        seal_label=f"{committee(src.village)}(盖章)",
    )
