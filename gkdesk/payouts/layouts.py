"""Layouts learned once (导入模板/列对应): which header text is which field, saved under a name.

A layout is keyed by the *header signature* of a list (SHA-1 of its normalised header
texts, left to right): the next file from the same system has the same header and the
layout applies by itself ("按模板『一卡通导出』导入"). ``--layout NAME`` applies one whatever
the signature (columns found by header text); ``--map 姓名=收款人全称`` fixes single fields.

Files: :func:`export_layouts` gives a JSON-ready dict (``{"format": "gkdesk-payout-layouts",
"version": 1, "layouts": [...]}``) and :func:`import_layouts` stores one.

County → townships: in county mode a layout can be marked for sending (:func:`set_send_down`);
the update payload ``payout_layouts`` (registered in ``gkdesk.sync.registry``) carries every
marked layout and :func:`apply_payload` installs them on the township as origin "county",
never overwriting the township's own layouts (see there).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit
from gkdesk.errors import InputRejected, NotFound, UnreadableInput
from gkdesk.hints import Hint
from gkdesk.models.base import utcnow
from gkdesk.models.payout_layout import PayoutLayout
from gkdesk.sheets.header import SCAN_ROWS, HeaderMatch, normalise_header
from gkdesk.sheets.synonyms import FIELD_LABELS

FORMAT = "gkdesk-payout-layouts"
IGNORE = "忽略"
# What a clerk may type or pick for a field (window drop-down, ``--map``): label → field.
FIELD_CHOICES: dict[str, str] = {
    "姓名": "name", "身份证号": "id_number", "村": "village", "村(社区)": "village", "组": "group",
    "村民小组": "group", "村组": "village_group", "地址": "address", "金额": "amount", "补贴金额": "amount",
    "数量": "quantity", "面积": "quantity", "人数": "quantity", "标准": "rate", "补贴标准": "rate",
    "账号": "account_number", "月份": "month", "发放月份": "month", "备注": "remark",
}
CHOICE_ORDER = ("姓名", "身份证号", "村", "组", "村组", "地址", "金额", "数量", "标准", "账号", "月份", "备注", IGNORE)
_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")
_NTH = re.compile(r"^第(\d+)列$")


@dataclass
class LayoutSpec:
    name: str
    signature: str
    headers: list[str]  # normalised header texts, left to right
    fields: dict[str, str]  # field -> header text (normalised)
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column when the header is blank
    origin: str = "local"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "signature": self.signature, "headers": self.headers, "fields": self.fields,
                "columns": self.columns, "origin": self.origin}


def field_key(text: str) -> str:
    """A field from its Chinese choice or its key (姓名 / name)."""
    t = text.strip()
    if t in FIELD_LABELS:
        return t
    if t in FIELD_CHOICES:
        return FIELD_CHOICES[t]
    for k, label in FIELD_LABELS.items():
        if label == t:
            return k
    raise InputRejected(f"不认识的字段“{t}”:应为{'、'.join(CHOICE_ORDER[:-1])}之一")


def _row_texts(rows: Sequence[Sequence[Any]], header: HeaderMatch) -> list[str]:
    from gkdesk.payouts.columns import header_texts

    if header.row < 0:
        return []
    width = len(rows[header.row])
    if header.first_row is not None:
        width = max(width, len(rows[header.first_row]))
    texts = header_texts(rows, header, width)
    while texts and not texts[-1]:
        texts.pop()
    return texts


def signature_of(texts: Sequence[str]) -> str:
    return hashlib.sha1("|".join(texts).encode("utf-8")).hexdigest()[:20] if any(texts) else ""


def signature(rows: Sequence[Sequence[Any]], header: HeaderMatch) -> str:
    """The header signature a layout is saved under (empty for a list without a header)."""
    return signature_of(_row_texts(rows, header))


def apply_layout(rows: Sequence[Sequence[Any]], forced: LayoutSpec | None, layouts: list[LayoutSpec],
                 match: HeaderMatch | None) -> tuple[HeaderMatch, str] | None:
    """The header of ``rows`` under a saved layout: ``forced``, else one whose signature matches."""
    scan = min(SCAN_ROWS, len(rows))
    norm = [[normalise_header(v) for v in rows[r]] for r in range(scan)]
    candidates = [forced] if forced is not None else layouts
    for spec in candidates:
        for r in range(scan):
            for first in (None, r - 1):
                if first is not None and first < 0:
                    continue
                hm = HeaderMatch(row=r, columns={}, labels={}, first_row=first)
                texts = _row_texts(rows, hm)
                if signature_of(texts) == spec.signature or (forced is not None and _covers(texts, spec)):
                    return _map(texts, spec, hm), spec.name
    if forced is not None:
        missing = [t for t in forced.fields.values() if not any(t in row for row in norm)]
        raise UnreadableInput(f"文件的表头与导入模板“{forced.name}”不符:找不到列“{'”“'.join(missing[:5])}”")
    return None


def _covers(texts: list[str], spec: LayoutSpec) -> bool:
    return bool(spec.fields) and all(t in texts for t in spec.fields.values())


def _map(texts: list[str], spec: LayoutSpec, hm: HeaderMatch) -> HeaderMatch:
    for f, t in spec.fields.items():
        if t in texts:
            hm.columns[f] = texts.index(t)
        elif f in spec.columns:
            hm.columns[f] = spec.columns[f]
    for f, c in spec.columns.items():
        hm.columns.setdefault(f, c)
    hm.labels = {f: (texts[c] if c < len(texts) and texts[c] else f"第{c + 1}列") for f, c in hm.columns.items()}
    return hm


def column_index(ref: str, texts: list[str]) -> int:
    """A column from its header text, its letter (C, AA) or "第3列"."""
    t = normalise_header(ref)
    if t in texts:
        return texts.index(t)
    m = _NTH.match(t)
    if m:
        return int(m.group(1)) - 1
    if _LETTERS.match(t):
        n = 0
        for ch in t.upper():
            n = n * 26 + ord(ch) - 64
        return n - 1
    raise InputRejected(f"表头中没有“{ref}”这一列(现有:{'、'.join(x for x in texts if x)})")


def apply_overrides(rows: Sequence[Sequence[Any]], header: HeaderMatch, overrides: dict[str, str]) -> None:
    """``--map`` / the window's choices: field → header text, letter or 忽略 (drop the field)."""
    texts = _row_texts(rows, header)
    for f, ref in overrides.items():
        key = field_key(f)
        if ref.strip() == IGNORE:
            header.columns.pop(key, None)
            header.labels.pop(key, None)
            continue
        c = column_index(ref, texts)
        for other, oc in list(header.columns.items()):
            if oc == c and other != key:
                del header.columns[other]
                header.labels.pop(other, None)
        header.columns[key] = c
        header.labels[key] = texts[c] if c < len(texts) and texts[c] else f"第{c + 1}列"
    if "village_group" in header.columns:
        header.columns.pop("village", None)


