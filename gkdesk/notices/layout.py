"""Paper, margins and type sizes of a notice sheet.

Office printers cannot print the outer ~5 mm of a sheet and a board needs room for
drawing pins, so margins are 15 mm at the sides and 14 mm top and bottom. A3 is used
to be read from further away, so its type is enlarged (×1.4, the A4→A3 ratio) rather
than packing in more rows. Large print (适老化) raises the body type to 16 pt, which
gives roughly half the rows per page, and every line a villager reads (the place and
period lines, the closing sentence, the supervision phones, the signatures) is at least
16 pt, the title larger. Columns may shrink their type to a floor (``min_body_size``)
before anything is dropped: 10.5 pt normally; large print never goes below 16 pt.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A3, A4, landscape, portrait
from reportlab.lib.units import mm

from gkdesk.errors import InputRejected

PAPERS = {"A4": A4, "A3": A3}


@dataclass(frozen=True)
class PageLayout:
    paper: str = "A4"
    landscape: bool = False
    large_print: bool = False

    def __post_init__(self) -> None:
        if self.paper.upper() not in PAPERS:
            raise InputRejected(f"不支持的纸张“{self.paper}”:只能是 A4 或 A3")
        object.__setattr__(self, "paper", self.paper.upper())

    @property
    def size(self) -> tuple[float, float]:
        base = PAPERS[self.paper]
        return landscape(base) if self.landscape else portrait(base)

    @property
    def scale(self) -> float:
        return 1.4 if self.paper == "A3" else 1.0

    # margins (points)
    margin_x: float = 15 * mm
    margin_top: float = 14 * mm
    margin_bottom: float = 14 * mm

    @property
    def body_size(self) -> float:
        return (16.0 if self.large_print else 11.0) * self.scale

    @property
    def title_size(self) -> float:
        return (26.0 if self.large_print else 20.0) * self.scale

    @property
    def min_body_size(self) -> float:
        """The smallest type a fitted table may use (names and amounts stay readable)."""
        return (16.0 if self.large_print else 10.5) * self.scale

    @property
    def info_size(self) -> float:
        return (16.0 if self.large_print else 11.0) * self.scale

    @property
    def footer_size(self) -> float:
        """Page numbers and the supervision phones on continued pages."""
        return (16.0 if self.large_print else 10.5) * self.scale

    @property
    def line_height(self) -> float:
        return self.body_size * 1.3

    @property
    def pad_x(self) -> float:
        return self.body_size * 0.35

    @property
    def pad_y(self) -> float:
        return self.body_size * (0.3 if self.large_print else 0.32)

    @property
    def seal_room(self) -> float:
        """Blank height left below the signatures for the seal: a 4 cm stamp is pressed over
        the issuer's name (盖章 covers its label), so 3.2 cm of free paper is enough."""
        return 32 * mm

    def describe(self) -> str:
        orient = "横向" if self.landscape else "纵向"
        return f"{self.paper} {orient}" + (" 大字版" if self.large_print else "")
