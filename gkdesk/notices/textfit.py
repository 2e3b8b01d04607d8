"""Measuring and wrapping notice text with the embedded font, and fitting columns to it.

Widths come from the font that will draw each character (``stringWidth`` at 1 pt,
cached per character), so what is measured is what is printed.

Wrapping breaks only *between tokens*. A token is one CJK character, or a run that
holds a number with what belongs to it: ``987669.93``, ``511702********1990``,
``7515.37亩``, ``131.42元/亩``, ``2026年3月5日``, ``1000``. Such a token is never cut;
columns are made at least as wide as their widest token, so a number, date, ID or
amount never breaks across lines, while text like a long group name wraps between its
characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gkdesk.notices.fonts import FontSet, LoadedFont

# Non-space, non-CJK characters (digits, Latin, ASCII punctuation, *, full-width digits).
_NC = r"[^\s\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0003ffff\u3000-\u303f\uff0c\uff1a\uff1b\uff08\uff09]"
# Units and date parts glued to the number before them (亩, 元/亩, 年, 月, 日, 人 …).
_UNIT = r"[亩元人头户只斤顷米年月日号期次岁角分%‰]"
TOKEN = re.compile(rf"{_NC}*\d{_NC}*(?:{_UNIT}+{_NC}*)*|{_NC}+|\S|\s+")
UNBREAKABLE = re.compile(rf"^{_NC}*\d{_NC}*(?:{_UNIT}+{_NC}*)*$")
# Chinese line-breaking rules: no line ends with an opening bracket, none starts with these.
OPENING = set("(([【《“‘〔")
CLOSING = set(")〕]】》”’,。、;:!?)")


def tokens(text: str) -> list[str]:
    out: list[str] = []
    glue_next = False
    for t in TOKEN.findall(text):
        if out and (glue_next or t[0] in CLOSING):
            out[-1] += t
        else:
            out.append(t)
        glue_next = t[-1] in OPENING
    return out


class Metrics:
    """Per-character widths (at 1 pt) cached per font; ASCII checked once.

    A character no font has is measured as a full em: the renderer leaves a blank
    square that wide for handwriting.
    """

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        p = fonts.primary
        self.ascii_ok = p.chars is None or all(c in p.chars for c in range(32, 127))
        self._runs: dict[str, list[tuple[LoadedFont | None, str]] | None] = {}
        self._w1: dict[str, float] = {}  # whole strings at 1 pt: a column's cells are measured 2-3 times

    def char_width(self, font: LoadedFont | None, ch: str) -> float:
        if font is None:
            return 1.0
        w = font.widths.get(ch)
        if w is None:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            w = font.widths[ch] = stringWidth(ch, font.name, 1.0)
        return w

    def width(self, text: str, size: float) -> float:
        try:
            return self._w1[text] * size
        except KeyError:
            pass
        runs = self.runs(text)
        if runs is None:
            f = self.fonts.primary
            cache = f.widths
            try:
                w = sum([cache[c] for c in text])
            except KeyError:
                w = sum(self.char_width(f, c) for c in text)
        else:
            w = sum(self.char_width(f, c) for f, s in runs for c in s)
        if len(self._w1) < 300_000:
            self._w1[text] = w
        return w * size

    def runs(self, text: str) -> list[tuple[LoadedFont | None, str]] | None:
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

    def min_width(self, text: str) -> float:
        """Width (at 1 pt) of the widest token: the narrowest a cell holding ``text`` can be."""
        if not text:
            return 0.0
        if UNBREAKABLE.match(text) or (text.isascii() and " " not in text):
            return self.width(text, 1.0)
        return max((self.width(t, 1.0) for t in tokens(text) if not t.isspace()), default=0.0)

    def wrap(self, text: str, width: float, size: float) -> list[str]:
        """Lines of ``text`` no wider than ``width``, broken only between tokens."""
        if not text:
            return [""]
        if "\n" not in text and self.width(text, size) <= width:
            return [text]
        lines: list[str] = []
        for para in text.split("\n"):
            cur, cur_w = "", 0.0
            for tok in tokens(para):
                tw = self.width(tok, size)
                if cur and cur_w + tw > width + 0.01:
                    lines.append(cur.rstrip())
                    if tok.isspace():
                        cur, cur_w = "", 0.0
                        continue
                    cur, cur_w = "", 0.0
                cur += tok
                cur_w += tw
            lines.append(cur.rstrip())
        return lines


@dataclass
class ColumnNeeds:
    """What one column needs at 1 pt: its widest unbreakable token and its widest line."""

    min: float
    natural: float
    text: bool  # True: may wrap (names, groups, remarks); False: numbers kept on one line
    typical: float = 0.0  # a wrapping column: the width at which 9 in 10 of its cells fit one line


def column_needs(m: Metrics, label: str, cells: list[str], text_floor_chars: float = 4.0) -> ColumnNeeds:
    """Widths of the header (which may wrap between its characters) and of every cell."""
    nat = 0.0
    mn = 0.0
    text = False
    seen: dict[str, float] = {}
    width = m.width
    ws: list[float] = []
    for c in cells:
        if not c:
            continue
        if c in seen:
            ws.append(seen[c])
            continue
        w = seen[c] = width(c, 1.0)
        ws.append(w)
        if w > nat:
            nat = w
        if w > mn:  # only a cell wider than the current minimum can raise it
            t = m.min_width(c)
            if t < w:
                text = True
            if t > mn:
                mn = t
    label_min = max(m.min_width(label), min(width(label, 1.0), 2.0))  # at least two characters of the label
    typical = 0.0
    if text:  # a wrapping column keeps room for a few characters a line
        mn = max(mn, min(nat, text_floor_chars))
        ws.sort()
        typical = ws[min(len(ws) - 1, int(len(ws) * 0.9))]
    mn = max(mn, label_min)
    return ColumnNeeds(min=mn, natural=max(nat, width(label, 1.0), mn), text=text, typical=max(typical, mn))


def _share(widths: list[float], targets: list[float], room: float) -> float:
    """Raise ``widths`` towards ``targets`` using at most ``room``; returns what is left."""
    lack = [max(0.0, t - w) for w, t in zip(widths, targets, strict=True)]
    total = sum(lack)
    if total <= 0:
        return room
    k = min(1.0, room / total)
    for i, d in enumerate(lack):
        widths[i] += d * k
    return room - total * k


def fit_widths(needs: list[ColumnNeeds], size: float, pad: float, avail: float) -> list[float] | None:
    """Column widths filling ``avail`` at type ``size``, or None if the minimums do not fit.

    Every column starts at its minimum (its widest number, or a few characters of a
    text column). The space left goes first to text columns up to the width that fits
    nine in ten of their cells on one line (one long co-operative name must not widen
    the column for 200 short names), then towards every column's widest cell, and what
    remains is spread evenly so that the table fills the page width.
    """
    widths = [n.min * size + 2 * pad for n in needs]
    if sum(widths) > avail + 0.01:
        return None
    room = avail - sum(widths)
    room = _share(widths, [(n.typical * size + 2 * pad) if n.text else 0.0 for n in needs], room)
    room = _share(widths, [n.natural * size + 2 * pad for n in needs], room)
    if room > 0:
        widths = [w + room / len(widths) for w in widths]
    return widths
