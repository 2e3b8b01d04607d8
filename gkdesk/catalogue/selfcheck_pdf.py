"""The 回头看 self-check as a PDF (reportlab, A4 landscape, repeated header, 第 x 页 共 y 页).

Chinese needs an embedded font: :func:`cjk_font` uses the notices' font finder
(``gkdesk.notices.fonts``), so the self-check embeds the same TrueType font the notices do.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from gkdesk.fileio import write_with

if TYPE_CHECKING:
    from gkdesk.catalogue.selfcheck import SelfCheck



@cache
def cjk_font() -> str:
    """Register and return the name of an embeddable Chinese TrueType font.

    The same search as the notices (``gkdesk.notices.fonts``): never reportlab's built-in
    STSong-Light, which is not embedded and prints as boxes or blanks on other PCs; with
    no Chinese TrueType font at all the PDF is refused with a message.
    """
    extra = os.environ.get("GKDESK_CJK_FONT")
    if extra and Path(extra).is_file():
        from gkdesk.notices.fonts import load_font

        f = load_font(extra)
        if f is not None:
            return f.name
    from gkdesk.notices.fonts import choose_fonts

    return choose_fonts().primary.name


def write_pdf(sc: SelfCheck, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gkdesk.catalogue.selfcheck import HEADERS

    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
    head = ParagraphStyle("head", parent=body, fontSize=10)
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1)
    note = ParagraphStyle("note", parent=body, fontSize=10, leading=14)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph((text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), style)

    data = [[p(h, head) for h in HEADERS]]
    spans = []
    first = 1
    for i, r in enumerate(sc.rows):
        data.append([p(r.domain), p(r.item), p(r.problem), p(r.responsible), p(r.deadline), p(r.status)])
        nxt = sc.rows[i + 1].domain if i + 1 < len(sc.rows) else None
        if nxt != r.domain:
            if len(data) - 1 > first:
                spans.append(("SPAN", (0, first), (0, len(data) - 1)))
            first = len(data)
    widths = [28 * mm, 52 * mm, 80 * mm, 40 * mm, 24 * mm, 50 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *spans,
    ]))
    story = [p(sc.title, title), Spacer(1, 4 * mm),
             p(f"自查日期:{sc.today.isoformat()}    {sc.summary}", note), Spacer(1, 3 * mm), table]
    if sc.not_applicable:
        story += [Spacer(1, 5 * mm), p("未涉及领域(事项)说明", head)]
        story += [p(f"{name}:{reason or '(未填写理由)'}", note) for name, reason in sc.not_applicable]

    class NumberedCanvas(rl_canvas.Canvas):
        """Defers pages so the footer can say 共 y 页."""

        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 9)
                self.drawCentredString(landscape(A4)[0] / 2, 8 * mm, f"第 {self._pageNumber} 页 共 {total} 页")
                super().showPage()
            super().save()

    def build(tmp: str) -> None:
        doc = SimpleDocTemplate(tmp, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                                topMargin=12 * mm, bottomMargin=15 * mm, title=sc.title, author=sc.township)
        doc.build(story, canvasmaker=NumberedCanvas)

    write_with(path, build)
