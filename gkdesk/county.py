"""County mode: the merged view across townships, and its .xlsx export.

Generic over whatever travelling tables exist: per township the last package and
its date, row counts per table, open conflicts. Payout totals appear when a table
with a Numeric ``amount`` column exists (found at run time, so the payout feature
needs no change here): grouped by township and, where the table or its parent has
them, program and year columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Numeric, Table, func, select
from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.errors import InputRejected
from gkdesk.models.sync import SyncConflict, SyncPeer
from gkdesk.models.township import ROLE_COUNTY, ROLE_TOWNSHIP
from gkdesk.sync.tables import ScopePath, travelling_tables

GROUP_COLUMNS = {"program": ("program", "program_name", "project", "project_name", "item"),
                 "year": ("year", "fiscal_year", "payout_year")}
TABLE_LABELS = {"township": "乡镇", "village": "村(社区)", "village_group": "村民小组"}


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
        raise InputRejected("这是乡镇的数据目录;县级汇总视图只在县级单位(gkdesk init --role county)中可用")


def status(session: Session) -> list[TownshipStatus]:
    """Last package per township and live (not deleted) rows per travelling table."""
    _require_county(session)
    conn = session.connection()
    paths = [p for p in travelling_tables(conn) if p.table.name != "township"]
    out = []
    for peer in session.scalars(select(SyncPeer).where(SyncPeer.role == ROLE_TOWNSHIP).order_by(SyncPeer.code)):
        st = TownshipStatus(peer.code, peer.name, peer.last_seq_in, peer.last_package_at)
        for p in paths:
            st.rows[p.table.name] = int(conn.scalar(select(func.count()).select_from(p.table).where(
                p.clause(peer.township_id), p.table.c.deleted_at.is_(None))) or 0)
        st.open_conflicts = int(session.scalar(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.peer_code == peer.code, SyncConflict.resolved_at.is_(None))) or 0)
        out.append(st)
    return out


def _amount_tables(paths: list[ScopePath]) -> list[ScopePath]:
    return [p for p in paths if "amount" in p.table.c and isinstance(p.table.c.amount.type, Numeric)]


def _group_cols(table: Table, parent: Table | None) -> list[tuple[str, Any]]:
    out = []
    for label, names in GROUP_COLUMNS.items():
        for src in (table, parent):
            col = next((src.c[n] for n in names if src is not None and n in src.c), None)
            if col is not None:
                out.append((label, col))
                break
    return out


def payout_totals(session: Session) -> list[dict[str, Any]]:
    """Sum of ``amount`` (live rows) per township, program and year, for every amount table."""
    _require_county(session)
    conn = session.connection()
    from gkdesk.models.base import Base

    rows: list[dict[str, Any]] = []
    peers = list(session.scalars(select(SyncPeer).where(SyncPeer.role == ROLE_TOWNSHIP).order_by(SyncPeer.code)))
    for p in _amount_tables(travelling_tables(conn)):
        t = p.table
        parent = Base.metadata.tables[p.chain[0][1]] if p.chain and p.chain[0][1] != "township" else None
        groups = _group_cols(t, parent)
        for peer in peers:
            q = select(*[c.label(lbl) for lbl, c in groups], func.count().label("n"),
                       func.sum(t.c.amount).label("total")).where(p.clause(peer.township_id), t.c.deleted_at.is_(None))
            if parent is not None and any(c.table is parent for _, c in groups):
                q = q.join_from(t, parent, t.c[p.chain[0][0]] == parent.c.id)
                if "deleted_at" in parent.c:
                    q = q.where(parent.c.deleted_at.is_(None))
            if groups:
                q = q.group_by(*[c for _, c in groups]).order_by(*[c for _, c in groups])
            for r in conn.execute(q).mappings():
                if not r["n"]:
                    continue
                rows.append({"table": t.name, "township_code": peer.code, "township": peer.name,
                             "program": r.get("program", ""), "year": r.get("year", ""),
                             "count": int(r["n"]), "total": Decimal(str(r["total"] or 0)).quantize(Decimal("0.01"))})
    return rows


def export_xlsx(session: Session, out: Path) -> dict[str, int]:
    """Write the status and payout totals as one workbook (written to a temp name, then renamed)."""
    import os

    from openpyxl import Workbook
    from openpyxl.styles import Font

    sts = status(session)
    totals = payout_totals(session)
    wb = Workbook()
    ws = wb.active
    ws.title = "同步状态"
    tables = sorted({k for s in sts for k in s.rows})
    ws.append(["乡镇", "区划代码", "最后包序号", "最后导入时间(UTC)", "待处理冲突",
               *[TABLE_LABELS.get(t, t) for t in tables]])
    for s in sts:
        ws.append([s.name, s.code, s.last_seq,
                   s.last_package_at.strftime("%Y-%m-%d %H:%M") if s.last_package_at else "从未",
                   s.open_conflicts, *[s.rows.get(t, 0) for t in tables]])
    ws2 = wb.create_sheet("发放合计")
    ws2.append(["乡镇", "区划代码", "项目", "年度", "数据表", "人数(条)", "金额(元)"])
    for r in totals:
        ws2.append([r["township"], r["township_code"], r["program"], r["year"], r["table"], r["count"], r["total"]])
        ws2.cell(ws2.max_row, 7).number_format = "#,##0.00"
    for sheet in (ws, ws2):
        for c in sheet[1]:
            c.font = Font(bold=True)
        for col in sheet.columns:
            sheet.column_dimensions[col[0].column_letter].width = 14
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    wb.save(tmp)
    os.replace(tmp, out)
    return {"townships": len(sts), "total_rows": len(totals)}
