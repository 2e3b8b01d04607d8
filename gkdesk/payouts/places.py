"""Villages and groups from wherever a list keeps them.

Hand-made village lists put 村 and 组 in one cell as often as in two ("高桥村2组", "高桥村六组",
"柳树村3社", "石板滩七组(原红岩大队七队)"); system exports have a 所属社区 column or only an
address ("…梅山镇红石村3组"); a one-village list names its village in the sheet name or the
title row. :class:`PlaceFinder` splits such a text into (village, group name, group number)
against the villages this township knows, caching by the raw cell value (a 100,000-row list
has a few hundred distinct values).

Group numbers are normalised: 六组 = 6组 = 第六组 = 第6村民小组 → ("6组", 6); where the list says
社 (Sichuan's word for 组) the name keeps it ("3社", 3).
"""

from __future__ import annotations

import re
from typing import Any

from gkdesk.sheets.normalise import _NUM, clean_place, cn_number, parse_group_text

__all__ = ["PlaceFinder", "clean_place", "cn_number", "names_group", "parse_group_text", "suggest_village"]
_VILLAGE_GROUP = re.compile(rf"^(.+?(?:村|社区|居委会|居))(第?{_NUM}(?:村民小组|小组|组|社|队))$")
_VILLAGE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "村委")
# Text that names a group, never a village: refused as a new village name
GROUP_IN_NAME = re.compile(rf"第?{_NUM}(?:村民小组|小组|组|社|队)(?:$|[(（])")


def village_core(name: str) -> str:
    """"高桥村委会" / "高桥村村民委员会" → "高桥村"; "新华社区居委会" → "新华社区"."""
    for s in _VILLAGE_SUFFIXES:
        if name.endswith(s) and len(name) > len(s):
            base = name[: -len(s)]
            if s.startswith("村") and not base.endswith(("村", "社区")):
                base += "村"
            elif s.startswith("居") and not base.endswith(("社区", "村")):
                base += "社区"
            return base
    return name


class PlaceFinder:
    """Split village/group texts against the township's known villages (cached per raw value)."""

    def __init__(self, known: list[str] | tuple[str, ...] | set[str] | dict[str, Any]) -> None:
        self.known = set(known)
        # longest first, so "高桥村" is not matched inside "新高桥村"
        self._by_len = sorted(self.known, key=len, reverse=True)
        # "高桥" for "高桥村": lists that drop the 村 ("高桥2组")
        self._short = {k[:-1]: k for k in self.known if k.endswith("村") and len(k) >= 3}
        self.cache: dict[Any, tuple[str, str, int | None]] = {}

    def split(self, value: Any) -> tuple[str, str, int | None]:
        """(village, group name, group number) of a village or 村组 cell; group "" when none."""
        hit = self.cache.get(value)
        if hit is None:
            hit = self.cache[value] = self._split(clean_place(value))
        return hit

    def _split(self, text: str) -> tuple[str, str, int | None]:
        if not text:
            return "", "", None
        if text in self.known:
            return text, "", None
        core = village_core(text)
        if core in self.known:
            return core, "", None
        for k in self._by_len:
            if text.startswith(k):
                rest = text[len(k):]
                g = parse_group_text(rest)
                if g is not None:
                    return k, g[0], g[1]
                if rest in _VILLAGE_SUFFIXES or rest in ("村委会", "委会"):
                    return k, "", None
        for short, k in self._short.items():
            if text.startswith(short):
                g = parse_group_text(text[len(short):])
                if g is not None:
                    return k, g[0], g[1]
        m = _VILLAGE_GROUP.match(text)
        if m:
            g = parse_group_text(m.group(2))
            if g is not None:
                return village_core(m.group(1)), g[0], g[1]
        return core, "", None

    def in_text(self, value: Any) -> tuple[str, str, int | None]:
        """A known village named anywhere in a longer text (an address, a title row)."""
        hit = self.cache.get(("addr", value))
        if hit is not None:
            return hit
        text = clean_place(value)
        found: tuple[str, str, int | None] = ("", "", None)
        for k in self._by_len:
            i = text.find(k)
            if i >= 0:
                m = re.match(rf"第?{_NUM}(?:村民小组|小组|组|社|队)", text[i + len(k):])
                g = parse_group_text(m.group(0)) if m else None
                found = (k, g[0], g[1]) if g else (k, "", None)
                break
        self.cache[("addr", value)] = found
        return found


def names_group(name: str) -> bool:
    """The text names a 村民小组 (alone or after a village): never a village to create."""
    return bool(GROUP_IN_NAME.search(name)) or parse_group_text(name) is not None


def suggest_village(name: str, known: list[str]) -> str | None:
    """The existing village an unknown name most likely means ("高桥" → "高桥村"), or None."""
    core = village_core(clean_place(name))
    if core in known:
        return core
    cands = [k for k in known if k.startswith(core) or core.startswith(k)
             or (k.endswith(("村", "社区")) and core.startswith(k.removesuffix("村").removesuffix("社区")))]
    if len(cands) == 1:
        return cands[0]
    return None
