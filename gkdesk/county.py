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

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.models.county_cache import CountyViewCache
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
    """Last package per township and live (not deleted) rows per travelling table.

    Payout rows — nearly all of a county's rows — are counted from their batches'
    ``row_count`` (a batch's rows live and die with it), so the view costs
    O(townships × batches), not a scan of millions of rows per township (on PostgreSQL
    that scan made the view quadratic in townships: 10.6 s at 25).
    """
    conn = session.connection()
    paths = [p for p in travelling_tables(conn) if p.table.name not in ("township", _PAYOUT)]
    ps = peers(session)
    live_payouts = payout_rows_by_township(session, [p.township_id for p in ps], include_deleted=False)
    conflicts: dict[str, int] = {code: n for code, n in session.execute(
        select(SyncConflict.peer_code, func.count()).where(SyncConflict.resolved_at.is_(None))
        .group_by(SyncConflict.peer_code)).all()}
    out = []
    for peer in ps:
        st = TownshipStatus(peer.code, peer.name, peer.last_seq_in, peer.last_package_at)
        for p in paths:
            st.rows[p.table.name] = int(conn.scalar(select(func.count()).select_from(p.table).where(
                p.clause(peer.township_id), p.table.c.deleted_at.is_(None))) or 0)
        st.rows[_PAYOUT] = live_payouts.get(peer.township_id, 0)
        st.open_conflicts = int(conflicts.get(peer.code, 0))
        out.append(st)
    return out


_PAYOUT = "payout"


def payout_rows_by_township(session: Session, township_ids: list[str], *,
                            include_deleted: bool) -> dict[str, int]:
    """Payout rows per township from the batches (``include_deleted``: tombstones too)."""
    q = (select(PayoutBatch.township_id, func.coalesce(func.sum(PayoutBatch.row_count), 0))
         .where(PayoutBatch.township_id.in_(township_ids)).group_by(PayoutBatch.township_id))
    if not include_deleted:
        q = q.where(PayoutBatch.deleted_at.is_(None))
    return {tid: int(n) for tid, n in session.execute(q)}


# --- payouts ---------------------------------------------------------------------------

def payout_totals(session: Session, year: int | None = None) -> list[dict[str, Any]]:
    """Live payout rows and their total per township, program and year (fen summed, yuan shown).

    Read from the batches' own totals (``row_count``, ``total_fen``, fixed when the
    township imported the list; :func:`check_batch_totals` verifies them against the rows
    when a package is applied): O(batches), so the view stays instant at 15 M rows.
    """
    ps = peers(session)
    by_tid = {p.township_id: p for p in ps}
    q = (select(PayoutBatch.township_id, Program.name, PayoutBatch.year,
                func.sum(PayoutBatch.row_count), func.sum(PayoutBatch.total_fen), func.count(PayoutBatch.id))
         .join(Program, PayoutBatch.program_id == Program.id)
         .where(PayoutBatch.deleted_at.is_(None), PayoutBatch.township_id.in_(list(by_tid)))
         .group_by(PayoutBatch.township_id, Program.name, PayoutBatch.year))
    if year is not None:
        q = q.where(PayoutBatch.year == year)
    rows = []
    for tid, program, yr, n, fen, batches in session.execute(q):
        peer = by_tid[tid]
        rows.append({"township_code": peer.code, "township": peer.name, "program": program, "year": int(yr),
                     "batches": int(batches), "count": int(n or 0), "total_fen": int(fen or 0),
                     "total": fen_to_yuan(int(fen or 0))})
    rows.sort(key=lambda r: (r["township_code"], -r["year"], r["program"]))
    return rows


def check_batch_totals(session: Session, batch_ids: list[str]) -> list[str]:
    """Batches whose stored ``row_count``/``total_fen`` differ from their live rows.

    Run on the batches a package brought (an index range per batch), so the summaries
    the views read can be trusted without ever re-scanning the payout table.
    """
    if not batch_ids:
        return []
    bad = []
    for chunk in range(0, len(batch_ids), 500):
        ids = batch_ids[chunk:chunk + 500]
        actual = {bid: (int(n), int(fen or 0)) for bid, n, fen in session.execute(
            select(Payout.batch_id, func.count(), func.sum(Payout.amount_fen))
            .where(Payout.batch_id.in_(ids), Payout.deleted_at.is_(None)).group_by(Payout.batch_id))}
        for b in session.scalars(select(PayoutBatch).where(PayoutBatch.id.in_(ids),
                                                           PayoutBatch.deleted_at.is_(None))):
            if actual.get(b.id, (0, 0)) != (b.row_count, b.total_fen):
                bad.append(b.id)
    return bad


