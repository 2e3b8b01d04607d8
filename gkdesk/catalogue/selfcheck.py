"""The 回头看 self-check: what is overdue or missing, per domain and item, as .xlsx or PDF.

The columns follow the 回头看 tables counties publish (一级指标 / 二级指标 / 存在问题 /
责任单位 / 完成期限 / 落实情况): the domain is the first-level indicator, the item the
second; the problems and deadlines come from ``due``. Domains marked 未涉及 are listed
after the table with the township's explanation, as directories do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.catalogue import core, due, duty
from gkdesk.errors import InputRejected

HEADERS = ["一级指标", "二级指标", "存在问题", "责任单位", "完成期限", "落实情况"]
OPEN = (due.OVERDUE, due.DUE_SOON, due.PENDING)


@dataclass
class SelfCheckRow:
    domain: str
    item: str
    problem: str
    responsible: str
    deadline: str
    status: str


@dataclass
class SelfCheck:
    title: str
    township: str
    today: date
    rows: list[SelfCheckRow]
    not_applicable: list[tuple[str, str]]  # (domain or item, reason)
    summary: str


def build(session: Session, today: date | None = None) -> SelfCheck:
    board = due.dashboard(session, today=today)
    t = township.current(session)
    rows: list[SelfCheckRow] = []
    not_applicable: list[tuple[str, str]] = []
    for d in core.domains(session):
        if not d.applicable:
            not_applicable.append((d.name, d.not_applicable_reason))
    counts = {"ok": 0, "bad": 0}
    for item in core.items(session):
        if not item.domain.applicable:
            continue
        if not item.applicable:
            not_applicable.append((f"{item.domain.name} / {item.label}", item.not_applicable_reason))
            continue
        if not duty.counts(item):  # a county department publishes it: not the township's to answer for
            not_applicable.append((f"{item.domain.name} / {item.label}",
                                   f"县级部门负责({item.publisher or '、'.join(item.levels)})"))
            continue
        occ = board.by_item.get(item.id, [])
        pubs = core.publications(item)
        problems = []
        for o in occ:
            if o.status == due.OVERDUE:
                problems.append(f"{o.period or '本期'}逾期未公开(应于{o.due.isoformat()}前)")  # type: ignore[union-attr]
            elif o.status == due.LATE:
                problems.append(f"{o.period}:{o.published_on.isoformat()}公开,晚于期限{o.due.isoformat()}")  # type: ignore[union-attr]
            elif o.status == due.NEVER:
                problems.append("从未登记公开记录" + (f"({o.note})" if o.note else ""))
            elif o.status == due.CALENDAR_MISSING:
                problems.append(o.note)
        opens = [o for o in occ if o.status in OPEN and o.due]
        deadline = min(o.due for o in opens).isoformat() if opens else (  # type: ignore[type-var]
            next((o.note for o in occ if o.status == due.CALENDAR_MISSING), "—"))
        last = f"最近公开 {pubs[-1].published_on.isoformat()}" + (f"({pubs[-1].channel})" if pubs[-1].channel else "") \
            if pubs else ""
        bad = any(o.status in (due.OVERDUE, due.NEVER) for o in occ)
        if bad:
            status = "未落实" + (f";{last}" if last else "")
        elif any(o.status in (due.DUE_SOON, due.PENDING) for o in occ):
            status = "持续推进" + (f";{last}" if last else "")
        else:
            status = "已落实" + (f";{last}" if last else "")
        counts["bad" if bad else "ok"] += 1
        rows.append(SelfCheckRow(item.domain.name, item.label, ";".join(problems) or "无",
                                 item.publisher or item.domain.department, deadline, status))
    summary = (f"共{len(rows)}个应公开事项,未落实{counts['bad']}个,已落实或持续推进{counts['ok']}个;"
               f"未涉及{len(not_applicable)}项")
    return SelfCheck(title=f"{t.name}基层政务公开标准目录落实情况“回头看”自查表", township=t.name,
                     today=board.today, rows=rows, not_applicable=not_applicable, summary=summary)


def export(session: Session, path: str | Path, today: date | None = None) -> SelfCheck:
    """Write the self-check to ``path`` (.xlsx or .pdf by suffix)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise InputRejected(f"输出文件“{path.name}”的类型不支持:请使用 .xlsx 或 .pdf")
    sc = build(session, today)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        _write_xlsx(sc, path)
    else:
        from gkdesk.catalogue.selfcheck_pdf import write_pdf

        write_pdf(sc, path)
    return sc


def _write_xlsx(sc: SelfCheck, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    ws = wb.active
    ws.title = "回头看"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    ws.append([sc.title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"自查日期:{sc.today.isoformat()}    {sc.summary}"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws.append(HEADERS)
    for c in ws[3]:
        c.font, c.border, c.alignment = Font(bold=True), box, Alignment(horizontal="center", vertical="center")
    first = 4
    for i, r in enumerate(sc.rows):
        ws.append([r.domain, r.item, r.problem, r.responsible, r.deadline, r.status])
        for c in ws[ws.max_row]:
            c.border, c.alignment = box, wrap
        nxt = sc.rows[i + 1].domain if i + 1 < len(sc.rows) else None
        if nxt != r.domain:
            if ws.max_row > first:
                ws.merge_cells(start_row=first, start_column=1, end_row=ws.max_row, end_column=1)
            first = ws.max_row + 1
    if sc.not_applicable:
        ws.append([])
        ws.append(["未涉及领域(事项)说明"])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        for name, reason in sc.not_applicable:
            ws.append([name, reason or "(未填写理由)"])
    for col, width in zip("ABCDEF", (14, 30, 46, 22, 14, 30), strict=True):
        ws.column_dimensions[col].width = width
    from gkdesk.sheets.writer import print_setup, save_workbook

    print_setup(ws, landscape=True, header_rows=(1, 3))
    save_workbook(wb, path)
