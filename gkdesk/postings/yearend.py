"""The year-end duty (seed 001, 附件1 第七项): every program's payouts of the year are summarised
and published per village on the 村务公开栏 before the year ends, with the evidence kept.

For a village and year the checklist has one line per program that paid the village
that year; a line is complete when a posting for that program and year (a year-end
summary, a 发放结果公示 printed from one of the program's batches of that year, or one
registered for the program) was put on
the village board (村公示栏) on or before 31 December and carries at least one photo.
Everything else is listed as missing, in words the clerk can act on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.models.payout import Payout, PayoutBatch, Program, fen_to_yuan
from gkdesk.models.posting import KIND_PAYOUT, KIND_YEAR_END, Posting
from gkdesk.models.posting_lifecycle import (
    LOCATION_VILLAGE,
    POSTED_STATUSES,
    STATUS_SUPERSEDED,
    STATUS_WITHDRAWN,
    status_label,
)
from gkdesk.models.township import Village


@dataclass
class ProgramPaid:
    program_id: str
    program: str
    payouts: int
    amount: Decimal


def programs_paid(session: Session, village_id: str, year: int) -> list[ProgramPaid]:
    """Which programs paid this village in ``year`` (live batches only), with row counts and totals."""
    q = (select(Program.id, Program.name, func.count(Payout.id), func.coalesce(func.sum(Payout.amount_fen), 0))
         .join(PayoutBatch, PayoutBatch.program_id == Program.id)
         .join(Payout, Payout.batch_id == PayoutBatch.id)
         .where(Payout.village_id == village_id, PayoutBatch.year == year,
                PayoutBatch.deleted_at.is_(None), Payout.deleted_at.is_(None))
         .group_by(Program.id, Program.name, Program.sort_order)
         .order_by(Program.sort_order, Program.name))
    return [ProgramPaid(pid, name, int(n), fen_to_yuan(int(fen))) for pid, name, n, fen in session.execute(q)]


@dataclass
class ChecklistLine:
    program_id: str
    program: str
    payouts: int
    amount: Decimal
    posting_id: str | None = None
    posted_on: date | None = None
    location: str = ""
    photos: int = 0
    archived: bool = False
    missing: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.missing


@dataclass
class YearEndChecklist:
    village_id: str
    village: str
    year: int
    lines: list[ChecklistLine]

    @property
    def complete(self) -> bool:
        return all(line.done for line in self.lines)

    def missing_text(self) -> list[str]:
        return [f"{self.village}·{line.program}:{m}" for line in self.lines for m in line.missing]


def _best(postings: list[Posting]) -> Posting | None:
    """The posting that best answers the duty: on the board, latest correction, with photos."""
    def rank(p: Posting) -> tuple:
        return (p.status in POSTED_STATUSES, p.status != STATUS_SUPERSEDED, p.location == LOCATION_VILLAGE,
                sum(1 for ph in p.photos if ph.deleted_at is None) > 0, p.posted_on or date.min)
    return max(postings, key=rank) if postings else None


def _ref_year(p: Posting) -> int | None:
    if p.year is not None:
        return p.year
    if p.source_ref.startswith("year_end:") and p.source_ref[9:].isdigit():
        return int(p.source_ref[9:])
    return p.posted_on.year if p.posted_on else None


def year_end_checklist(session: Session, village: Village | str, year: int) -> YearEndChecklist:
    v = township.find_village(session, village) if isinstance(village, str) else village
    year_end = date(year, 12, 31)
    postings = list(session.scalars(select(Posting).where(Posting.village_id == v.id, Posting.deleted_at.is_(None),
                                                          Posting.status != STATUS_WITHDRAWN)))
    # The notices feature prints one 年度汇总公示 per village covering every program (source "year_end:YYYY");
    # a village may also post a summary per program (program_id + year).
    summaries = [p for p in postings if p.kind == KIND_YEAR_END and _ref_year(p) == year]
    # A 发放结果公示 printed from a batch ("payout_batch:<id>") answers for the batch's program and year.
    batch_ids = [p.source_ref[13:] for p in postings if p.kind == KIND_PAYOUT and p.source_ref.startswith("payout_batch:")]
    batches = {bid: (prog, yr) for bid, prog, yr in session.execute(
        select(PayoutBatch.id, PayoutBatch.program_id, PayoutBatch.year).where(PayoutBatch.id.in_(batch_ids)))} \
        if batch_ids else {}
    from_batches: dict[str, list[Posting]] = {}
    for p in postings:
        if p.kind == KIND_PAYOUT and p.source_ref[13:] in batches:
            prog, yr = batches[p.source_ref[13:]]
            if yr == year:
                from_batches.setdefault(prog, []).append(p)
    lines = []
    for paid in programs_paid(session, v.id, year):
        mine = summaries + from_batches.get(paid.program_id, []) + [
            p for p in postings if p.program_id == paid.program_id and _ref_year(p) == year]
        line = ChecklistLine(paid.program_id, paid.program, paid.payouts, paid.amount)
        best = _best(mine)
        on_board = best is not None and best.status in POSTED_STATUSES and best.posted_on is not None
        if best is None:
            line.missing.append(f"未登记{year}年发放结果公示")
        elif not on_board:
            line.missing.append(f"公示“{best.title}”尚未张贴(当前“{status_label(best)}”)")
        if best is not None:
            line.posting_id, line.posted_on, line.location = best.id, best.posted_on, best.location
            line.photos = sum(1 for ph in best.photos if ph.deleted_at is None)
            line.archived = best.archived_on is not None
        if on_board and best is not None:
            if best.posted_on and best.posted_on > year_end:
                line.missing.append(f"于{best.posted_on}张贴,晚于{year}年年底")
            if best.location != LOCATION_VILLAGE:
                line.missing.append(f"张贴在“{best.location}”,应在村务公开栏公开")
            if not line.photos:
                line.missing.append("缺少张贴照片")
        lines.append(line)
    return YearEndChecklist(v.id, v.name, year, lines)


def township_year_end(session: Session, year: int) -> list[YearEndChecklist]:
    return [year_end_checklist(session, v, year) for v in township.villages(session)]


def checklist_dict(c: YearEndChecklist) -> dict:
    return {"village": c.village, "year": c.year, "complete": c.complete,
            "lines": [{"program": ln.program, "payouts": ln.payouts, "amount": str(ln.amount),
                       "posting_id": ln.posting_id, "posted_on": ln.posted_on, "location": ln.location,
                       "photos": ln.photos, "archived": ln.archived, "missing": ln.missing} for ln in c.lines]}
