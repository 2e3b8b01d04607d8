"""The notice renderer: a table drawn straight on the reportlab canvas.

One platypus LongTable for 10,000 rows costs ~6× a bare canvas loop; this renderer
does the layout itself in two passes and stays near the floor:

1. *layout*: wrap every cell (CJK breaks anywhere), measure row heights and cut the
   rows into pages so that no row is split and the closing block (phones, signatures,
   room for the seal) fits on the last page. The page count is then known, so every
   page can say ``第 x 页 共 y 页`` without a second rendering.
2. *draw*: per page the heading, the column header (repeated), the rows with one
   text object and one grid path, the footer.

The renderer only ever sees the strings of a :class:`Notice`; masking happens when the
notice is built. As a last guard it still masks any run of 15+ digits in a cell, so a
full ID typed into a remark column cannot reach the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from gkdesk.errors import Cancelled
from gkdesk.notices.fonts import FontSet, LoadedFont
from gkdesk.notices.layout import PageLayout
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report

ROW_DATA, ROW_SUBTOTAL, ROW_TOTAL = "data", "subtotal", "total"
LONG_DIGITS = re.compile(r"\d{15,}[\dXx]?")
# The same numbers as cards and ID cards print them: groups of 3+ digits split by a space or hyphen.
GROUPED_DIGITS = re.compile(r"(?<![\d*])\d{3,}(?:[ \u3000-]\d{3,})+[Xx]?(?![\d*])")
SHADE = {ROW_SUBTOTAL: 0.93, ROW_TOTAL: 0.86}


def scrub(text: str) -> str:
    """Mask any digit run long enough to be an ID or account number (keep first 3 + last 4),
    also when written in groups ("6228 4800 1234 5678 901")."""
    def hide(m: re.Match[str]) -> str:
        d = re.sub(r"[^\dXx]", "", m.group())
        return d[:3] + "*" * (len(d) - 7) + d[-4:] if len(d) >= 15 else m.group()

    return GROUPED_DIGITS.sub(hide, LONG_DIGITS.sub(hide, text))


@dataclass
class Column:
    label: str
    weight: float = 1.0
    align: str = "left"  # left / center / right


@dataclass
class Row:
    cells: list[str]
    kind: str = ROW_DATA
    who: str = ""  # names the person for a missing-glyph report, e.g. "第3行 张三"


@dataclass
class Notice:
    """One sheet to post (its pages are numbered on their own)."""

    title: str
    township: str
    village: str = ""
    group: str = ""
    info: list[str] = field(default_factory=list)  # program, year/period, …
    posting_line: str = ""  # 公示期:…
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    note: str = ""
    signatures: list[str] = field(default_factory=lambda: ["经办人", "村务监督委员会审核", "日期"])
    seal_label: str = ""
    header: bool = True  # False: a text notice without column header or grid

    @property
    def place(self) -> str:
        return " ".join(p for p in (self.township, self.village, self.group) if p)


@dataclass(frozen=True)
class MissingGlyph:
    notice: str
    who: str
    column: str
    char: str

    def describe(self) -> str:
        who = f"{self.who}" if self.who else "表格"
        return (f"《{self.notice}》{who}“{self.column}”中的字“{self.char}”(U+{ord(self.char):04X})"
                "在所有可用字体中都没有字形,已印为□,请手写补上或安装含该字的字体后重印")


@dataclass
class RenderResult:
    pages: int = 0
    notice_pages: list[int] = field(default_factory=list)
    rows: int = 0
    missing: list[MissingGlyph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Metrics:
    """Per-character widths (at 1 pt) cached per font; ASCII checked once."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        p = fonts.primary
        self.ascii_ok = p.chars is None or all(c in p.chars for c in range(32, 127))
        self._runs: dict[str, list[tuple[LoadedFont, str]] | None] = {}

    def char_width(self, font: LoadedFont, ch: str) -> float:
        w = font.widths.get(ch)
        if w is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            w = font.widths[ch] = stringWidth(ch, font.name, 1.0)
        return w

    def width(self, text: str, size: float) -> float:
        runs = self.runs(text)
        if runs is None:
            f = self.fonts.primary
            cache = f.widths
            try:
                return sum([cache[c] for c in text]) * size
            except KeyError:
                return sum(self.char_width(f, c) for c in text) * size
        return sum(self.char_width(f, c) for f, s in runs for c in s) * size

    def runs(self, text: str) -> list[tuple[LoadedFont, str]] | None:
        """None when the primary font draws all of ``text`` (the common case)."""
        if text.isascii() and self.ascii_ok:
            return None
        try:
            return self._runs[text]
        except KeyError:
            pass
        chars = self.fonts.primary.chars
        r = None if chars is None or all(ord(c) in chars for c in text) else self.fonts.runs(text)
        if len(self._runs) < 200_000:
            self._runs[text] = r
        return r


