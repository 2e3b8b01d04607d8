"""Reading batches back: lists, one batch's rows (paged, searchable), export, delete, reveal.

Screens and exports show masked IDs and accounts; the full ID of one row is shown only
through :func:`reveal_id`, which writes an audit entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.errors import NotFound
from gkdesk.fileio import write_with
from gkdesk.hints import Hint
from gkdesk.identity import mask_account, mask_id
from gkdesk.models.payout import Payout, PayoutBatch, Program, fen_to_yuan
from gkdesk.models.township import Village
from gkdesk.payouts.importer import batch_village_counts, soft_delete_batch
from gkdesk.result import OpResult

ROW_COLUMNS = ["村(社区)", "村民小组", "姓名", "身份证号", "账号", "数量", "单位", "标准", "金额(元)", "月份", "备注", "原行号"]


def batches(session: Session, include_deleted: bool = False) -> list[PayoutBatch]:
    t = township.current(session)
    q = select(PayoutBatch).where(PayoutBatch.township_id == t.id)
    if not include_deleted:
        q = q.where(PayoutBatch.deleted_at.is_(None))
    return list(session.scalars(q.order_by(PayoutBatch.imported_at.desc())))


def find_batch(session: Session, ref: str) -> PayoutBatch:
    """A batch by full id or a unique prefix of at least 6 characters (as ``list`` shows)."""
    ref = ref.strip().lower()
    b = session.get(PayoutBatch, ref)
    if b is None and len(ref) >= 6:
        found = list(session.scalars(select(PayoutBatch).where(PayoutBatch.id.like(ref + "%"),
                                                               PayoutBatch.deleted_at.is_(None)).limit(2)))
        b = found[0] if len(found) == 1 else None
    if b is None or b.deleted_at is not None:
        raise NotFound(f"找不到发放批次“{ref}”", hint=Hint.LIST_BATCHES)
    return b


def batch_dict(session: Session, b: PayoutBatch, with_villages: bool = False) -> dict[str, Any]:
    d = {"id": b.id, "program": b.program.name, "year": b.year, "period": b.period, "file": b.source_name,
         "sha256": b.source_sha256, "rows": b.row_count, "villages_count": b.village_count,
         "total_amount": f"{b.total_amount:.2f}", "warnings": b.warning_count,
         "imported_at": b.imported_at.strftime("%Y-%m-%d %H:%M"), "imported_by": b.imported_by,
         "replaces": b.replaces_id, "household": bool(b.household), "persons_label": b.persons_label or ""}
    if with_villages:
        d["villages"] = batch_village_counts(session, b.id)
    return d


def rows_select(batch_id: str, search: str = "") -> Select[Any]:
    """Rows of a batch in file order; ``search`` matches name, village, group or ID tail."""
    q = (select(Payout.id, Village.name, Payout.group_name, Payout.recipient_name, Payout.id_number,
                Payout.account_number, Payout.quantity, Payout.unit, Payout.rate, Payout.amount_fen,
                Payout.month, Payout.remark, Payout.source_row)
         .join(Village, Village.id == Payout.village_id)
         .where(Payout.batch_id == batch_id, Payout.deleted_at.is_(None)))
    s = search.strip()
    if s:
        like = f"%{s}%"
        q = q.where(or_(Payout.recipient_name.like(like), Village.name.like(like), Payout.group_name.like(like),
                        Payout.id_number.like(f"%{s}") if s.isalnum() and len(s) >= 4 else False))
    return q.order_by(Payout.seq)


def display_row(r: Any) -> tuple[Any, ...]:
    """A row for screens: masked ID and account, amount in yuan."""
    return (r[1], r[2], r[3], mask_id(r[4]), mask_account(r[5]), "" if r[6] is None else f"{r[6]}", r[7],
            "" if r[8] is None else f"{r[8]}", fen_to_yuan(r[9]), r[10], r[11], r[12])


def batch_rows(session: Session, batch_id: str, search: str = "", offset: int = 0, limit: int = 200) -> list[tuple[Any, ...]]:
    return [display_row(r) for r in session.execute(rows_select(batch_id, search).offset(offset).limit(limit))]


def count_rows(session: Session, batch_id: str, search: str = "") -> int:
    return int(session.scalar(select(func.count()).select_from(rows_select(batch_id, search).order_by(None).subquery())) or 0)


def reveal_id(session: Session, payout_id: str, operator: str) -> str:
    """The full ID of one row, for an explicit "show" on screen; logged in the audit log."""
    p = session.get(Payout, payout_id)
    if p is None or p.deleted_at is not None:
        raise NotFound("找不到该发放记录")
    audit.record(session, operator, "payouts.reveal_id", p.id, batch=p.batch_id, name=p.recipient_name,
                 row=p.source_row)
    return p.id_number


def delete_batch(session: Session, ref: str, operator: str) -> OpResult:
    """Soft-delete a batch and its rows (tombstones travel to the county).

    The backup before it is the caller's (``gkdesk.app.payouts.delete_batch``)."""
    b = find_batch(session, ref)
    n = soft_delete_batch(session, b)
    audit.record(session, operator, "payouts.delete", b.id, program=b.program.name, year=b.year,
                 period=b.period, rows=n)
    return OpResult(status="deleted", changes={"payouts"}, counts={"rows": n},
                    data={"batch": b.id, "program": b.program.name, "year": b.year, "period": b.period})


def export_batch(session: Session, ref: str, out: Path, operator: str) -> OpResult:
    """Full data (unmasked: internal use only) of one batch to .xlsx, in file order."""
    from openpyxl import Workbook

    from gkdesk.sheets.writer import print_setup, safe_row

    b = find_batch(session, ref)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("发放清册")
    title = f"{b.program.name} {b.year}年{b.period}发放清册(内部使用,含完整身份证号,不得公开)"
    print_setup(ws, title=title, landscape=True, header_rows=(1, 2),
                widths=[12, 10, 10, 21, 23, 9, 6, 9, 12, 10, 18, 8])
    ws.append([title])
    ws.append(ROW_COLUMNS)
    n = 0
    for r in session.execute(rows_select(b.id)):
        # Names and notes are the list's text: a "=HYPERLINK(…&D3)" cell must not become a
        # live formula in a file whose column D is the full ID.
        ws.append(safe_row(ws, [r[1], r[2], r[3], r[4], r[5], None if r[6] is None else float(r[6]), r[7],
                                None if r[8] is None else float(r[8]), float(fen_to_yuan(r[9])), r[10],
                                r[11], r[12]]))
        n += 1
    ws.append(["合计", None, None, None, None, None, None, None, float(b.total_amount)])
    out.parent.mkdir(parents=True, exist_ok=True)
    write_with(out, wb.save)
    audit.record(session, operator, "payouts.export", b.id, file=str(out), rows=n)
    return OpResult(status="exported", counts={"rows": n}, data={"batch": b.id, "file": str(out)})


def program_of(session: Session, b: PayoutBatch) -> Program:
    return b.program
