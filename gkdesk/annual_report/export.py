"""The report as .docx (official layout, merged table headers), PDF and .xlsx of the tables.

Nothing here reads the applicant table: the report is counts and the clerk's texts only.
Every file is written to a temporary name beside the target and moved into place.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from gkdesk.annual_report import tables as T
from gkdesk.annual_report.report import SECTION_TITLES, SECTIONS, AnnualReport
from gkdesk.annual_report.report import figure_label as report_label
from gkdesk.disclosure import labels as L


def _atomic(out: Path, write: Callable[[str], None]) -> None:
    """Whole or not at all, and a message when the old file is open in Word/WPS (Windows)."""
    from gkdesk.fileio import write_with

    write_with(out, write)


def _fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return f"{v.normalize():f}"
    return str(v)


# --- the three tables as grids (text, row span, col span) -----------------------------------
Cell = tuple[str, int, int]  # text, rowspan, colspan; ("", 0, 0) = covered by a merge


def grid2(rep: AnnualReport) -> list[list[Cell]]:
    head = [[("第二十条第（一）项", 1, 4)] + [("", 0, 0)] * 3,
            [("信息内容", 1, 1), ("本年制发件数", 1, 1), ("本年废止件数", 1, 1), ("现行有效件数", 1, 1)]]
    v = rep.table2
    rows = [[("规章", 1, 1)] + [(_fmt(v[f"rules.{k}"]), 1, 1) for k in ("issued", "repealed", "in_force")],
            [("行政规范性文件", 1, 1)] + [(_fmt(v[f"normative.{k}"]), 1, 1) for k in ("issued", "repealed", "in_force")]]
    blocks = [("第二十条第（五）项", "本年处理决定数量", [("行政许可", "license.decisions")]),
              ("第二十条第（六）项", "本年处理决定数量", [("行政处罚", "penalty.decisions"), ("行政强制", "coercion.decisions")]),
              ("第二十条第（八）项", "本年收费金额（单位：万元）", [("行政事业性收费", "fees.amount")])]
    for title, col, items in blocks:
        rows.append([(title, 1, 4)] + [("", 0, 0)] * 3)
        rows.append([("信息内容", 1, 1), (col, 1, 3), ("", 0, 0), ("", 0, 0)])
        rows += [[(name, 1, 1), (_fmt(v[key]), 1, 3), ("", 0, 0), ("", 0, 0)] for name, key in items]
    return head + rows


def grid3(rep: AnnualReport) -> list[list[Cell]]:
    """10 columns: three label columns (办理结果 / group / numbered row), then 自然人, the five
    法人或其他组织 columns and 总计 — the official table's merges."""
    skip: Cell = ("", 0, 0)
    t3 = rep.table3

    def nums(key: str) -> list[Cell]:
        return [(str(t3[key][c]), 1, 1) for c in T.T3_COLS]

    rows: list[list[Cell]] = [
        [(T.T3_NOTE, 3, 3), skip, skip, ("申请人情况", 1, 7)] + [skip] * 6,
        [skip, skip, skip, ("自然人", 2, 1), ("法人或其他组织", 1, 5)] + [skip] * 4 + [("总计", 2, 1)],
        [skip, skip, skip, skip] + [(T.T3_COL_LABELS[c], 1, 1) for c in L.APPLICANT_TYPES[1:]] + [skip],
    ]
    for key in ("new", "carried"):
        rows.append([(T.T3_ROW_LABELS[key], 1, 3), skip, skip, *nums(key)])
    result_rows = [k for k in T.T3_ROWS if k not in ("new", "carried", "carry_next")]
    lead: Cell = (T.T3_ROW_LABELS["results"], len(result_rows), 1)
    for g, label, subs in L.OUTCOME_GROUPS:
        if not subs:
            rows.append([lead, (label, 1, 2), skip, *nums(g)])
        else:
            for m, (code, sub) in enumerate(subs):
                rows.append([lead, (label, len(subs), 1) if m == 0 else skip, (sub, 1, 1), *nums(code)])
                lead = skip
        lead = skip
    rows.append([skip, (T.T3_ROW_LABELS["total"], 1, 2), skip, *nums("total")])
    rows.append([(T.T3_ROW_LABELS["carry_next"], 1, 3), skip, skip, *nums("carry_next")])
    return rows