def spec_from_header(name: str, rows: Sequence[Sequence[Any]], header: HeaderMatch) -> LayoutSpec:
    texts = _row_texts(rows, header)
    fields = {f: texts[c] for f, c in header.columns.items() if c < len(texts) and texts[c]}
    columns = {f: c for f, c in header.columns.items() if f not in fields}
    return LayoutSpec(name, signature_of(texts), texts, fields, columns)


# -- storage -------------------------------------------------------------------------------

def _spec(row: PayoutLayout) -> LayoutSpec:
    d = json.loads(row.spec)
    return LayoutSpec(row.name, row.signature, list(d.get("headers", [])), dict(d.get("fields", {})),
                      {k: int(v) for k, v in d.get("columns", {}).items()}, row.origin)


def load_specs(session: Session) -> list[LayoutSpec]:
    return [_spec(r) for r in session.scalars(select(PayoutLayout).order_by(PayoutLayout.name))]


def find(session: Session, name: str) -> LayoutSpec:
    row = session.scalar(select(PayoutLayout).where(PayoutLayout.name == name.strip()))
    if row is None:
        known = "、".join(s.name for s in load_specs(session)) or "(尚无)"
        raise NotFound(f"没有名为“{name}”的导入模板。现有模板:{known}", hint=Hint.LIST_LAYOUTS)
    return _spec(row)


