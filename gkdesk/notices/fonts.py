"""Finding and registering fonts that can print Chinese, and checking glyph coverage.

reportlab embeds TrueType (glyf) fonts, including a face inside a .ttc collection,
but not CFF/PostScript-outline fonts (the Noto CJK .ttc files are CFF: they are
tried and skipped). The built-in CID font STSong-Light needs no file but is not
embedded, so some viewers show it blank: it is only the last resort.

reportlab silently drops a character the font has no glyph for. Chinese names often
hold rare characters (生僻字, some beyond U+FFFF, e.g. 𠮷 in CJK Ext-B), so every string is
checked against the chosen font's character map; a missing character is drawn with the
first other *TrueType* font that has it — searched among the installed fonts (Windows:
the system and the per-user font folders, e.g. SimSun-ExtB ``simsunb.ttf``; Linux:
fontconfig by character, e.g. HanaMinB or BabelStone Han). The built-in STSong-Light is
never used: it is not embedded and prints ⊠, blank or "?" depending on the viewer.
Where no font has the character the caller gets it back (``FontSet.missing``) and the
renderer leaves a full-size blank square for handwriting — never a hairline box.

``GKDESK_FONT_DIRS`` (folders separated by ``os.pathsep``) replaces the whole search:
only font files in those folders are used. Tests use it to stand for a machine with or
without an Ext-B font; a county can use it to point at a shared font folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from gkdesk.errors import GkError
from gkdesk.settings import TextOption


def _utf16_hex(v: int) -> str:
    return f"{v:04X}" if v <= 0xFFFF else chr(v).encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map, but with characters beyond U+FFFF as UTF-16 surrogate pairs.

    reportlab writes ``<20BB7>`` (an odd-length hex string) for 𠮷, so a viewer copies or
    searches a wrong character even though the right glyph is printed; a name must also be
    findable in the PDF, so the map is written as the PDF reference requires.
    """
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
             f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
             f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
             f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar"]
    lines += [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


_ttfonts.makeToUnicodeCMap = _to_unicode_cmap

# "" = choose automatically; otherwise a font file path (optionally "path#index" for a .ttc face).
NOTICE_FONT = TextOption("notices.font", "")


FONT_DIRS_ENV = "GKDESK_FONT_DIRS"
FONT_SUFFIXES = (".ttf", ".ttc")  # reportlab embeds TrueType outlines only (not .otf/CFF)


def _windows_dirs() -> list[Path]:
    dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    local = os.environ.get("LOCALAPPDATA")
    if local:  # fonts installed "for this user only" (the default of Windows 10 1809+)
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    return dirs


def _windows_candidates() -> list[Path]:
    names = ["simsun.ttc", "simhei.ttf", "msyh.ttc", "simkai.ttf", "simfang.ttf", "simsunb.ttf", "msyh.ttf"]
    return [d / n for d in _windows_dirs() for n in names]


def _dir_fonts(dirs: list[Path]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        try:
            out += sorted(p for p in d.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
        except OSError:
            continue
    return out


def _env_dirs() -> list[Path] | None:
    raw = os.environ.get(FONT_DIRS_ENV)
    if raw is None:
        return None
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


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


def _fontconfig_with(ch: str) -> list[Path]:
    """Font files fontconfig says hold ``ch`` (Linux: finds HanaMinB, BabelStone Han …)."""
    exe = shutil.which("fc-list")
    if not exe:
        return []
    try:
        out = subprocess.run([exe, f":charset={ord(ch):x}", "file"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    return [Path(f) for f in files if f.lower().endswith(FONT_SUFFIXES)]


def _unique_existing(paths: list[Path]) -> list[Path]:
    seen: set[str] = set()
    result = []
    for p in paths:
        key = str(p)
        if key not in seen and p.is_file():
            seen.add(key)
            result.append(p)
    return result


def candidate_files() -> list[Path]:
    """Font files worth trying, best first, existing ones only, no duplicates."""
    env = _env_dirs()
    if env is not None:
        return _unique_existing(_dir_fonts(env))
    if sys.platform.startswith("win"):
        # The fonts every Chinese Windows has, then whatever the user installed "for me only".
        paths = _windows_candidates() + _dir_fonts(_windows_dirs()[1:])
    elif sys.platform == "darwin":
        paths = [Path(p) for p in MAC_CANDIDATES]
    else:
        paths = [Path(p) for p in LINUX_CANDIDATES]
    paths += _fontconfig_candidates()
    return _unique_existing(paths)


def bundled_dir() -> Path:
    """``resources/fonts``: where an installer may ship a freely licensed Ext-B font (HanaMinB)."""
    from gkdesk.paths import resources_dir

    return resources_dir() / "fonts"


def search_files_for(ch: str) -> list[Path]:
    """Every TrueType file that might draw ``ch`` (asked only when a glyph is missing):
    the fonts shipped with gkdesk first, then the installed ones."""
    env = _env_dirs()
    if env is not None:
        return _unique_existing(_dir_fonts(env))
    shipped = _dir_fonts([bundled_dir()])
    if sys.platform.startswith("win"):
        return _unique_existing(shipped + _dir_fonts(_windows_dirs()))
    if sys.platform == "darwin":
        return _unique_existing(shipped + _dir_fonts([Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]))
    return _unique_existing(shipped + _fontconfig_with(ch))


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
_UNUSABLE: set[str] = set()  # sources reportlab refused (CFF .otf/.ttc): not parsed twice


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
    if source in _UNUSABLE:
        return None
    path, index = _parse_source(source)
    name = f"GK{len(_REGISTERED)}_{path.stem}_{index}".replace(" ", "_")
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError, KeyError, ValueError, AssertionError, IndexError, TypeError):
        _UNUSABLE.add(source)
        return None
    pdfmetrics.registerFont(font)
    family = font.face.familyName
    family = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
    loaded = LoadedFont(name=name, label=f"{family} ({path.name})", source=source,
                        chars=frozenset(font.face.charToGlyph))
    _REGISTERED[source] = loaded
    return loaded


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
    """The chosen font plus the fallbacks tried, in order, for a character it lacks.

    Fallbacks beyond the configured ones are searched only when a character is missing
    (a search parses font files, so it is done once per character and remembered).
    """

    primary: LoadedFont
    fallbacks: list[LoadedFont]
    warnings: list[str] = field(default_factory=list)
    _searched: dict[str, LoadedFont | None] = field(default_factory=dict, repr=False)

    def font_for(self, ch: str) -> LoadedFont | None:
        if self.primary.has(ch):
            return self.primary
        for f in self.fallbacks:
            if f.has(ch):
                return f
        if ch in self._searched:
            return self._searched[ch]
        found = None
        if not ch.isspace() and ord(ch) >= 0x2E80:
            for path in search_files_for(ch):
                for index in range(0, 8 if path.suffix.lower() == ".ttc" else 1):
                    loaded = load_font(f"{path}#{index}" if index else str(path))
                    if loaded is None:
                        break
                    if loaded.has(ch):
                        found = loaded
                        break
                if found is not None:
                    if found not in self.fallbacks:
                        self.fallbacks.append(found)
                    break
        self._searched[ch] = found
        return found

    def missing(self, text: str) -> list[str]:
        """Characters of ``text`` that no font can draw (searching installed fonts first)."""
        chars = self.primary.chars
        if chars is not None and all(ord(c) in chars for c in text):
            return []
        return [c for c in text if not c.isspace() and self.font_for(c) is None]

    def runs(self, text: str) -> list[tuple[LoadedFont | None, str]]:
        """Split ``text`` into (font, substring) runs; None marks characters no font has."""
        out: list[tuple[LoadedFont | None, str]] = []
        for ch in text:
            f = self.font_for(ch)
            if out and out[-1][0] is f:
                out[-1] = (f, out[-1][1] + ch)
            else:
                out.append((f, ch))
        return out


class NoChineseFont(GkError):
    exit_code = 2
    code = "no_font"


def choose_fonts(setting: str = "") -> FontSet:
    """The font named by the setting (if usable) or the best one found, with its fallbacks.

    Refuses (rather than print with a font that is not embedded) when no TrueType font
    with Chinese characters is installed at all.
    """
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
    if primary is None or not any(_is_cjk(f) for f in [primary, *fallbacks]):
        raise NoChineseFont("这台电脑上没有找到可以嵌入公示单的中文字体(TrueType),无法生成 PDF。"
                            "请安装宋体、黑体或文泉驿微米黑等中文字体后重试")
    return FontSet(primary=primary, fallbacks=fallbacks, warnings=warnings)


def _is_cjk(f: LoadedFont) -> bool:
    return f.chars is not None and all(ord(c) in f.chars for c in "公示村补贴金额")


def font_set_for_session(session) -> FontSet:  # type: ignore[no-untyped-def]
    return choose_fonts(NOTICE_FONT.get(session))
