"""Reading the layout of a county's directory sheet: header, columns, ticks and channels.

Real directories (REFERENCE §2) have a title row, a two-row merged header
(公开事项 → 一级/二级/三级事项, 公开对象 → 全社会/特定群体, 公开方式 → 主动/依申请,
公开层级 → any set of 县级/乡级/村级 columns), √ ticks, ■/□ channel lists written with
whatever glyph the county's font produced (口 £ ◆ t), cells merged down several items,
and footnotes under the table. This module turns a sheet's header into a column map;
``importer`` walks the rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from gkdesk.sheets import normalise_header

# Single-meaning columns: field -> accepted header texts (after normalise_header).
FIELDS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序"),
    "level1": ("一级事项", "一级目录", "一级", "一级指标"),
    "level2": ("二级事项", "二级目录", "二级"),
    "level3": ("三级事项", "三级目录", "三级"),
    "content": ("公开内容(要素)", "公开内容", "公开内容要素", "主要内容", "内容"),
    "basis": ("公开依据", "依据"),
    "time_limit": ("公开时限", "时限", "公开时间"),
    "publisher": ("公开主体", "责任主体", "主体", "公开责任主体"),
    "channels": ("公开渠道和载体", "公开渠道及载体", "公开渠道", "公开载体", "渠道和载体", "公开形式"),
    "domain": ("领域", "所属领域", "公开领域"),
    "item": ("公开事项", "事项名称", "事项"),
}
# Flag groups: parent header -> {canonical label: accepted sub-header texts}.
FLAG_GROUPS: dict[str, tuple[tuple[str, ...], dict[str, tuple[str, ...]]]] = {
    "audience": (("公开对象", "公开范围"), {"全社会": ("全社会", "社会"),
                                         "特定群体": ("特定群体", "特定群众", "特定对象")}),
    "mode": (("公开方式",), {"主动": ("主动", "主动公开"), "依申请": ("依申请", "依申请公开", "申请")}),
    "levels": (("公开层级",), {}),  # any 县级/乡级/村级/镇级/市级/乡、村级 … column, kept as written
}
LEVEL_WORDS = re.compile(r"^(省|市|县|区|乡|镇|村|街道|社区|乡镇|乡、村|乡\(镇\)|镇、村)[、/]?.*级$")

TICKS = {"√", "✓", "✔", "☑", "v", "V", "是", "●", "■", "Y", "y", "1", "○", "◎", "★", "有", "✅"}
NOT_TICKS = {"", "×", "✗", "否", "无", "-", "—", "/", "0", "N", "n"}

FILLED_MARKS = "■◆●☑☒▇▪◼"
HOLLOW_MARKS = "□☐▫◻£"
AMBIGUOUS_MARKS = "口t"  # a CJK character and a letter: markers only where they start an entry

FOOTNOTE = re.compile(r"^(注|备注|说明|附注|填表说明|“■”|\"■\"|■表示|□表示)")


@dataclass
class Layout:
    header_row: int  # 0-based index of the last header row
    columns: dict[str, int]  # field -> column
    flags: dict[str, dict[int, str]]  # group -> {column: label as written}
    extra: dict[int, str]  # other named columns -> header text
    labels: dict[str, str] = field(default_factory=dict)  # field -> header text as found


def _expand_merged_across(rows: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> list[list[Any]]:
    """Copy each merged range's top-left value into every cell it covers."""
    out = [list(r) for r in rows]
    for r0, c0, r1, c1 in merged:
        if r0 >= len(out):
            continue
        top = out[r0][c0] if c0 < len(out[r0]) else None
        for r in range(r0, min(r1, len(out) - 1) + 1):
            row = out[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    row[c] = top
    return out


def _field_of(text: str) -> str | None:
    for f, names in FIELDS.items():
        if text in names:
            return f
    for f, names in FIELDS.items():
        if any(text.startswith(n) and len(n) >= 2 for n in names):
            return f
    return None


def _flag_of(parent: str, child: str) -> tuple[str, str] | None:
    """(group, label) for a sub-column of a flag group, or None."""
    for group, (parents, labels) in FLAG_GROUPS.items():
        if parent in parents or (not parent and group != "levels"):
            for canon, names in labels.items():
                if child in names:
                    return group, canon
            if group == "levels" and parent in parents and child:
                return group, child
        if group == "levels" and LEVEL_WORDS.match(child or ""):
            return group, child
    return None


def find_layout(rows: list[list[Any]], scan_rows: int = 15) -> Layout | None:
    """Find the header (one or two rows) by its known column names."""
    for i, row in enumerate(rows[:scan_rows]):
        cells = [normalise_header(v) for v in row]
        found = {f for f in (_field_of(c) for c in cells if c) if f}
        parents = {c for c in cells if any(c in p for p, _ in FLAG_GROUPS.values())}
        if not ({"time_limit", "content"} & found) or not ({"item", "level1", "level2"} & found):
            continue
        nxt = [normalise_header(v) for v in rows[i + 1]] if i + 1 < len(rows) else []
        sub_hits = sum(1 for c in nxt if c and (_flag_of("", c) or _field_of(c) in ("level1", "level2", "level3")))
        two_rows = bool(parents or "item" in found) and sub_hits >= 1
        return _build(cells, nxt if two_rows else None, i + 1 if two_rows else i)
    return None


def _build(top: list[str], sub: list[str] | None, header_row: int) -> Layout:
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    flags: dict[str, dict[int, str]] = {g: {} for g in FLAG_GROUPS}
    extra: dict[int, str] = {}
    width = max(len(top), len(sub or []))
    parent = ""
    for c in range(width):
        t = top[c] if c < len(top) else ""
        s = (sub[c] if sub and c < len(sub) else "")
        if t:
            parent = t
        elif not s:
            parent = ""
        if s and s != t:
            flag = _flag_of(parent, s)
            if flag:
                flags[flag[0]][c] = flag[1]
                continue
            f = _field_of(s)
            if f and f not in columns:
                columns[f], labels[f] = c, s
                continue
            extra[c] = f"{parent}-{s}" if parent and parent != s else s
            continue
        f = _field_of(t)
        if f and f not in columns:
            columns[f], labels[f] = c, t
        elif t and any(t in p for p, _ in FLAG_GROUPS.values()):
            group = next(g for g, (p, _) in FLAG_GROUPS.items() if t in p)
            columns[f"{group}_text"], labels[f"{group}_text"] = c, t
        elif t and _flag_of("", t):  # a one-row header with the flag columns named directly
            group, label = _flag_of("", t)  # type: ignore[misc]
            flags[group][c] = label
        elif t:
            extra[c] = t
    if "item" in columns and "level1" not in columns:  # a single 公开事项 column is the 一级事项
        columns["level1"] = columns.pop("item")
        labels["level1"] = labels.pop("item")
    columns.pop("item", None)
    return Layout(header_row=header_row, columns=columns, flags=flags, extra=extra, labels=labels)


def is_ticked(value: Any) -> tuple[bool, bool]:
    """(ticked, recognised) for a flag cell."""
    text = normalise_header(value)
    if text in NOT_TICKS:
        return False, True
    if text in TICKS or text in {"√√"}:
        return True, True
    return True, False


_SEPARATORS = re.compile(r"[\s,,、;;]+")
_NUMBERED = re.compile(r"(?:^|[\s,,、;;])\d{1,2}[.、.)]")


def parse_channels(value: Any, known: list[str]) -> list[dict[str, str]]:
    """Channel cell → [{"name", "mark"}]; mark = required (■ and substitutes), optional (□ …)
    or used (a plain list without marks)."""
    text = str(value or "").replace("\r", "\n").strip()
    if not text:
        return []
    starts: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if ch in FILLED_MARKS:
            starts.append((i, "required"))
        elif ch in HOLLOW_MARKS:
            starts.append((i, "optional"))
        elif ch in AMBIGUOUS_MARKS:
            prev = text[i - 1] if i else " "
            after = text[i + 1:]
            at_entry = i == 0 or prev in " \n\t,,、;;" or (starts and _ends_known(text[:i], known))
            if at_entry and after and (re.match(r"[\u4e00-\u9fff0-9]", after) or any(after.startswith(k) for k in known)):
                starts.append((i, "required" if ch == "t" else "optional"))
    if not starts:
        body = _NUMBERED.sub(" ", " " + text)
        out: list[dict[str, str]] = []
        for piece in _SEPARATORS.split(body):
            if piece.strip():
                out.extend({"name": n, "mark": "used"} for n in split_known(piece.strip(), known))
        return out
    out = []
    for k, (pos, mark) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        name = re.sub(r"^[\s,,、;;]+|[\s,,、;;]+$", "", text[pos + 1:end])
        if name:
            out.append({"name": name, "mark": mark})
    return out


def _ends_known(prefix: str, known: list[str]) -> bool:
    return any(prefix.rstrip().endswith(k) for k in known)


def split_known(piece: str, known: list[str]) -> list[str]:
    """Split a run of channel names whose ■/□ marks were lost ("政府网站政府公报") into the
    known names it is made of; a piece that is not wholly made of known names stays whole."""
    canon = {unicodedata.normalize("NFKC", k): k for k in known if k}
    names = sorted(canon, key=len, reverse=True)
    norm = unicodedata.normalize("NFKC", piece)
    if norm in canon:
        return [piece]

    def walk(rest: str) -> list[str] | None:
        if not rest:
            return []
        for n in names:
            if rest.startswith(n):
                tail = walk(rest[len(n):])
                if tail is not None:
                    return [canon[n], *tail]
        return None

    found = walk(norm)
    return found if found and len(found) > 1 else [piece]


def fused(value: Any, known: list[str]) -> bool:
    """Whether a channel cell had names run together without marks (to warn the clerk)."""
    text = str(value or "")
    if any(ch in FILLED_MARKS + HOLLOW_MARKS for ch in text):
        return False
    return any(len(split_known(p.strip(), known)) > 1 for p in _SEPARATORS.split(text) if p.strip())