def payout_grand_total(rows: list[dict[str, Any]]) -> Decimal:
    return fen_to_yuan(sum(r["total_fen"] for r in rows))


# --- catalogue -------------------------------------------------------------------------

def catalogue_status(session: Session, today: date | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per township: applicable items, items with a publication, completion %, overdue and
    due-soon counts; and the overdue occurrences themselves (township, domain, item, due)."""
    today = today or date.today()
    summary: list[dict[str, Any]] = []
    overdue: list[dict[str, Any]] = []
    stamp = _calendar_stamp(session)  # once per view, not once per township
    for peer in peers(session):
        s1, o1 = _cached(session, peer, "catalogue", today, _catalogue_of, stamp)
        summary.append(s1)
        overdue.extend({**o, "due": date.fromisoformat(o["due"]) if o["due"] else None} for o in o1)
    return summary, overdue


def _catalogue_of(session: Session, peer: SyncPeer, today: date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from gkdesk.catalogue import due

    board = due.dashboard(session, today, township_id=peer.township_id)
    items = sum(c["items"] for c in board.completion)
    published = sum(c["published"] for c in board.completion)
    summary = {"township_code": peer.code, "township": peer.name, "items": items,
               "published": published, "percent": round(100 * published / items) if items else None,
               "overdue": len(board.overdue), "due_soon": len(board.due_soon),
               "never": len(board.never), "notes": board.notes}
    overdue = [{"township_code": peer.code, "township": peer.name, "domain": o.domain,
                "item": o.label, "period": o.period, "due": o.due.isoformat() if o.due else None}
               for o in board.overdue]
    return summary, overdue


def _calendar_stamp(session: Session) -> str:
    """Changes whenever the county's holiday calendar does (due dates depend on it)."""
    from gkdesk.models.calendar import CalendarYear

    years = session.execute(select(CalendarYear.year, CalendarYear.updated_at).order_by(CalendarYear.year)).all()
    return ";".join(f"{y}@{u.isoformat() if u else ''}" for y, u in years)


def _cached(session: Session, peer: SyncPeer, view: str, today: date,
            compute: Any, stamp: str | None = None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``compute(session, peer, today)`` unless computed today since the township's last package.

    The cache row is written in the caller's transaction; a read-only caller that rolls back
    simply computes again next time.
    """
    row = session.get(CountyViewCache, (peer.township_id, view))
    stamp = _calendar_stamp(session) if stamp is None else stamp
    if row is not None and row.day == today and row.last_seq == peer.last_seq_in:
        got = json.loads(row.payload)
        if got.get("calendar") == stamp:
            return got["summary"], got["detail"]
    summary, detail = compute(session, peer, today)
    payload = json.dumps({"summary": summary, "detail": detail, "calendar": stamp},
                         ensure_ascii=False, default=str)
    if row is None:
        session.add(CountyViewCache(township_id=peer.township_id, view=view, day=today,
                                    last_seq=peer.last_seq_in, payload=payload))
    else:
        row.day, row.last_seq, row.payload = today, peer.last_seq_in, payload
    return summary, detail


# --- village postings ------------------------------------------------------------------

def village_status(session: Session, today: date | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per township: villages, postings by status, villages with overdue items and how many
    periods are missing this year; and the overdue villages with their item names."""
    today = today or date.today()
    summary, detail = [], []
    stamp = _calendar_stamp(session)
    for peer in peers(session):
        s1, d1 = _cached(session, peer, "villages", today, _villages_of, stamp)
        summary.append(s1)
        detail.extend(d1)
    return summary, detail


def _villages_of(session: Session, peer: SyncPeer, today: date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from gkdesk.postings.calendar import overdue_villages

    villages = township.villages(session, township_id=peer.township_id)
    counts: dict[str, int] = {status: n for status, n in session.execute(select(Posting.status, func.count()).where(
        Posting.township_id == peer.township_id, Posting.deleted_at.is_(None)).group_by(Posting.status)).all()}
    late = overdue_villages(session, today, township_id=peer.township_id)
    summary = {"township_code": peer.code, "township": peer.name, "villages": len(villages),
               "postings": int(sum(counts.values())),
               "by_status": {POSTING_STATUS_LABELS.get(k, k): int(v) for k, v in sorted(counts.items())},
               "overdue_villages": len(late), "missing": sum(v.missing for v in late)}
    detail = [{"township_code": peer.code, "township": peer.name, "village": v.name,
               "missing": v.missing, "items": "、".join(v.items)} for v in late]
    return summary, detail


def export_xlsx(session: Session, out: Any, today: date | None = None) -> dict[str, int]:
    """Every county view as one workbook (kept here for callers of the first version)."""
    from gkdesk.county_xlsx import export_xlsx as _export

    return _export(session, out, today)