@dataclass
class _Laid:
    row: Row
    lines: list[list[str]]  # per cell, its wrapped lines
    height: float


class NoticeRenderer:
    def __init__(self, layout: PageLayout, fonts: FontSet) -> None:
        self.L = layout
        self.fonts = fonts
        self.m = _Metrics(fonts)

    # ---- layout pass -------------------------------------------------------------------
    def _col_x(self, notice: Notice) -> list[float]:
        w, _h = self.L.size
        avail = w - 2 * self.L.margin_x
        total = sum(c.weight for c in notice.columns) or 1.0
        xs = [self.L.margin_x]
        for c in notice.columns:
            xs.append(xs[-1] + avail * c.weight / total)
        return xs

    def _wrap(self, text: str, width: float, size: float) -> list[str]:
        if not text:
            return [""]
        if "\n" not in text and self.m.width(text, size) <= width:
            return [text]
        lines: list[str] = []
        for para in text.split("\n"):
            cur, cur_w = "", 0.0
            for ch in para:
                cw = self.m.width(ch, size)
                if cur and cur_w + cw > width:
                    lines.append(cur)
                    cur, cur_w = "", 0.0
                cur += ch
                cur_w += cw
            lines.append(cur)
        return lines

    def _lay_rows(self, notice: Notice, xs: list[float], result: RenderResult) -> list[_Laid]:
        L, size = self.L, self.L.body_size
        widths = [xs[i + 1] - xs[i] - 2 * L.pad_x for i in range(len(notice.columns))]
        labels = [c.label for c in notice.columns]
        fonts = self.fonts
        out = []
        for row in notice.rows:
            cells = [scrub(c) if c and len(c) >= 15 else c for c in row.cells]
            row.cells = cells
            lines = []
            n = 1
            for i, text in enumerate(cells):
                if text and self.m.runs(text) is not None:
                    for ch in fonts.missing(text):
                        result.missing.append(MissingGlyph(notice.title, row.who, labels[i], ch))
                cell_lines = self._wrap(text, widths[i], size)
                lines.append(cell_lines)
                n = max(n, len(cell_lines))
            out.append(_Laid(row, lines, n * L.line_height + 2 * L.pad_y))
        return out

    def _info_lines(self, notice: Notice) -> list[str]:
        """The place, info and period lines, flowed at their "    " separators to fit the width."""
        L = self.L
        width = L.size[0] - 2 * L.margin_x
        out: list[str] = []
        for item in [notice.place, *notice.info] + ([notice.posting_line] if notice.posting_line else []):
            cur = ""
            for part in item.split("    "):
                trial = f"{cur}    {part}" if cur else part
                if cur and self.m.width(trial, L.info_size) > width:
                    out.append(cur)
                    cur = part
                else:
                    cur = trial
            out.append(cur)
        return out

    def _heading_height(self, notice: Notice) -> float:
        L = self.L
        return L.title_size * 1.6 + L.info_size * 1.5 * len(self._info_lines(notice)) + L.info_size * 0.5

    def _closing_height(self, notice: Notice) -> float:
        L = self.L
        lines = (1 if notice.note else 0) + len(notice.phones) + 1
        return L.info_size * 1.7 * lines + L.seal_room + L.info_size

    def _paginate(self, notice: Notice, laid: list[_Laid]) -> list[list[_Laid]]:
        L = self.L
        _w, h = L.size
        header_h = self._header_row_height(notice)
        body_top = h - L.margin_top - self._heading_height(notice) - header_h
        body_bottom = L.margin_bottom + L.footer_size * 2.2
        room = body_top - body_bottom
        pages: list[list[_Laid]] = [[]]
        used = 0.0
        for item in laid:
            if pages[-1] and used + item.height > room:
                pages.append([])
                used = 0.0
            pages[-1].append(item)
            used += item.height
        closing = self._closing_height(notice)
        if used + closing > room:
            # Carry a few rows over so the signatures never stand alone on a page.
            carry: list[_Laid] = []
            last = pages[-1]
            while len(last) > 1 and len(carry) < 3:
                carry.insert(0, last.pop())
            pages.append(carry)
        return pages

    def _header_lines(self, notice: Notice) -> list[list[str]]:
        """Column labels wrapped to their column (a long program name takes two lines)."""
        xs = self._col_x(notice)
        return [self._wrap(c.label, xs[i + 1] - xs[i] - 2 * self.L.pad_x, self.L.body_size)
                for i, c in enumerate(notice.columns)]

    def _header_row_height(self, notice: Notice) -> float:
        if not notice.header:
            return 0.0
        n = max((len(ls) for ls in self._header_lines(notice)), default=1)
        return n * self.L.line_height + 2 * self.L.pad_y

    # ---- draw pass ---------------------------------------------------------------------
    def _text(self, c: Canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:
        if len(text) >= 15:
            text = scrub(text)
        if align != "left":
            w = self.m.width(text, size)
            x = x - w if align == "right" else x - w / 2
        runs = self.m.runs(text)
        if runs is None:
            c.setFont(self.fonts.primary.name, size)
            c.drawString(x, y, text)
            return
        for f, s in runs:
            c.setFont(f.name, size)
            c.drawString(x, y, s)
            x += sum(self.m.char_width(f, ch) for ch in s) * size

    def _draw_heading(self, c: Canvas, notice: Notice) -> float:
        L = self.L
        w, h = L.size
        y = h - L.margin_top - L.title_size
        fit = (w - 2 * L.margin_x) / max(self.m.width(notice.title, 1.0), 1.0)
        self._text(c, w / 2, y, notice.title, min(L.title_size, fit), "center")  # a long title shrinks to fit
        y -= L.title_size * 0.6 + L.info_size * 1.5
        for k, line in enumerate(self._info_lines(notice)):
            if k:
                y -= L.info_size * 1.5
            self._text(c, L.margin_x, y, line, L.info_size)
        return h - L.margin_top - self._heading_height(notice)

    def _draw_rows(self, c: Canvas, notice: Notice, xs: list[float], top: float, items: list[_Laid]) -> float:
        """Header row plus ``items``; returns the y below the last row."""
        L = self.L
        size, lh, px, py = L.body_size, L.line_height, L.pad_x, L.pad_y
        cols = notice.columns
        ys = [top]
        shaded: list[tuple[float, float, float]] = []
        if notice.header:
            hh = self._header_row_height(notice)
            shaded.append((top - hh, hh, 0.88))
            ys.append(top - hh)
        y = ys[-1]
        for it in items:
            y -= it.height
            if it.row.kind in SHADE:
                shaded.append((y, it.height, SHADE[it.row.kind]))
            ys.append(y)
        for y0, hgt, gray in shaded:
            c.setFillGray(gray)
            c.rect(xs[0], y0, xs[-1] - xs[0], hgt, stroke=0, fill=1)
        c.setFillGray(0)
        if notice.header:
            hh = self._header_row_height(notice)
            for i, label_lines in enumerate(self._header_lines(notice)):
                ty = top - (hh - len(label_lines) * lh) / 2 - size * 1.05
                for line in label_lines:
                    self._text(c, (xs[i] + xs[i + 1]) / 2, ty, line, size, "center")
                    ty -= lh
        primary = self.fonts.primary.name
        c.setFont(primary, size)
        draw = c.drawString
        runs = self.m.runs
        width = self.m.width
        row_top = ys[1] if notice.header else ys[0]
        for it in items:
            for i, cell_lines in enumerate(it.lines):
                align = cols[i].align
                ty = row_top - py - size
                for line in cell_lines:
                    if line:
                        if align == "left":
                            x = xs[i] + px
                        elif align == "right":
                            x = xs[i + 1] - px - width(line, size)
                        else:
                            x = (xs[i] + xs[i + 1] - width(line, size)) / 2
                        if runs(line) is None:
                            draw(x, ty, line)
                        else:
                            self._text(c, x, ty, line, size)
                            c.setFont(primary, size)
                    ty -= lh
            row_top -= it.height
        if notice.header:
            c.setLineWidth(0.6)
            bottom = ys[-1]
            path = c.beginPath()
            for yy in ys:
                path.moveTo(xs[0], yy)
                path.lineTo(xs[-1], yy)
            for xx in xs:
                path.moveTo(xx, top)
                path.lineTo(xx, bottom)
            c.drawPath(path, stroke=1, fill=0)
        return ys[-1]

    def _draw_footer(self, c: Canvas, notice: Notice, page: int, pages: int) -> None:
        L = self.L
        w, _h = L.size
        y = L.margin_bottom
        self._text(c, w / 2, y, f"第 {page} 页 共 {pages} 页", L.footer_size, "center")
        if notice.phones and page < pages:  # the last page has them in the closing block
            self._text(c, L.margin_x, y + L.footer_size * 1.3, "监督电话:" + ";".join(notice.phones),
                       L.footer_size)

    def _draw_closing(self, c: Canvas, notice: Notice, y: float) -> None:
        L = self.L
        w, _h = L.size
        s = L.info_size
        y -= s * 1.7
        if notice.note:
            self._text(c, L.margin_x, y, notice.note, s)
            y -= s * 1.7
        for phone in notice.phones:
            self._text(c, L.margin_x, y, "监督电话:" + phone, s)
            y -= s * 1.7
        slots = [f"{label}:" + ("____年__月__日" if label == "日期" else "__________") for label in notice.signatures]
        if slots:
            step = (w - 2 * L.margin_x) / len(slots)
            for i, slot in enumerate(slots):
                self._text(c, L.margin_x + i * step, y, slot, s)
        if notice.seal_label:
            self._text(c, w - L.margin_x, y - L.seal_room * 0.55, notice.seal_label, s, "right")

    def draw_notice(self, c: Canvas, notice: Notice, result: RenderResult,
                    report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> int:
        xs = self._col_x(notice)
        laid = self._lay_rows(notice, xs, result)
        pages = self._paginate(notice, laid)
        for n, items in enumerate(pages, start=1):
            if cancelled():
                raise Cancelled("已取消打印,未生成文件")
            top = self._draw_heading(c, notice)
            bottom = self._draw_rows(c, notice, xs, top, items)
            if n == len(pages):
                self._draw_closing(c, notice, bottom)
            self._draw_footer(c, notice, n, len(pages))
            c.showPage()
        result.rows += len(notice.rows)
        result.notice_pages.append(len(pages))
        result.pages += len(pages)
        return len(pages)


def render(notices: Iterable[Notice], out: str | Path | BinaryIO, layout: PageLayout, fonts: FontSet, *,
           title: str = "", author: str = "", compress: bool = True, total: int = 0,
           report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> RenderResult:
    """Draw every notice (each starting on a new page, numbered on its own) into one PDF.

    Metadata carries only the title and the township: never a person's data.
    """
    result = RenderResult(warnings=list(fonts.warnings))
    target = str(out) if isinstance(out, Path) else out
    c = Canvas(target, pagesize=layout.size, pageCompression=1 if compress else 0)
    c.setTitle(scrub(title))
    c.setAuthor(author)
    c.setSubject("村务公开栏公示单")
    c.setCreator("gkdesk")
    r = NoticeRenderer(layout, fonts)
    for k, notice in enumerate(notices):
        if total:
            report(k / total, f"正在生成《{notice.title}》{notice.place}")
        r.draw_notice(c, notice, result, cancelled=cancelled)
    if result.pages == 0:
        c.showPage()
    c.save()
    return result