def _validate(spec: LayoutSpec) -> None:
    if not spec.name.strip() or len(spec.name) > 64:
        raise InputRejected("导入模板名称不能为空,且不超过64个字")
    bad = [f for f in list(spec.fields) + list(spec.columns) if f not in FIELD_LABELS]
    if bad:
        raise InputRejected(f"导入模板“{spec.name}”含不认识的字段:{'、'.join(bad[:5])}")
    have = set(spec.fields) | set(spec.columns)
    if not {"name", "amount"} <= have:
        raise InputRejected(f"导入模板“{spec.name}”必须指明“姓名”和“补贴金额”所在的列")


def save(session: Session, spec: LayoutSpec, operator: str = "", *, replace: bool = True) -> str:
    """Store (or replace, by name) a layout; returns "added" or "replaced"."""
    _validate(spec)
    row = session.scalar(select(PayoutLayout).where(PayoutLayout.name == spec.name))
    payload = json.dumps({"headers": spec.headers, "fields": spec.fields, "columns": spec.columns},
                         ensure_ascii=False)
    status = "added"
    if row is not None:
        if not replace:
            raise InputRejected(f"导入模板“{spec.name}”已存在")
        row.signature, row.spec, row.origin, row.updated_at = spec.signature, payload, spec.origin, utcnow()
        status = "replaced"
    else:
        # One layout per header signature: a newer mapping of the same header replaces the older one.
        for old in session.scalars(select(PayoutLayout).where(PayoutLayout.signature == spec.signature)):
            if spec.signature:
                session.delete(old)
        session.add(PayoutLayout(name=spec.name, signature=spec.signature, spec=payload, origin=spec.origin))
    session.flush()
    audit.record(session, operator, "payouts.layout_save", spec.name, origin=spec.origin, status=status)
    return status


def delete(session: Session, name: str, operator: str = "") -> None:
    row = session.scalar(select(PayoutLayout).where(PayoutLayout.name == name.strip()))
    if row is None:
        find(session, name)  # raises with the list of names
        return
    session.delete(row)
    session.flush()
    audit.record(session, operator, "payouts.layout_delete", name)


def export_layouts(session: Session, names: Sequence[str] | None = None) -> dict[str, Any]:
    """The layouts as a JSON-ready dict (all, or those named) — what a county package carries."""
    specs = load_specs(session)
    if names:
        wanted = set(names)
        missing = wanted - {s.name for s in specs}
        if missing:
            raise NotFound(f"没有名为“{'、'.join(sorted(missing))}”的导入模板")
        specs = [s for s in specs if s.name in wanted]
    return {"format": FORMAT, "version": 1, "layouts": [s.to_dict() for s in specs]}


