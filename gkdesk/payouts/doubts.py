"""Red flags (疑点) of payout lists: double payments and figures that do not add up.

Checked at import, against the rows about to be stored, and for any stored batch (the
补贴发放 page): the same ID twice in one list; a list whose rows (ID + amount) equal a batch
already stored for the same program and year (a re-import under another period — refused
by the importer unless the clerk insists); the same ID in another batch of the same program
and the same period (month for monthly programs, year for the others); one person receiving
低保 and 特困供养 for the same month; amount ≠ quantity × 标准 beyond rounding.

Every flag names the person masked (never the full ID) and where the row is; the 疑点核查表
(.xlsx) lists them for the clerk to check by hand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk.identity import mask_id
from gkdesk.models.payout import KIND_PERSON_MONTH, Payout, PayoutBatch, Program

KIND_SAME_LIST = "同一名单重复"
KIND_REIMPORT = "重复导入"
KIND_SAME_PERIOD = "同期重复领取"
KIND_DIBAO_TEKUN = "低保与特困同月"
KIND_AMOUNT = "金额与数量×标准不符"
DOUBT_COLUMNS = ["疑点类型", "姓名", "身份证号(脱敏)", "金额(元)", "位置", "说明"]
MAX_DOUBTS = 5000  # a list that is wholly doubled says so once per row up to this many
DIBAO = ("低保金", "城乡居民最低生活保障金", "最低生活保障金", "农村低保", "城市低保")
TEKUN = ("特困供养金", "农村特困人员救助供养金", "特困人员救助供养金", "特困供养")


@dataclass
class Doubt:
    kind: str
    message: str
    name: str = ""
    id_masked: str = ""
    amount: str = ""
    where: str = ""  # 工作表“…”第N行 or 批次 abcd1234 第N行

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def cells(self) -> list[str]:
        return [self.kind, self.name, self.id_masked, self.amount, self.where, self.message]


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _batch_label(b: PayoutBatch) -> str:
    period = b.period if b.period.startswith(str(b.year)) else f"{b.year}年{b.period}"
    return f"批次 {b.id[:8]}(“{b.source_name}”,{period},{b.row_count}行)"


def same_rows_batch(session: Session, program_id: str, year: int, rows: list[Any], i_id: int, i_fen: int,
                    exclude: set[str]) -> PayoutBatch | None:
    """A live batch of the program and year holding exactly these (ID, amount) rows."""
    n = len(rows)
    cands = session.scalars(select(PayoutBatch).where(
        PayoutBatch.program_id == program_id, PayoutBatch.year == year, PayoutBatch.deleted_at.is_(None),
        PayoutBatch.row_count == n)).all()  # cheap first: usually no batch of the same size
    if not cands:
        return None
    total = sum(r[i_fen] for r in rows)
    cands = [b for b in cands if b.total_fen == total]
    if not cands:
        return None
    mine = Counter((r[i_id], r[i_fen]) for r in rows)
    for b in cands:
        if b.id in exclude:
            continue
        theirs = Counter(session.execute(select(Payout.id_number, Payout.amount_fen).where(
            Payout.batch_id == b.id, Payout.deleted_at.is_(None))).tuples())
        if theirs == mine:
            return b
    return None


def _program_group(name: str) -> tuple[str, ...] | None:
    if any(name == n or n in name for n in DIBAO):
        return TEKUN
    if any(name == n or n in name for n in TEKUN):
        return DIBAO
    return None


def cross_checks(session: Session, program: Program, year: int, rows_of: Any,
                 exclude: set[str]) -> list[Doubt]:
    """Doubts of the rows — (ID, month, name, fen, where) — against the other stored batches.

    ``rows_of`` is the list or a callable making it: built only when another batch can clash."""
    out: list[Doubt] = []
    monthly = program.kind == KIND_PERSON_MONTH
    others = [b for b in session.scalars(select(PayoutBatch).where(
        PayoutBatch.program_id == program.id, PayoutBatch.year == year, PayoutBatch.deleted_at.is_(None)))
        if b.id not in exclude]
    counterpart = _program_group(program.name)
    if not others and not (counterpart and monthly):
        return out
    rows = rows_of() if callable(rows_of) else rows_of
    ids = {r[0] for r in rows if r[0]}
    if not ids:
        return out
    out += _against(session, others, rows, ids, monthly, KIND_SAME_PERIOD,
                    lambda b: f"同一项目{'同月' if monthly else '同一年度'}已在{_batch_label(b)}中发放")
    if counterpart and monthly:
        progs = [p for p in session.scalars(select(Program).where(Program.township_id == program.township_id,
                                                                  Program.deleted_at.is_(None)))
                 if p.id != program.id and _program_group(p.name) is not None
                 and _program_group(p.name) != _program_group(program.name)]
        if progs:
            batches = list(session.scalars(select(PayoutBatch).where(
                PayoutBatch.program_id.in_([p.id for p in progs]), PayoutBatch.year == year,
                PayoutBatch.deleted_at.is_(None))))
            out += _against(session, batches, rows, ids, True, KIND_DIBAO_TEKUN,
                            lambda b: f"同月还领取“{b.program.name}”({_batch_label(b)}),二者不应同时享受")
    return out[:MAX_DOUBTS]


def _against(session: Session, batches: list[PayoutBatch], rows: list[tuple[str, str, str, int, str]],
             ids: set[str], monthly: bool, kind: str, say: Any) -> list[Doubt]:
    if not batches:
        return []
    by_id: dict[tuple[str, str], PayoutBatch] = {}
    bmap = {b.id: b for b in batches}
    q = select(Payout.id_number, Payout.month, Payout.batch_id).where(
        Payout.batch_id.in_(list(bmap)), Payout.deleted_at.is_(None), Payout.id_number != "")
    if monthly:  # a monthly list covers a month or a few: stored rows of the other months never clash
        q = q.where(Payout.month.in_(sorted({r[1] for r in rows})))
    for id_number, month, batch_id in session.execute(q):
        if id_number in ids:
            by_id.setdefault((id_number, month if monthly else ""), bmap[batch_id])
    out = []
    for id_number, month, name, fen, where in rows:
        b = by_id.get((id_number, month if monthly else ""))
        if b is not None:
            out.append(Doubt(kind, say(b) + (f"({month})" if monthly and month else ""), name,
                             mask_id(id_number), _yuan(fen), where))
            if len(out) >= MAX_DOUBTS:
                break
    return out


def batch_doubts(session: Session, batch: PayoutBatch) -> list[Doubt]:
    """Every doubt of a stored batch: within it, and against the other batches."""
    rows = session.execute(select(Payout.id_number, Payout.month, Payout.recipient_name, Payout.amount_fen,
                                  Payout.source_sheet, Payout.source_row, Payout.quantity, Payout.rate)
                           .where(Payout.batch_id == batch.id, Payout.deleted_at.is_(None))
                           .order_by(Payout.seq)).all()
    out: list[Doubt] = []
    seen: dict[tuple[str, str], str] = {}
    monthly = batch.program.kind == KIND_PERSON_MONTH
    plain = []
    for id_number, month, name, fen, sheet, row, qty, rate in rows:
        where = f"工作表“{sheet}”第{row}行"
        if id_number:
            key = (id_number, month if monthly else "")
            if key in seen:
                out.append(Doubt(KIND_SAME_LIST, f"本清册中同一人出现两次,另见{seen[key]}", name, mask_id(id_number),
                                 _yuan(fen), where))
            else:
                seen[key] = where
        if qty is not None and rate is not None:
            expected = Decimal(qty) * Decimal(rate) * 100
            if abs(expected - fen) > 1:
                out.append(Doubt(KIND_AMOUNT, f"数量{qty}×标准{rate}={expected / 100:.2f}元,清册为{_yuan(fen)}元", name,
                                 mask_id(id_number), _yuan(fen), where))
        plain.append((id_number, month, name, fen, where))
    out += cross_checks(session, batch.program, batch.year, plain, {batch.id})
    return out[:MAX_DOUBTS]


def write_doubt_workbook(doubts: list[Doubt], path: Path, title: str) -> Path:
    """The 疑点核查表: one row per doubt, masked IDs, a column for the clerk's finding."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "疑点核查表"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([*DOUBT_COLUMNS, "核查结果"])
    for c in ws[2]:
        c.font = Font(bold=True)
    for d in doubts:
        ws.append([*d.cells(), ""])
    for col, width in zip("ABCDEFG", (16, 10, 22, 12, 24, 60, 20), strict=True):
        ws.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
