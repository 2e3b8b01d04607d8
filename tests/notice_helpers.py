"""Reading generated PDFs the way a reviewer would: text per page and every byte."""

from __future__ import annotations

import functools
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader


def page_texts(path: Path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(str(path)).pages]


def all_bytes(path: Path) -> bytes:
    """The raw file plus every stream decompressed (content, fonts, ToUnicode maps, metadata)."""
    raw = path.read_bytes()
    parts = [raw]
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            parts.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def assert_no_secrets(path: Path, secrets: list[str]) -> None:
    text = "\n".join(page_texts(path)).replace(" ", "").replace("\n", "")
    blob = all_bytes(path)
    meta = str(PdfReader(str(path)).metadata or {})
    for s in secrets:
        assert s not in text, f"{s} found in extracted text of {path.name}"
        assert s.encode() not in blob, f"{s} found in the bytes of {path.name}"
        assert s not in meta


@dataclass
class Fragment:
    """One piece of text as drawn: where it starts and at what size (one ``drawString``)."""

    text: str
    x: float
    y: float
    size: float


def fragments(path: Path) -> list[tuple[float, float, list[Fragment]]]:
    """Per page: (width, height, the text fragments with positions), read with pypdf's visitor."""
    out = []
    for page in PdfReader(str(path)).pages:
        frags: list[Fragment] = []

        def visit(text, cm, tm, _font, size, frags=frags):  # type: ignore[no-untyped-def]
            if not text.strip():
                return
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
            frags.append(Fragment(text.strip("\n"), x, y, size * scale))

        page.extract_text(visitor_text=visit)
        box = page.mediabox
        out.append((float(box.width), float(box.height), frags))
    return out


@functools.lru_cache(maxsize=1)
def _primary():  # type: ignore[no-untyped-def]
    from gkdesk.notices.fonts import choose_fonts

    return choose_fonts().primary


def text_width(text: str, size: float) -> float:
    """The drawn width, from the embedded font's own advance widths (a full em where it has none)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    primary = _primary()
    chars = primary.chars or frozenset()
    return sum(stringWidth(c, primary.name, size) if ord(c) in chars else size for c in text)


def assert_inside_page(path: Path, margin: float = 1.0) -> None:
    for n, (w, h, frags) in enumerate(fragments(path), start=1):
        for f in frags:
            assert f.x >= margin and f.x + text_width(f.text, f.size) <= w - margin + 0.5, \
                f"page {n}: {f.text!r} at x={f.x:.1f} ({f.size:.1f} pt) runs off the {w:.0f} pt wide page"
            assert margin <= f.y <= h - margin, f"page {n}: {f.text!r} at y={f.y:.1f} is off the page"


def assert_tokens_whole(path: Path, tokens: list[str]) -> None:
    """Every token (an amount, ID, date, row number …) is printed whole inside one fragment."""
    texts = [f.text for _w, _h, frags in fragments(path) for f in frags]
    joined = "\n".join(texts)
    for tok in set(tokens):
        assert any(tok in t for t in texts), f"{tok!r} is not printed whole on one line"
    # and no fragment ends in the middle of a number ("987669." / "93", "7515.3" / "7亩")
    for t in texts:
        assert not re.search(r"\d[.,]$|^[.,]\d", t), f"a number is broken at {t!r}"
    assert joined
