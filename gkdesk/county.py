"""County mode: the merged views across townships, built from the feature tables.

Per township: the last package and its date, row counts per travelling table and
open conflicts (:func:`status`); payout totals per program and year from the real
payout tables, integer fen summed in SQL and shown as Decimal yuan
(:func:`payout_totals`); catalogue completion and overdue items, computed by the
catalogue's own due-date rules scoped to that township (:func:`catalogue_status`);
village posting status, by the village calendar's own rules (:func:`village_status`).
Every view is exported to .xlsx by :mod:`gkdesk.county_xlsx`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.models.payout import Payout, PayoutBatch, Program, fen_to_yuan
from gkdesk.models.posting import Posting
from gkdesk.models.posting_lifecycle import STATUS_LABELS as POSTING_STATUS_LABELS
from gkdesk.models.sync import SyncConflict, SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP
from gkdesk.sync.labels import TABLE_LABELS  # noqa: F401  (county.TABLE_LABELS, as before)
from gkdesk.sync.tables import travelling_tables


@dataclass
class TownshipStatus:
    code: str
    name: str
    last_seq: int
    last_package_at: datetime | None
    rows: dict[str, int] = field(default_factory=dict)
    open_conflicts: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "last_seq": self.last_seq,
                "last_package_at": self.last_package_at.isoformat(timespec="seconds") if self.last_package_at else None,
                "rows": self.rows, "open_conflicts": self.open_conflicts}


def _require_county(session: Session) -> None:
    if township.current(session).role != ROLE_COUNTY:
        raise InputRejected("这是乡镇的数据目录;县级汇总视图只在县级单位中可用", hint=Hint.COUNTY_ROLE)


def peers(session: Session) -> list[SyncPeer]:
    """The townships this county has registered, by code."""
    _require_county(session)
    return list(session.scalars(select(SyncPeer).where(SyncPeer.role == ROLE_TOWNSHIP).order_by(SyncPeer.code)))


def status(session: Session) -> list[TownshipStatus]:
    """Last package per township and live (not deleted) rows per travelling table."""
    conn = session.connection()
    paths = [p for p in travelling_tables(conn) if p.table.name != "township"]
    out = []
    for peer in peers(session):
        st = TownshipStatus(peer.code, peer.name, peer.last_seq_in, peer.last_package_at)
        for p in paths:
            st.rows[p.table.name] = int(conn.scalar(select(func.count()).select_from(p.table).where(
                p.clause(peer.township_id), p.table.c.deleted_at.is_(None))) or 0)
        st.open_conflicts = int(session.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.peer_code == peer.code, SyncConflict.resolved_at.is_(None))) or 0)
        out.append(st)
    return out


# --- payouts ---------------------------------------------------------------------------

def payout_totals(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """Live payout rows and their total per township, program and year (fen summed, yuan shown)."""
    ps = peers(session)
    by_tid = {p.township_id: p for p in ps}
    q = (select(PayoutBatch.township_id, Program.name, PayoutBatch.year, func.count(Payout.id),
                func.sum(Payout.amount_fen), func.count(func.distinct(PayoutBatch.id)))
         .join(PayoutBatch, Payout.batch_id == PayoutBatch.id)
         .join(Program, PayoutBatch.program_id == Program.id)
         .where(Payout.deleted_at.is_(None), PayoutBatch.deleted_at.is_(None),
                PayoutBatch.township_id.in_(list(by_tid)))
         .group_by(PayoutBatch.township_id, Program.name, PayoutBatch.year))
    if year is not None:
        q = q.where(PayoutBatch.year == year)
    rows = []
    for tid, program, yr, n, fen, batches in session.execute(q):
        peer = by_tid[tid]
        rows.append({"township_code": peer.code, "township": peer.name, "program": program, "year": int(yr),
                     "batches": int(batches), "count": int(n), "total_fen": int(fen or 0),
                     "total": fen_to_yuan(int(fen or 0))})
    rows.sort(key=lambda r: (r["township_code"], -r["year"], r["program"]))
    return rows


def payout_grand_total(rows: list[dict[str, Any]]) -> Decimal:
    return fen_to_yuan(sum(r["total_fen"] for r in rows))


# --- catalogue -------------------------------------------------------------------------

def catalogue_status(session: Session, today: date | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per township: applicable items, items with a publication, completion %, overdue and
    due-soon counts; and the overdue occurrences themselves (township, domain, item, due)."""
    from gkdesk.catalogue import due

    today = today or date.today()
    summary, overdue = [], []
    for peer in peers(session):
        board = due.dashboard(session, today, township_id=peer.township_id)
        items = sum(c["items"] for c in board.completion)
        published = sum(c["published"] for c in board.completion)
        summary.append({"township_code": peer.code, "township": peer.name, "items": items,
                        "published": published, "percent": round(100 * published / items) if items else None,
                        "overdue": len(board.overdue), "due_soon": len(board.due_soon),
                        "never": len(board.never), "notes": board.notes})
        for o in board.overdue:
            overdue.append({"township_code": peer.code, "township": peer.name, "domain": o.domain,
                            "item": o.label, "period": o.period, "due": o.due})
    return summary, overdue


# --- village postings ------------------------------------------------------------------

def village_status(session: Session, today: date | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per township: villages, postings by status, villages with overdue items and how many
    periods are missing this year; and the overdue villages with their item names."""
    from gkdesk.postings.calendar import overdue_villages

    today = today or date.today()
    summary, detail = [], []
    for peer in peers(session):
        villages = township.villages(session, township_id=peer.township_id)
        counts = dict(session.execute(select(Posting.status, func.count()).where(
            Posting.township_id == peer.township_id, Posting.deleted_at.is_(None)).group_by(Posting.status)).all())
        late = overdue_villages(session, today, township_id=peer.township_id)
        summary.append({"township_code": peer.code, "township": peer.name, "villages": len(villages),
                        "postings": int(sum(counts.values())),
                        "by_status": {POSTING_STATUS_LABELS.get(k, k): int(v) for k, v in sorted(counts.items())},
                        "overdue_villages": len(late), "missing": sum(v.missing for v in late)})
        for v in late:
            detail.append({"township_code": peer.code, "township": peer.name, "village": v.name,
                           "missing": v.missing, "items": "、".join(v.items)})
    return summary, detail


def export_xlsx(session: Session, out: Any, today: date | None = None) -> dict[str, int]:
    """Every county view as one workbook (kept here for callers of the first version)."""
    from gkdesk.county_xlsx import export_xlsx as _export

    return _export(session, out, today)
