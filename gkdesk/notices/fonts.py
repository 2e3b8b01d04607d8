"""Finding and registering fonts that can print Chinese, and checking glyph coverage.

reportlab embeds TrueType (glyf) fonts, including a face inside a .ttc collection,
but not CFF/PostScript-outline fonts (the Noto CJK .ttc files are CFF: they are
tried and skipped). The built-in CID font STSong-Light needs no file but is not
embedded, so some viewers show it blank: it is only the last resort.

reportlab silently drops a character the font has no glyph for. Chinese names often
hold rare characters (生僻字, some beyond U+FFFF), so every string is checked against
the chosen font's character map; a missing character is drawn with the first other
font that has it, and where no font has it the caller is told which character — a
name is never printed wrong without saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from gkdesk.settings import TextOption

# "" = choose automatically; otherwise a font file path (optionally "path#index" for a .ttc face).
NOTICE_FONT = TextOption("notices.font", "")

CID_FALLBACK = "STSong-Light"
# Drawn where no font has the character: a visible box the clerk can write into.
PLACEHOLDER = "□"


def _windows_candidates() -> list[Path]:
    root = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    names = ["simsun.ttc", "simhei.ttf", "msyh.ttc", "simkai.ttf", "simfang.ttf", "simsunb.ttf", "msyh.ttf"]
    return [root / n for n in names]


LINUX_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]
MAC_CANDIDATES = ["/System/Library/Fonts/STHeiti Light.ttc", "/Library/Fonts/Arial Unicode.ttf"]


def _fontconfig_candidates() -> list[Path]:
    """CJK fonts fontconfig knows about (Linux); absent fc-list just means none."""
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    return [Path(f) for f in files if f.lower().endswith((".ttf", ".ttc", ".otf"))]


def candidate_files() -> list[Path]:
    """Font files worth trying, best first, existing ones only, no duplicates."""
    if sys.platform.startswith("win"):
        paths = _windows_candidates()
    elif sys.platform == "darwin":
        paths = [Path(p) for p in MAC_CANDIDATES]
    else:
        paths = [Path(p) for p in LINUX_CANDIDATES]
    paths += _fontconfig_candidates()
    seen: set[str] = set()
    result = []
    for p in paths:
        key = str(p)
        if key not in seen and p.is_file():
            seen.add(key)
            result.append(p)
    return result


@dataclass
class LoadedFont:
    name: str  # reportlab registration name
    label: str  # what the clerk sees, e.g. "WenQuanYi Micro Hei (wqy-microhei.ttc)"
    source: str  # "path" or "path#index"; "" for the CID font
    chars: frozenset[int] | None  # None = unknown coverage (CID font)
    embedded: bool = True
    widths: dict[str, float] = field(default_factory=dict)  # per-char width at 1 pt, filled lazily

    def has(self, ch: str) -> bool:
        return (self.chars is None and ord(ch) <= 0xFFFF) or (self.chars is not None and ord(ch) in self.chars)


_REGISTERED: dict[str, LoadedFont] = {}


def _parse_source(source: str) -> tuple[Path, int]:
    if "#" in source:
        p, idx = source.rsplit("#", 1)
        if idx.isdigit():
            return Path(p), int(idx)
    return Path(source), 0


def load_font(source: str) -> LoadedFont | None:
    """Register one TrueType face (``path`` or ``path#index``); None if reportlab can't use it."""
    if source in _REGISTERED:
        return _REGISTERED[source]
    path, index = _parse_source(source)
    name = f"GK{len(_REGISTERED)}_{path.stem}_{index}".replace(" ", "_")
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, KeyError, ValueError, AssertionError):
        return None
    pdfmetrics.registerFont(font)
    family = font.face.familyName
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    loaded = LoadedFont(name=name, label=f"{family} ({path.name})", source=source,
                        chars=frozenset(font.face.charToGlyph))
    _REGISTERED[source] = loaded
    return loaded


def cid_font() -> LoadedFont:
    if CID_FALLBACK not in _REGISTERED:
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
        _REGISTERED[CID_FALLBACK] = LoadedFont(name=CID_FALLBACK, label=f"{CID_FALLBACK}(内置,不嵌入)",
                                               source="", chars=None, embedded=False)
    return _REGISTERED[CID_FALLBACK]


def available_fonts() -> list[LoadedFont]:
    """Every usable face of every candidate file (for the settings page)."""
    fonts = []
    for path in candidate_files():
        for index in range(0, 8 if path.suffix.lower() == ".ttc" else 1):
            f = load_font(f"{path}#{index}" if index else str(path))
            if f is None:
                break
            fonts.append(f)
    return fonts


@dataclass
class FontSet:
    """The chosen font plus the fallbacks tried, in order, for a character it lacks."""

    primary: LoadedFont
    fallbacks: list[LoadedFont]
    warnings: list[str] = field(default_factory=list)

    def font_for(self, ch: str) -> LoadedFont | None:
        if self.primary.has(ch):
            return self.primary
        for f in self.fallbacks:
            if f.has(ch):
                return f
        return None

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no font of the set can draw."""
        chars = self.primary.chars
        if chars is not None and all(ord(c) in chars for c in text):
            return []
        return [c for c in text if not c.isspace() and self.font_for(c) is None]

    def runs(self, text: str) -> list[tuple[LoadedFont, str]]:
        """Split ``text`` into (font, substring) runs; unknown characters become PLACEHOLDER."""
        out: list[tuple[LoadedFont, str]] = []
        for ch in text:
            f = self.font_for(ch)
            if f is None:
                f, ch = self.font_for(PLACEHOLDER) or self.primary, PLACEHOLDER
            if out and out[-1][0] is f:
                out[-1] = (f, out[-1][1] + ch)
            else:
                out.append((f, ch))
        return out


def choose_fonts(setting: str = "") -> FontSet:
    """The font named by the setting (if usable) or the best one found, with its fallbacks."""
    warnings: list[str] = []
    primary: LoadedFont | None = None
    if setting:
        primary = load_font(setting)
        if primary is None:
            warnings.append(f"设置的公示字体“{setting}”无法使用(文件不存在或不是 TrueType 字体),已自动选择其他字体")
    fallbacks: list[LoadedFont] = []
    for path in candidate_files():
        f = load_font(str(path))
        if f is None or (primary is not None and f.source == primary.source):
            continue
        if primary is None and _is_cjk(f):
            primary = f
        else:
            fallbacks.append(f)
    if primary is None:
        primary = cid_font()
        warnings.append("未找到可嵌入的中文 TrueType 字体,使用内置 STSong-Light(部分阅读器可能显示空白);"
                        "建议安装宋体/黑体/文泉驿字体")
    else:
        fallbacks.append(cid_font())
    return FontSet(primary=primary, fallbacks=fallbacks, warnings=warnings)


def _is_cjk(f: LoadedFont) -> bool:
    return f.chars is not None and all(ord(c) in f.chars for c in "公示村补贴金额")


def font_set_for_session(session) -> FontSet:  # type: ignore[no-untyped-def]
    return choose_fonts(NOTICE_FONT.get(session))
