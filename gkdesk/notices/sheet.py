"""What a notice sheet is made of: columns, rows, the sheet, and what rendering reports.

Plain data (no reportlab): the builders (payout, year-end, table) fill a :class:`Notice`
and :mod:`gkdesk.notices.render` draws it. ``scrub`` is the renderer's last guard that
masks any long digit run still left in a cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.notices.layout import PageLayout

ROW_DATA, ROW_SUBTOTAL, ROW_TOTAL = "data", "subtotal", "total"
LONG_DIGITS = re.compile(r"\d{15,}[\dXx]?")
# The same numbers as cards and ID cards print them: groups of 3+ digits split by a space or hyphen.
GROUPED_DIGITS = re.compile(r"(?<![\d*])\d{3,}(?:[ \u3000-]\d{3,})+[Xx]?(?![\d*])")
SHADE = {ROW_SUBTOTAL: 0.93, ROW_TOTAL: 0.86}
DEMO_MARK = "演示"


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
    weight: float = 1.0  # kept for callers; widths are fitted to the content
    align: str = "left"  # left / center / right
    optional: int = 0  # 0: always printed; 1, 2, …: dropped in this order when the paper is too narrow


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
    demo: bool = False  # printed from demo data: every page carries a visible 演示 mark

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
                "在所有已安装的字体中都没有字形,已留出空白方框,请手写补上或安装含该字的字体后重印")


class NoticeTooWide(InputRejected):
    """The table does not fit the paper even at the smallest type, with optional columns left out.

    ``suggest`` is the paper/orientation on which it would fit (None: none would).
    """

    code = "notice_too_wide"

    def __init__(self, message: str, suggest: PageLayout | None) -> None:
        flags = ""
        if suggest is not None:
            flags = " ".join(f for f in ("--paper A3" if suggest.paper == "A3" else "",
                                         "--landscape" if suggest.landscape else "") if f)
        super().__init__(message, hint=Hint.NOTICE_TOO_WIDE, suggest=suggest.describe() if suggest else "",
                         flags=flags)
        self.suggest = suggest


@dataclass
class RenderResult:
    pages: int = 0
    notice_pages: list[int] = field(default_factory=list)
    rows: int = 0
    missing: list[MissingGlyph] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sizes: list[float] = field(default_factory=list)  # body type size chosen per notice
    dropped: list[list[str]] = field(default_factory=list)  # columns left out per notice
