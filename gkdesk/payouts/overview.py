"""Summary tables (一览表) are not payout lists: recognise them and, if asked, keep the total.

Counties publish per-township overviews (乡镇 | 面积 | 每亩补助 | 应打卡发放资金 | 备注). Imported
as a payout list they would be refused with a puzzling message; here they are named for what
they are, and the clerk may store this township's line as the program's township-level total
(``ProgramTotal``) to cross-check the village lists against.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.errors import InputRejected
from gkdesk.models.payout import Program
from gkdesk.models.payout_layout import ProgramTotal
from gkdesk.result import OpResult
from gkdesk.sheets import normalise as nz
from gkdesk.sheets.header import normalise_header
from gkdesk.sheets.reader import Sheet
from gkdesk.sheets.synonyms import TOTAL_WORDS

_AREA_WORDS = ("乡镇", "乡(镇)", "镇(乡)", "街道", "乡镇(街道)", "单位")
_AMOUNT_WORDS = ("资金", "金额", "补贴", "补助")


@dataclass
class OverviewRow:
    area: str
    quantity: str
    rate: str
    fen: int


@dataclass
class Overview:
    sheet: str
    title: str
    rows: list[OverviewRow] = field(default_factory=list)
    amount_label: str = ""

    @property
    def total_fen(self) -> int:
        return sum(r.fen for r in self.rows)

    def message(self, file: str) -> str:
        return (f"文件“{file}”是各乡镇的汇总表(一览表:{len(self.rows)}个乡镇,合计{Decimal(self.total_fen) / 100:.2f}元),"
                "不是发放到人的名单,未导入")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["total_amount"] = f"{Decimal(self.total_fen) / 100:.2f}"
        return d


def find_overview(sheets: list[Sheet]) -> Overview | None:
    """The first sheet that is a per-township overview (a 乡镇 column and an amount column, no names)."""
    for sheet in sheets:
        rows = sheet.rows
        for h in range(min(15, len(rows))):
            cells = [normalise_header(v) for v in rows[h]]
            area = next((c for c, t in enumerate(cells) if t.replace(" ", "") in _AREA_WORDS
                         or t.startswith(("乡镇", "乡(镇)"))), None)
            if area is None or any("姓名" in t or "身份证" in t for t in cells):
                continue
            money = [c for c, t in enumerate(cells) if any(w in t for w in _AMOUNT_WORDS) and "每" not in t
                     and "标准" not in t]
            if not money:
                continue
            amount = money[-1]
            qty = next((c for c, t in enumerate(cells) if "面积" in t or "人数" in t), None)
            rate = next((c for c, t in enumerate(cells) if "每" in t or "标准" in t), None)
            title = next((str(v) for r in rows[:h] for v in r if v not in ("", None)), "")
            ov = Overview(sheet.name, title, amount_label=cells[amount])
            for row in rows[h + 1:]:
                if area >= len(row) or amount >= len(row):
                    continue
                name = nz.clean_place(row[area])
                if not name or any(name.startswith(w) for w in TOTAL_WORDS):
                    continue
                try:
                    d, _ = nz.parse_decimal(row[amount])
                except ValueError:
                    continue
                if d is None or not d.is_finite() or abs(d) >= 10 ** 11:
                    continue
                ov.rows.append(OverviewRow(name, nz.cell_text(row[qty]) if qty is not None and qty < len(row) else "",
                                           nz.cell_text(row[rate]) if rate is not None and rate < len(row) else "",
                                           int(d.quantize(Decimal("0.01")) * 100)))
            if ov.rows:
                return ov
    return None


def _core(name: str) -> str:
    for s in ("街道办事处", "街道", "镇", "乡"):
        if name.endswith(s) and len(name) > len(s):
            return name[: -len(s)]
    return name


def store_overview(session: Session, ov: Overview, program: Program, opts: Any, path: Path,
                   operator: str) -> OpResult:
    """Store this township's line of the overview as the program's township-level total."""
    t = township.current(session)
    mine = [r for r in ov.rows if r.area == t.name or _core(r.area) == _core(t.name)]
    if not mine:
        raise InputRejected(f"一览表“{path.name}”中没有本乡镇“{t.name}”这一行(表中有:{'、'.join(r.area for r in ov.rows[:20])})")
    r = mine[0]
    session.execute(delete(ProgramTotal).where(ProgramTotal.program_id == program.id, ProgramTotal.year == opts.year,
                                               ProgramTotal.period == opts.period.strip()))
    session.add(ProgramTotal(program_id=program.id, year=opts.year, period=opts.period.strip(), area_name=r.area,
                             quantity=r.quantity, rate=r.rate, amount_fen=r.fen, source_name=path.name))
    session.flush()
    audit.record(session, operator, "payouts.total", program.name, year=opts.year, area=r.area,
                 amount=f"{Decimal(r.fen) / 100:.2f}", file=path.name)
    res = OpResult(status="total_stored", changes={"payouts"}, counts={"rows": 0})
    msg = (f"已把一览表中“{r.area}”的{Decimal(r.fen) / 100:.2f}元保存为“{program.name}”{opts.year}年的乡镇合计"
           "(用于核对各村名单)")
    res.data = {"batch": None, "rows": 0, "total_amount": f"{Decimal(r.fen) / 100:.2f}", "villages": {},
                "message": msg, "overview": ov.to_dict()}
    return res
