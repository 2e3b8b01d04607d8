"""The posting register (公示台账) of a village or of all villages for a year, as .xlsx and PDF.

This is what the township hands the county when it checks 村务公开: every posting of the
year with its review, place, period, objections, status and — in the PDF — thumbnails
of the photos of the posted sheet. Rows come from one function so both formats agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.errors import Cancelled, InputRejected, UnreadableInput
from gkdesk.models.posting_lifecycle import ALL_KIND_LABELS, status_label
from gkdesk.models.village_disclosure import VillageCatalogueItem
from gkdesk.postings.lifecycle import list_postings, period_text
from gkdesk.postings.photos import thumbnail
from gkdesk.result import IsCancelled, OpResult, Report, never_cancelled, no_report

audit.ACTION_LABELS["posting.register"] = "导出公示台账"
HEADERS = ["序号", "村(社区)", "公示标题", "类型/事项", "张贴地点", "审核", "张贴日期", "公示期", "异议", "状态",
           "归档", "照片", "更正关系"]


@dataclass
class RegisterRow:
    village: str
    title: str
    kind: str
    location: str
    review: str
    posted_on: str
    period: str
    objections: str
    status: str
    archived: str
    photo_count: int
    replaces: str
    photo_ids: list[str] = field(default_factory=list)

    def cells(self, n: int) -> list[object]:
        return [n, self.village, self.title, self.kind, self.location, self.review, self.posted_on, self.period,
                self.objections, self.status, self.archived, self.photo_count or "", self.replaces]


def register_rows(session: Session, year: int, village_name: str | None = None) -> list[RegisterRow]:
    vs = township.villages(session, include_deleted=True)
    names = {v.id: v.name for v in vs}
    order = {v.id: i for i, v in enumerate(vs)}
    postings = list_postings(session, village_name=village_name, year=year, with_children=True)
    postings.sort(key=lambda p: (order.get(p.village_id or "", -1), p.posted_on or p.created_at.date(), p.title))
    replaced_by = {p.replaces_id: p for p in postings if p.replaces_id}
    items = {i.id: i for i in session.scalars(select(VillageCatalogueItem).where(
        VillageCatalogueItem.id.in_({p.catalogue_item_id for p in postings if p.catalogue_item_id})))}
    rows = []
    for p in postings:
        kind = ALL_KIND_LABELS.get(p.kind, p.kind)
        item = items.get(p.catalogue_item_id or "")
        if item is not None:
            kind = f"{item.category}·{item.name}"
        objs = [o for o in p.objections if o.deleted_at is None]
        answered = sum(1 for o in objs if o.answer)
        link = []
        if p.replaces_id:
            link.append(f"更正 {p.replaces_id[:8]}")
        if p.id in replaced_by:
            link.append(f"被 {replaced_by[p.id].id[:8]} 更正")
        photos = [ph for ph in p.photos if ph.deleted_at is None]
        rows.append(RegisterRow(
            village=names.get(p.village_id or "", "") + (f" {p.group_name}" if p.group_name else ""),
            title=f"{p.title}({p.id[:8]})", kind=kind,
            location=p.location, review=f"{p.reviewer_body} {p.reviewer} {p.reviewed_on or ''}".strip(),
            posted_on=str(p.posted_on or ""), period=period_text(p),
            objections=f"{len(objs)}条(已答复{answered})" if objs else "无",
            status=status_label(p), archived=f"{p.archived_on} {p.archive_place}" if p.archived_on else "",
            photo_count=len(photos), replaces=";".join(link), photo_ids=[ph.id for ph in photos]))
    return rows


def _title(session: Session, year: int, village_name: str | None) -> str:
    t = township.current(session)
    return f"{t.name}{year}年村务公开公示台账({village_name or '全部村(社区)'})"


def _atomic_write(out: Path, write) -> None:  # type: ignore[no-untyped-def]
    from gkdesk.fileio import write_with

    write_with(out, write)


def export_register(session: Session, data_dir: Path, year: int, out: str | Path, operator: str, *,
                    village_name: str | None = None, report: Report = no_report,
                    cancelled: IsCancelled = never_cancelled) -> OpResult:
    """Write the register as .xlsx or .pdf (chosen by the file's suffix)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise InputRejected(f"输出文件“{out.name}”的类型不支持:请用 .xlsx 或 .pdf")
    rows = register_rows(session, year, village_name)
    title = _title(session, year, village_name)
    report(0.1, f"共 {len(rows)} 条公示")
    if suffix == ".xlsx":
        _atomic_write(out, lambda tmp: _write_xlsx(tmp, title, rows))
    else:
        _atomic_write(out, lambda tmp: _write_pdf(session, data_dir, tmp, title, rows, report, cancelled))
    audit.record(session, operator, "posting.register", out.name, year=year, village=village_name or "", rows=len(rows))
    report(1.0, "完成")
    return OpResult(counts={"rows": len(rows), "photos": sum(r.photo_count for r in rows)},
                    data={"file": str(out), "title": title})


def _write_xlsx(path: str, title: str, rows: list[RegisterRow]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "公示台账"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(HEADERS)
    for c in ws[2]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for n, r in enumerate(rows, start=1):
        ws.append(r.cells(n))
    widths = [6, 14, 40, 28, 10, 26, 12, 34, 14, 10, 18, 6, 20]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=3):
        for c in row:
            c.alignment = Alignment(vertical="top", wrap_text=True)
    ws.freeze_panes = "A3"
    ws.append([])
    ws.append([f"共 {len(rows)} 条公示,照片 {sum(r.photo_count for r in rows)} 张"])
    from gkdesk.sheets.writer import defuse, print_setup

    # 13 columns: landscape, fitted to the page width, title and header on every page.
    print_setup(ws, landscape=True, header_rows=(1, 2))
    defuse(wb)  # titles and notes come from clerks' and villages' text: never live formulas
    wb.save(path)


def _write_pdf(session: Session, data_dir: Path, path: str, title: str, rows: list[RegisterRow],
               report: Report, cancelled: IsCancelled) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gkdesk.models.posting_lifecycle import PostingPhoto
    from gkdesk.notices.fonts import font_set_for_session

    # 10.5 pt like the notices (it was 7.5 pt): the register is read at the desk and by inspectors.
    from gkdesk.notices.textfit import Metrics

    fonts = font_set_for_session(session)
    font = fonts.primary.name
    metrics = Metrics(fonts)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10.5, leading=13.5)
    head = ParagraphStyle("head", parent=cell, alignment=1)
    big = ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1)

    def para(text: object, style: ParagraphStyle = cell, width_mm: float = 0) -> Paragraph:
        """Lines wrapped by the notices' own wrapper (reportlab's CJK wrap cuts dates and
        numbers anywhere): between characters of text, never inside a number or date."""
        from xml.sax.saxutils import escape

        if width_mm:
            lines = metrics.wrap(str(text), width_mm * mm - 7, style.fontSize)
            return Paragraph("<br/>".join(escape(ln) for ln in lines), style)
        return Paragraph(escape(str(text)), style)

    cols = ["序号", "村(社区)", "公示标题", "类型/事项", "审核", "张贴", "公示期", "异议", "状态", "照片"]
    widths = [13, 22, 56, 32, 28, 27, 29, 18, 20, 32]
    data: list[list[object]] = [[para(c, head, w) for c, w in zip(cols, widths, strict=True)]]
    for n, r in enumerate(rows, start=1):
        if cancelled():
            raise Cancelled()
        thumbs: list[object] = []
        for pid in r.photo_ids[:2]:
            ph = session.get(PostingPhoto, pid)
            try:
                tp = thumbnail(data_dir, ph, 240)
            except UnreadableInput as exc:
                thumbs.append(para(exc.message))
                continue
            w, h = ph.width or 4, ph.height or 3
            scale = min(13 * mm / w, 13 * mm / h)
            thumbs.append(Image(str(tp), width=w * scale, height=h * scale))
        if len(r.photo_ids) > 2:
            thumbs.append(para(f"共{len(r.photo_ids)}张", width_mm=10))
        photo_cell: object = Table([thumbs], style=[("LEFTPADDING", (0, 0), (-1, -1), 1),
                                                    ("RIGHTPADDING", (0, 0), (-1, -1), 1)]) if thumbs \
            else para("无照片", width_mm=widths[9])
        place = f"{r.posted_on} {r.location}".strip()
        texts = [n, r.village, r.title + (f"\n{r.replaces}" if r.replaces else ""), r.kind, r.review,
                 place.replace(" ", "\n"), r.period.replace("至", "\n至"), r.objections,
                 r.status + (f"\n{r.archived}" if r.archived else "")]
        data.append([para(t, cell, w) for t, w in zip(texts, widths, strict=False)] + [photo_cell])
        if n % 20 == 0:
            report(0.1 + 0.8 * n / max(len(rows), 1), f"第 {n}/{len(rows)} 条")
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.setFont(font, 10.5)
        canvas.drawCentredString(landscape(A4)[0] / 2, 8 * mm, f"第 {doc.page} 页")

    doc = SimpleDocTemplate(path, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                            topMargin=12 * mm, bottomMargin=14 * mm, title=title)
    story = [para(title, big), Spacer(1, 4 * mm), table, Spacer(1, 3 * mm),
             para(f"共 {len(rows)} 条公示,照片 {sum(r.photo_count for r in rows)} 张。")]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