def grid4(rep: AnnualReport) -> list[list[Cell]]:
    skip: Cell = ("", 0, 0)
    res = [T.T4_COL_LABELS[c] for c in T.T4_COLS]
    head = [[("行政复议", 1, 5)] + [skip] * 4 + [("行政诉讼", 1, 10)] + [skip] * 9,
            [(x, 2, 1) for x in res] + [("未经复议直接起诉", 1, 5)] + [skip] * 4 + [("复议后起诉", 1, 5)] + [skip] * 4,
            [skip] * 5 + [(x, 1, 1) for x in res * 2]]
    row = [(str(rep.table4[b][c]), 1, 1) for b in T.T4_BLOCKS for c in T.T4_COLS]
    return [*head, row]


TABLE_TITLES = ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")


def grids(rep: AnnualReport) -> dict[str, list[list[Cell]]]:
    return {"二": grid2(rep), "三": grid3(rep), "四": grid4(rep)}


def _width(grid: list[list[Cell]]) -> int:
    widths = {len(row) for row in grid}
    assert len(widths) == 1, "every grid row lists each column once (merged ones as skips)"
    return widths.pop()


# --- .docx --------------------------------------------------------------------------------
def write_docx(rep: AnnualReport, out: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.left_margin = sec.right_margin = Cm(2.4)
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "仿宋_GB2312")

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(rep.title)
    r.bold = True
    r.font.size = Pt(20)
    _fonts(r, "宋体", "方正小标宋简体", qn)
    g = grids(rep)
    for s in SECTIONS:
        h = doc.add_paragraph()
        run = h.add_run(SECTION_TITLES[s])
        run.bold = True
        _fonts(run, "黑体", "黑体", qn)
        for line in rep.sections[s].splitlines():
            if line.strip():
                para = doc.add_paragraph(line.strip())
                para.paragraph_format.first_line_indent = Pt(28)
        if s in g:
            _docx_table(doc, g[s], Pt, DOCX_WIDTHS[s])
    doc.add_paragraph()
    sign = doc.add_paragraph(rep.agency)
    sign.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.core_properties.title = rep.title
    doc.core_properties.author = rep.agency
    _atomic(out, lambda tmp: doc.save(tmp))


def _fonts(run: Any, latin: str, east_asia: str, qn: Any) -> None:
    """Word picks Chinese glyphs from the eastAsia font, which python-docx does not set by itself."""
    run.font.name = latin
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


#: column widths in cm (16.2 cm of text width on A4 with 2.4 cm margins)
DOCX_WIDTHS = {"二": [4.2, 4.0, 4.0, 4.0], "三": [1.5, 1.7, 4.0] + [1.28] * 7, "四": [1.08] * 15}