def import_layouts(session: Session, data: Any, origin: str = "local", operator: str = "") -> list[str]:
    """Store every layout of an exported dict (same name replaced); returns their names."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("layouts"), list):
        raise UnreadableInput("不是 gkdesk 导出的导入模板文件")
    names = []
    for i, d in enumerate(data["layouts"]):
        try:
            spec = LayoutSpec(str(d["name"]), str(d.get("signature", "")),
                              [str(x) for x in d.get("headers", [])],
                              {str(k): str(v) for k, v in dict(d.get("fields", {})).items()},
                              {str(k): int(v) for k, v in dict(d.get("columns", {})).items()}, origin)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise UnreadableInput(f"导入模板文件第{i + 1}个模板格式不对") from None
        if spec.headers and not spec.signature:
            spec.signature = signature_of(spec.headers)
        save(session, spec, operator)
        names.append(spec.name)
    return names


def note_used(session: Session, name: str) -> None:
    row = session.scalar(select(PayoutLayout).where(PayoutLayout.name == name))
    if row is not None:
        row.used_count += 1


# -- county → township: the ``payout_layouts`` update payload ---------------------------------

PAYLOAD = "payout_layouts"
LABEL = "导入模板"
COUNTY_SUFFIX = "(县级)"


def set_send_down(session: Session, name: str, send: bool, operator: str = "") -> None:
    """County mode: (un)mark a layout for the townships; the next update package carries it."""
    from gkdesk import township
    from gkdesk.models.township import ROLE_COUNTY

    if township.current(session).role != ROLE_COUNTY:
        raise InputRejected("只有县级(区)政务公开办可以把导入模板下发给乡镇")
    row = session.scalar(select(PayoutLayout).where(PayoutLayout.name == name.strip()))
    if row is None:
        find(session, name)  # raises with the list of names
        return
    row.send_down = bool(send)
    session.flush()
    audit.record(session, operator, "payouts.layout_send" if send else "payouts.layout_unsend", row.name)


def sent_names(session: Session) -> set[str]:
    return set(session.scalars(select(PayoutLayout.name).where(PayoutLayout.send_down.is_(True))))


def build_payload(session: Session, options: dict[str, Any]) -> dict[str, Any] | None:
    """The layouts marked for sending, or None (the package then carries no layouts)."""
    rows = list(session.scalars(select(PayoutLayout).where(PayoutLayout.send_down.is_(True))
                                .order_by(PayoutLayout.name)))
    if not rows:
        return None
    return {"format": FORMAT, "version": 1, "layouts": [_spec(r).to_dict() for r in rows]}


def _same(a: LayoutSpec, b: LayoutSpec) -> bool:
    return (a.signature, a.headers, a.fields, a.columns) == (b.signature, b.headers, b.fields, b.columns)


def apply_payload(session: Session, data: dict[str, Any]) -> dict[str, int]:
    """Install the county's layouts on a township; idempotent.

    A county layout replaces the county's earlier version (same name, origin "county"). The
    township's own layouts are never overwritten: a different layout under the same name is
    stored as "NAME(县级)" (counted as renamed), and a header the township already has its own
    layout for keeps the township's (counted as kept) — the clerk chose it for this header.
    """
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("layouts"), list):
        raise ValueError("导入模板数据格式不对")
    counts = {"layouts_added": 0, "layouts_replaced": 0, "layouts_unchanged": 0, "layouts_renamed": 0,
              "layouts_kept_local": 0}
    rows = {r.name: r for r in session.scalars(select(PayoutLayout))}
    for i, d in enumerate(data["layouts"]):
        try:
            spec = LayoutSpec(str(d["name"]).strip(), str(d.get("signature", "")), [str(x) for x in d.get("headers", [])],
                              {str(k): str(v) for k, v in dict(d.get("fields", {})).items()},
                              {str(k): int(v) for k, v in dict(d.get("columns", {})).items()}, "county")
            _validate(spec)
        except InputRejected as exc:  # the package is refused as a whole, naming the layout
            raise ValueError(exc.args[0] if exc.args else f"第{i + 1}个导入模板无效") from None
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ValueError(f"第{i + 1}个导入模板格式不对") from None
        if spec.headers and not spec.signature:
            spec.signature = signature_of(spec.headers)
        target = rows.get(spec.name)
        if target is not None and target.origin != "county":
            if _same(_spec(target), spec):
                counts["layouts_unchanged"] += 1
                continue
            spec.name = (spec.name[:64 - len(COUNTY_SUFFIX)] + COUNTY_SUFFIX)
            target = rows.get(spec.name)
            if target is not None and target.origin != "county":
                counts["layouts_kept_local"] += 1
                continue
        if target is not None and _same(_spec(target), spec):
            counts["layouts_unchanged"] += 1
            continue
        if spec.signature and any(r.signature == spec.signature and r.name != spec.name and r.origin != "county"
                                  for r in rows.values()):
            counts["layouts_kept_local"] += 1
            continue
        status = save(session, spec, "县级下发")
        renamed = spec.name != str(d["name"]).strip()
        counts["layouts_renamed" if renamed else f"layouts_{status}"] += 1
        rows = {r.name: r for r in session.scalars(select(PayoutLayout))}
    return {k: v for k, v in counts.items() if v}


def register() -> None:
    """Called by ``gkdesk.sync.registry``: the county's update packages carry marked layouts."""
    from gkdesk.sync.payloads import register_update_payload

    register_update_payload(PAYLOAD, LABEL, build_payload, apply_payload)
