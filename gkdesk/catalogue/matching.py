"""Re-import judgement: is a file the whole directory or a part, and which items were renamed.

Counties publish directories in parts (rows 1–5 on one page, a 续表 with rows 11–13 on the
next) and rename items between revisions (农机购置补贴 → 农机购置与应用补贴, REAL-SOURCES §2).
A part must only add and update; a rename must keep the item's row so its publications,
history and due state stay. Both are judged here from the file and the stored rows; the
clerk confirms (the window shows the assumed mode and why, and each proposed rename).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from gkdesk.catalogue.core import key_text
from gkdesk.models.catalogue import ORIGIN_IMPORTED, CatalogueItem

RENAME_THRESHOLD = 0.6
NAME_GATE = 0.5
CONTINUED = re.compile(r"续表|[((]续[))]|续上表|接上表")


@dataclass
class Proposal:
    """A stored item that the file no longer names, and the new item it most resembles."""

    domain: str
    old_id: str
    old_label: str
    new_identity: str
    new_label: str
    score: float
    why: str  # which of name / content / basis agree, in Chinese
    publications: int  # recorded publications the rename keeps

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "old_id": self.old_id, "old": self.old_label,
                "new_identity": self.new_identity, "new": self.new_label, "score": round(self.score, 2),
                "why": self.why, "publications": self.publications}

    @property
    def text(self) -> str:
        return f"{self.old_label} → {self.new_label}"


def label_of(values: dict[str, Any]) -> str:
    return " / ".join(x for x in (values.get("level1"), values.get("level2"), values.get("level3")) if x)


def _leaf(values: dict[str, Any]) -> str:
    return key_text(values.get("level3") or values.get("level2") or values.get("level1") or "")


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def name_similarity(old: dict[str, Any], new: dict[str, Any]) -> float:
    """Mostly the leaf name's likeness (siblings share their 一级事项, so the path alone misleads);
    a leaf kept under a renamed 一级事项, or one leaf containing the other, is a strong sign."""
    full = _ratio(key_text(label_of(old)), key_text(label_of(new)))
    a, b = _leaf(old), _leaf(new)
    if a and a == b:
        leaf = 1.0
    elif a and b and min(len(a), len(b)) >= 4 and (a in b or b in a):
        leaf = 0.85
    else:
        leaf = _ratio(a, b)
    return 0.7 * leaf + 0.3 * full


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def text_similarity(a: str, b: str) -> float:
    """Shared character pairs over the shorter text: a directory that abbreviates its content
    ("政策依据;申请指南;补贴结果") still resembles the full wording."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / min(len(x), len(y))


def similarity(old: dict[str, Any], new: dict[str, Any]) -> tuple[float, str]:
    """(score 0–1, why) from name, content and basis; empty columns do not count either way.
    A pair whose names are unlike scores 0 whatever the content (siblings share content)."""
    name = name_similarity(old, new)
    parts = [(0.5, name, "名称")]
    for weight, f, word in ((0.3, "content", "公开内容"), (0.2, "basis", "公开依据")):
        a, b = key_text(old.get(f, "")), key_text(new.get(f, ""))
        if a and b:
            parts.append((weight, text_similarity(a, b), word))
    total = sum(w for w, _, _ in parts)
    score = sum(w * v for w, v, _ in parts) / total if name >= NAME_GATE else 0.0
    agree = [f"{word}{round(v * 100)}%相近" for _, v, word in parts]
    return score, "、".join(agree)


def values_of(item: CatalogueItem) -> dict[str, Any]:
    return {"level1": item.level1, "level2": item.level2, "level3": item.level3, "content": item.content,
            "basis": item.basis}


def _prepared(v: dict[str, Any]) -> dict[str, Any]:
    """The compared texts of one item, computed once (a directory pairs every gone item with
    every new one)."""
    out = dict(v)
    out["_full"], out["_leaf"] = key_text(label_of(v)), _leaf(v)
    out["_cfull"], out["_cleaf"] = Counter(out["_full"]), Counter(out["_leaf"])
    for f in ("content", "basis"):
        out[f"_{f}"] = key_text(v.get(f, ""))
    return out


def _quick(a: str, b: str, ca: Counter[str], cb: Counter[str]) -> float:
    """SequenceMatcher.quick_ratio from precomputed character counts (an upper bound of ratio)."""
    return 2 * sum((ca & cb).values()) / (len(a) + len(b)) if a and b else 0.0


def _name_upper(a: dict[str, Any], b: dict[str, Any]) -> float:
    """A cheap upper bound of :func:`name_similarity`."""
    full = _quick(a["_full"], b["_full"], a["_cfull"], b["_cfull"])
    la, lb = a["_leaf"], b["_leaf"]
    if la and lb and (la == lb or (min(len(la), len(lb)) >= 4 and (la in lb or lb in la))):
        leaf = 1.0
    else:
        leaf = _quick(la, lb, a["_cleaf"], b["_cleaf"])
    return 0.7 * leaf + 0.3 * full


def propose(domain: str, gone: list[CatalogueItem], new: list[tuple[str, dict[str, Any]]],
            publications: dict[str, int]) -> list[Proposal]:
    """One-to-one pairs of (stored item no longer in the file, file item not yet stored), best first."""
    scored = []
    fresh = [(ident, nv, _prepared(nv)) for ident, nv in new]
    for old in gone:
        ov = values_of(old)
        op = _prepared(ov)
        for ident, nv, np_ in fresh:
            if _name_upper(op, np_) < NAME_GATE:
                continue  # names too unlike to be a rename, whatever the content
            score, why = similarity(ov, nv)
            if score >= RENAME_THRESHOLD:
                scored.append((score, old, ident, nv, why))
    scored.sort(key=lambda x: -x[0])
    used_old: set[str] = set()
    used_new: set[str] = set()
    out = []
    for score, old, ident, nv, why in scored:
        if old.id in used_old or ident in used_new:
            continue
        used_old.add(old.id)
        used_new.add(ident)
        out.append(Proposal(domain, old.id, old.label, ident, label_of(nv), score, why,
                            publications.get(old.id, 0)))
    return out


def part_reasons(domain: str, seqs: list[str], continued: bool, file_idents: set[str],
                 live: list[CatalogueItem]) -> tuple[list[str], list[str]]:
    """(reasons, notes) a file looks like a part of this domain's directory.

    Reasons are what the page itself says (numbering not from 1, a 续表 title) and make the part
    mode the assumed one; a note (fewer rows than the county directory stored) is only shown,
    because a revision that drops items also has fewer rows."""
    reasons, notes = [], []
    # the lowest first-of-sheet number: a workbook holding both pages starts at 1 somewhere
    numbers = [int(x) for x in seqs if re.match(r"^\d+$", x or "")]
    if numbers and min(numbers) > 1:
        reasons.append(f"“{domain}”的序号从{min(numbers)}开始,不是从1开始")
    if continued:  # every sheet of this domain is a 续表
        reasons.append(f"“{domain}”所在表格标题写有“续表”")
    imported = [i for i in live if i.origin == ORIGIN_IMPORTED]
    if imported and len(file_idents) < len(imported):
        notes.append(f"“{domain}”文件中只有{len(file_idents)}项,少于已导入的{len(imported)}项")
    return reasons, notes