def _docx_table(doc: Any, grid: list[list[Cell]], Pt: Any, widths: list[float]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    ncols = _width(grid)
    table = doc.add_table(rows=len(grid), cols=ncols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for ci, w in enumerate(widths):
        table.columns[ci].width = Cm(w)
        for cell in table.columns[ci].cells:
            cell.width = Cm(w)
    for ri, row in enumerate(grid):
        for ci, (text, rs, cs) in enumerate(row):
            if rs == 0 and cs == 0:
                continue
            cell = table.cell(ri, ci)
            if rs > 1 or cs > 1:
                cell = cell.merge(table.cell(ri + rs - 1, ci + cs - 1))
            cell.text = text
            for para in cell.paragraphs:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER if text.isdigit() or ri < 3 else WD_ALIGN_PARAGRAPH.LEFT
                for run in para.runs:
                    run.font.size = Pt(9)
    doc.add_paragraph()


# --- PDF ----------------------------------------------------------------------------------
def write_pdf(rep: AnnualReport, out: Path, fonts: Any) -> None:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    def mk(text: str) -> str:
        return "".join(f'<font name="{f.name}">{escape(s)}</font>' for f, s in fonts.runs(text))

    base = fonts.primary.name
    st_t = ParagraphStyle("t", fontName=base, fontSize=18, leading=28, alignment=TA_CENTER, spaceAfter=10)
    st_h = ParagraphStyle("h", fontName=base, fontSize=13, leading=22, spaceBefore=8)
    st_b = ParagraphStyle("b", fontName=base, fontSize=11.5, leading=20, firstLineIndent=23, wordWrap="CJK")
    st_c = ParagraphStyle("c", fontName=base, fontSize=7.5, leading=9.5, alignment=TA_CENTER, wordWrap="CJK")
    st_l = ParagraphStyle("l", parent=st_c, alignment=0)
    st_s = ParagraphStyle("s", parent=st_b, alignment=TA_RIGHT, firstLineIndent=0)
    story: list[Any] = [Paragraph(mk(rep.title), st_t)]
    g = grids(rep)
    width = A4[0] - 36 * mm
    for s in SECTIONS:
        story.append(Paragraph(mk(SECTION_TITLES[s]), st_h))
        story += [Paragraph(mk(line.strip()), st_b) for line in rep.sections[s].splitlines() if line.strip()]
        if s in g:
            grid = g[s]
            n = _width(grid)
            data = [[Paragraph(mk(t), st_c if (t.isdigit() or ri < 3) else st_l) if (rs or cs) else ""
                     for t, rs, cs in row] for ri, row in enumerate(grid)]
            cmds: list[Any] = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
            for ri, row in enumerate(grid):
                for ci, (_t, rs, cs) in enumerate(row):
                    if rs > 1 or cs > 1:
                        cmds.append(("SPAN", (ci, ri), (ci + cs - 1, ri + rs - 1)))
            if s == "三":
                widths = [12 * mm, 14 * mm, 48 * mm] + [(width - 74 * mm) / 7] * 7
            else:
                widths = [width / n] * n
            story += [Spacer(1, 4), Table(data, colWidths=widths, style=TableStyle(cmds), repeatRows=3 if s == "三" else 0)]
    story += [Spacer(1, 24), Paragraph(mk(rep.agency), st_s)]
    _atomic(out, lambda tmp: SimpleDocTemplate(tmp, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                               topMargin=20 * mm, bottomMargin=20 * mm, title=rep.title,
                                               author=rep.agency).build(story))


# --- .xlsx --------------------------------------------------------------------------------
def write_xlsx(rep: AnnualReport, out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = Workbook()
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    first = True
    for (s, grid), title in zip(grids(rep).items(), TABLE_TITLES, strict=True):
        ws = wb.active if first else wb.create_sheet()
        first = False
        ws.title = f"表{s}"
        n = _width(grid)
        ws.append([f"{rep.title} — {title}"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
        ws["A1"].font = Font(bold=True, size=13)
        for ri, row in enumerate(grid, start=2):
            for ci, (text, rs, cs) in enumerate(row, start=1):
                if rs or cs:
                    ws.cell(ri, ci, int(text) if text.isdigit() else text)
                    if rs > 1 or cs > 1:
                        ws.merge_cells(start_row=ri, start_column=ci, end_row=ri + rs - 1, end_column=ci + cs - 1)
            for c in range(1, n + 1):
                ws.cell(ri, c).border = box
                ws.cell(ri, c).alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        notes = {"二": ["注:表二各数字为手工填报(本系统无相关记录)。"],
                 "三": [f"注:{report_label(k)}为手工填报(与登记台账不同)。" for k in rep.cell_overrides if k.startswith("t3.")],
                 "四": [f"注:{report_label(k)}为手工填报(与登记台账不同)。" for k in rep.cell_overrides if k.startswith("t4.")]}
        for note in notes[s]:
            ws.append([note])
        for col, w in (("A", 14), ("B", 14), ("C", 34 if s == "三" else 14)):
            ws.column_dimensions[col].width = w
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    _atomic(out, lambda tmp: wb.save(tmp))
