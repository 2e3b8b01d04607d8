"""The notice renderer: a table drawn straight on the reportlab canvas.

One platypus LongTable for 10,000 rows costs ~6× a bare canvas loop; this renderer
does the layout itself in passes and stays near the floor:

1. *fit*: measure every column with the embedded font (:mod:`gkdesk.notices.textfit`)
   and choose widths so that no number, date, ID or amount is ever broken. When the
   table does not fit the paper, the type shrinks down to the layout's floor, then
   optional columns are dropped in their stated order (``Column.optional``), and
   otherwise :class:`NoticeTooWide` names the widest column and the paper that fits.
2. *layout*: wrap every cell between tokens, measure row heights and cut the rows into
   pages so that no row is split and the closing block (note, phones, signatures, room
   for the seal, all wrapped to the page) fits on the last page.
3. *draw*: per page the heading, the column header (repeated), the rows, the footer.

The renderer only ever sees the strings of a :class:`Notice`; masking happens when the
notice is built. As a last guard it still masks any run of 15+ digits in a cell, so a
full ID typed into a remark column cannot reach the PDF. A character no installed font
has is left as a full-size blank square to be written in by hand (and reported).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfgen.canvas import Canvas

from gkdesk.errors import Cancelled
from gkdesk.notices.fonts import FontSet
from gkdesk.notices.layout import PageLayout
from gkdesk.notices.sheet import (  # re-exported: the builders and callers import them from here
    DEMO_MARK,
    ROW_DATA,
    ROW_SUBTOTAL,
    ROW_TOTAL,
    SHADE,
    Column,
    MissingGlyph,
    Notice,
    NoticeTooWide,
    RenderResult,
    Row,
    scrub,
)
from gkdesk.notices.textfit import ColumnNeeds, Metrics, column_needs, fit_widths
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report

__all__ = ["ROW_DATA", "ROW_SUBTOTAL", "ROW_TOTAL", "Column", "MissingGlyph", "Notice", "NoticeRenderer",
           "NoticeTooWide", "RenderResult", "Row", "render", "scrub"]

SIZE_STEP = 0.5
CLOSING_LEADING = 1.55  # line pitch of the closing block, in multiples of its type size

@dataclass
class _Fit:
    size: float
    keep: list[int]  # indexes of the printed columns
    xs: list[float]  # column edges (len(keep) + 1)

    @property
    def lh(self) -> float:
        return self.size * 1.3


@dataclass
class _Laid:
    row: Row
    lines: list[list[str]]  # per printed cell, its wrapped lines
    height: float


def _sizes(start: float, floor: float) -> list[float]:
    out = [start]
    while out[-1] - SIZE_STEP >= floor - 1e-6:
        out.append(round(out[-1] - SIZE_STEP, 2))
    return out


class NoticeRenderer:
    def __init__(self, layout: PageLayout, fonts: FontSet) -> None:
        self.L = layout
        self.fonts = fonts
        self.m = Metrics(fonts)
        self._memo: dict[str, object] = {}  # per-notice layout pieces, reused on every page

    def _once(self, key: str, make):  # type: ignore[no-untyped-def]
        try:
            return self._memo[key]
        except KeyError:
            v = self._memo[key] = make()
            return v

    def pad_x(self, size: float) -> float:
        return size * 0.35

    def pad_y(self, size: float) -> float:
        return self.L.pad_y * size / self.L.body_size

    # ---- fit pass ----------------------------------------------------------------------
    def needs(self, notice: Notice) -> list[ColumnNeeds]:
        out = []
        for i, col in enumerate(notice.columns):
            cells = [r.cells[i] for r in notice.rows if i < len(r.cells)]
            out.append(column_needs(self.m, col.label if notice.header else "", cells))
        return out

    def column_sets(self, notice: Notice) -> list[list[int]]:
        """All columns, then without the optional ones one by one in their stated order."""
        keep = list(range(len(notice.columns)))
        sets = [list(keep)]
        for i in sorted((i for i, c in enumerate(notice.columns) if c.optional), key=lambda i: notice.columns[i].optional):
            keep.remove(i)
            sets.append(list(keep))
        return sets

    def fit(self, notice: Notice, needs: list[ColumnNeeds] | None = None) -> _Fit | None:
        L = self.L
        needs = needs if needs is not None else self.needs(notice)
        avail = L.size[0] - 2 * L.margin_x
        if not notice.columns:
            return _Fit(L.body_size, [], [L.margin_x, L.margin_x + avail])
        for keep in self.column_sets(notice):
            for size in _sizes(L.body_size, L.min_body_size):
                widths = fit_widths([needs[i] for i in keep], size, self.pad_x(size), avail)
                if widths is not None:
                    xs = [L.margin_x]
                    for w in widths:
                        xs.append(xs[-1] + w)
                    return _Fit(size, keep, xs)
        return None

    def _too_wide(self, notice: Notice, needs: list[ColumnNeeds]) -> NoticeTooWide:
        L = self.L
        widest = max(range(len(needs)), key=lambda i: needs[i].min)
        mm = needs[widest].min * L.min_body_size / 2.8346
        suggest = None
        for cand in (replace(L, landscape=True), replace(L, paper="A3", landscape=False),
                     replace(L, paper="A3", landscape=True)):
            if cand.size[0] > L.size[0] and NoticeRenderer(cand, self.fonts).fit(notice, needs) is not None:
                suggest = cand
                break
        where = f"改用“{suggest.describe()}”打印" if suggest else "减少列数或把较长的内容移到备注后再打印"
        return NoticeTooWide(
            f"《{notice.title}》有 {len(notice.columns)} 列,在 {L.describe()} 上即使用最小字号"
            f"({L.min_body_size:g} 磅)也排不下;最宽的一列是“{notice.columns[widest].label}”"
            f"(约 {mm:.0f} 毫米,数字和证件号不能折行)。请{where}", suggest)

    # ---- layout pass -------------------------------------------------------------------
    def _lay_rows(self, notice: Notice, fit: _Fit, result: RenderResult) -> list[_Laid]:
        size = fit.size
        px, py = self.pad_x(size), self.pad_y(size)
        widths = [fit.xs[k + 1] - fit.xs[k] - 2 * px for k in range(len(fit.keep))]
        labels = [c.label for c in notice.columns]
        fonts, runs, wrap, width = self.fonts, self.m.runs, self.m.wrap, self.m.width
        lh = fit.lh
        keep = fit.keep
        out = []
        for row in notice.rows:
            cells = [scrub(c) if c and len(c) >= 15 else c for c in row.cells]
            row.cells = cells
            lines = []
            n = 1
            for k, i in enumerate(keep):
                text = cells[i] if i < len(cells) else ""
                if text and runs(text) is not None:
                    for ch in fonts.missing(text):
                        result.missing.append(MissingGlyph(notice.title, row.who, labels[i], ch))
                if not text or ("\n" not in text and width(text, size) <= widths[k]):
                    lines.append([text])
                    continue
                cell_lines = wrap(text, widths[k], size)
                lines.append(cell_lines)
                n = max(n, len(cell_lines))
            out.append(_Laid(row, lines, n * lh + 2 * py))
        return out

    def _wrap_parts(self, items: list[str], size: float, width: float, sep: str = "    ") -> list[str]:
        """Lines flowed at ``sep`` separators, each part wrapped between tokens if still too wide."""
        out: list[str] = []
        for item in items:
            cur = ""
            for part in item.split(sep):
                trial = f"{cur}{sep}{part}" if cur else part
                if self.m.width(trial, size) <= width:
                    cur = trial
                    continue
                if cur:
                    out.append(cur)
                pieces = self.m.wrap(part, width, size)
                out += pieces[:-1]
                cur = pieces[-1]
            out.append(cur)
        return out

    def _title_lines(self, notice: Notice) -> list[str]:
        return self._once("title", lambda: self._title_lines_(notice))  # type: ignore[no-any-return]

    def _title_lines_(self, notice: Notice) -> list[str]:
        L = self.L
        title = f"({DEMO_MARK}){notice.title}" if notice.demo else notice.title
        return self.m.wrap(title, L.size[0] - 2 * L.margin_x, L.title_size)

    def _info_lines(self, notice: Notice) -> list[str]:
        """The place, info and period lines, flowed at their "    " separators to fit the width."""
        return self._once("info", lambda: self._info_lines_(notice))  # type: ignore[no-any-return]

    def _info_lines_(self, notice: Notice) -> list[str]:
        L = self.L
        items = [notice.place, *notice.info] + ([notice.posting_line] if notice.posting_line else [])
        return self._wrap_parts([i for i in items if i], L.info_size, L.size[0] - 2 * L.margin_x)

    def _heading_height(self, notice: Notice) -> float:
        return self._once("heading_h", lambda: self._heading_height_(notice))  # type: ignore[no-any-return]

    def _heading_height_(self, notice: Notice) -> float:
        L = self.L
        T, inf = L.title_size, L.info_size
        nt, ni = len(self._title_lines(notice)), len(self._info_lines(notice))
        return T + (nt - 1) * T * 1.25 + T * 0.35 + inf * 1.5 * ni + inf * 0.6

    def _closing_lines(self, notice: Notice) -> tuple[list[list[tuple[str, float]]], list[str]]:
        """Lines of (text, x offset) pieces: the note, phones, signature slots (several a line
        while they fit), all wrapped to the page; and the seal label's lines."""
        L = self.L
        s = L.info_size
        width = L.size[0] - 2 * L.margin_x
        lines: list[list[tuple[str, float]]] = []
        if notice.note:
            lines += [[(t, 0.0)] for t in self.m.wrap(notice.note, width, s)]
        for phone in notice.phones:
            lines += [[(t, 0.0)] for t in self.m.wrap("监督电话:" + phone, width, s)]
        slots = [f"{label}:" + ("____年__月__日" if label == "日期" else "__________") for label in notice.signatures]
        gap = 2 * s
        x = 0.0
        row: list[tuple[str, float]] = []
        for slot in slots:
            w = self.m.width(slot, s)
            if row and x + w > width:
                lines.append(row)
                row, x = [], 0.0
            row.append((slot, x))
            x += w + gap
        if row:
            lines.append(row)
        seal = self._wrap_parts([notice.seal_label], s, width, sep="      ") if notice.seal_label else []
        return lines, seal

    def _closing_height(self, notice: Notice) -> float:
        """Exactly what :meth:`_draw_closing` uses: the lines, then the seal label inside the
        room left for the stamp (which may overlap the label, as a seal does)."""
        s, room = self.L.info_size, self.L.seal_room
        lines, seal = self._closing_lines(notice)
        return s * 0.7 + s * CLOSING_LEADING * len(lines) + max(room, room * 0.4 + len(seal) * s * 1.5) + s * 0.3

    def _footer_phone_lines(self, notice: Notice) -> list[str]:
        return self._once("phones", lambda: self._footer_phone_lines_(notice))  # type: ignore[no-any-return]

    def _footer_phone_lines_(self, notice: Notice) -> list[str]:
        L = self.L
        if not notice.phones:
            return []
        return self.m.wrap("监督电话:" + ";".join(notice.phones), L.size[0] - 2 * L.margin_x, L.footer_size)

    def _body_bottom(self, notice: Notice) -> float:
        L = self.L
        return L.margin_bottom + L.footer_size * (1.6 + 1.3 * len(self._footer_phone_lines(notice)))

    def _paginate(self, notice: Notice, fit: _Fit, laid: list[_Laid]) -> list[list[_Laid]]:
        L = self.L
        _w, h = L.size
        header_h = self._header_row_height(notice, fit)
        body_top = h - L.margin_top - self._heading_height(notice) - header_h
        room = body_top - self._body_bottom(notice)
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
            while len(last) > 1 and len(carry) < 3 and sum(i.height for i in carry) + closing < room:
                carry.insert(0, last.pop())
            pages.append(carry)
        return pages

    def _header_lines(self, notice: Notice, fit: _Fit) -> list[list[str]]:
        """Column labels wrapped to their column (a long program name takes two lines)."""
        return self._once("header_lines", lambda: self._header_lines_(notice, fit))  # type: ignore[no-any-return]

    def _header_lines_(self, notice: Notice, fit: _Fit) -> list[list[str]]:
        px = self.pad_x(fit.size)
        return [self.m.wrap(notice.columns[i].label, fit.xs[k + 1] - fit.xs[k] - 2 * px, fit.size)
                for k, i in enumerate(fit.keep)]

    def _header_row_height(self, notice: Notice, fit: _Fit) -> float:
        if not notice.header:
            return 0.0
        n = max((len(ls) for ls in self._header_lines(notice, fit)), default=1)
        return n * fit.lh + 2 * self.pad_y(fit.size)

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
            if f is None:  # no font has it: a full-size blank square to write the character in
                c.saveState()
                c.setLineWidth(max(0.8, size / 20))
                for _ch in s:
                    c.rect(x + size * 0.04, y - size * 0.14, size * 0.92, size * 0.98, stroke=1, fill=0)
                    x += size
                c.restoreState()
                continue
            c.setFont(f.name, size)
            c.drawString(x, y, s)
            x += sum(self.m.char_width(f, ch) for ch in s) * size

    def _draw_demo_mark(self, c: Canvas) -> None:
        w, h = self.L.size
        c.saveState()
        c.setFillGray(0.86)
        c.translate(w / 2, h / 2)
        c.rotate(35)
        size = min(w, h) * 0.3
        self._text(c, 0, -size * 0.35, DEMO_MARK, size, "center")
        c.restoreState()
        c.setFillGray(0)

    def _draw_heading(self, c: Canvas, notice: Notice) -> float:
        L = self.L
        w, h = L.size
        T = L.title_size
        y = h - L.margin_top - T
        for k, line in enumerate(self._title_lines(notice)):
            if k:
                y -= T * 1.25
            self._text(c, w / 2, y, line, T, "center")
        y -= T * 0.35
        for line in self._info_lines(notice):
            y -= L.info_size * 1.5
            self._text(c, L.margin_x, y, line, L.info_size)
        return h - L.margin_top - self._heading_height(notice)

    def _draw_rows(self, c: Canvas, notice: Notice, fit: _Fit, top: float, items: list[_Laid]) -> float:
        """Header row plus ``items``; returns the y below the last row."""
        size, lh = fit.size, fit.lh
        px, py = self.pad_x(size), self.pad_y(size)
        xs = fit.xs
        aligns = [notice.columns[i].align for i in fit.keep]
        ys = [top]
        shaded: list[tuple[float, float, float]] = []
        hh = self._header_row_height(notice, fit)
        if notice.header:
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
            for k, label_lines in enumerate(self._header_lines(notice, fit)):
                ty = top - (hh - len(label_lines) * lh) / 2 - size * 1.05
                for line in label_lines:
                    self._text(c, (xs[k] + xs[k + 1]) / 2, ty, line, size, "center")
                    ty -= lh
        primary = self.fonts.primary.name
        c.setFont(primary, size)
        draw = c.drawString
        runs = self.m.runs
        width = self.m.width
        row_top = ys[1] if notice.header else ys[0]
        for it in items:
            for k, cell_lines in enumerate(it.lines):
                align = aligns[k]
                ty = row_top - py - size
                for line in cell_lines:
                    if line:
                        if align == "left":
                            x = xs[k] + px
                        elif align == "right":
                            x = xs[k + 1] - px - width(line, size)
                        else:
                            x = (xs[k] + xs[k + 1] - width(line, size)) / 2
                        if runs(line) is None:
                            draw(x, ty, line)
                        else:
                            self._text(c, x, ty, line, size)
                            c.setFont(primary, size)
                    ty -= lh
            row_top -= it.height
        if notice.header:
            # The grid as one literal path: reportlab's per-coordinate formatting of a path
            # costs as much as all the text of a page.
            c.setLineWidth(0.6)
            bottom, x0, x1 = ys[-1], xs[0], xs[-1]
            ops = [f"{x0:.2f} {yy:.2f} m {x1:.2f} {yy:.2f} l" for yy in ys]
            ops += [f"{xx:.2f} {top:.2f} m {xx:.2f} {bottom:.2f} l" for xx in xs]
            ops.append("S")
            c.addLiteral("\n".join(ops))
        return ys[-1]

    def _draw_footer(self, c: Canvas, notice: Notice, page: int, pages: int) -> None:
        L = self.L
        w, _h = L.size
        y = L.margin_bottom
        self._text(c, w / 2, y, f"第 {page} 页 共 {pages} 页", L.footer_size, "center")
        if page < pages:  # the last page has the phones in the closing block
            lines = self._footer_phone_lines(notice)
            for k, line in enumerate(reversed(lines)):
                self._text(c, L.margin_x, y + L.footer_size * 1.3 * (k + 1), line, L.footer_size)

    def _draw_closing(self, c: Canvas, notice: Notice, y: float) -> None:
        L = self.L
        w, _h = L.size
        s = L.info_size
        lines, seal = self._closing_lines(notice)
        y -= s * 0.7
        for line in lines:
            y -= s * CLOSING_LEADING
            for text, x in line:
                self._text(c, L.margin_x + x, y, text, s)
        y_seal = y - L.seal_room * 0.4
        for seal_line in seal:
            self._text(c, w - L.margin_x, y_seal, seal_line, s, "right")
            y_seal -= s * 1.5

    def draw_notice(self, c: Canvas, notice: Notice, result: RenderResult,
                    report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> int:
        self._memo = {}
        needs = self.needs(notice)
        fit = self.fit(notice, needs)
        if fit is None:
            raise self._too_wide(notice, needs)
        dropped = [notice.columns[i].label for i in range(len(notice.columns)) if i not in fit.keep]
        if dropped:
            result.warnings.append(f"《{notice.title}》{notice.place}:纸张宽度不够,未打印“{'”“'.join(dropped)}”列"
                                   f"(改用横向或 A3 纸可全部打印)")
        laid = self._lay_rows(notice, fit, result)
        pages = self._paginate(notice, fit, laid)
        for n, items in enumerate(pages, start=1):
            if cancelled():
                raise Cancelled("已取消打印,未生成文件")
            if notice.demo:
                self._draw_demo_mark(c)
            top = self._draw_heading(c, notice)
            bottom = self._draw_rows(c, notice, fit, top, items)
            if n == len(pages):
                self._draw_closing(c, notice, bottom)
            self._draw_footer(c, notice, n, len(pages))
            c.showPage()
        result.rows += len(notice.rows)
        result.notice_pages.append(len(pages))
        result.pages += len(pages)
        result.sizes.append(fit.size)
        result.dropped.append(dropped)
        return len(pages)


def render(notices: Iterable[Notice], out: str | Path | BinaryIO, layout: PageLayout, fonts: FontSet, *,
           title: str = "", author: str = "", compress: bool = True, total: int = 0,
           report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> RenderResult:
    """Draw every notice (each starting on a new page, numbered on its own) into one PDF.

    Metadata carries only the title and the township: never a person's data.
    """
    result = RenderResult(warnings=list(fonts.warnings))
    target = str(out) if isinstance(out, Path) else out
    # The initial font is ours: otherwise every page names a Helvetica that is not embedded.
    c = Canvas(target, pagesize=layout.size, pageCompression=1 if compress else 0,
               initialFontName=fonts.primary.name, initialFontSize=layout.body_size)
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
