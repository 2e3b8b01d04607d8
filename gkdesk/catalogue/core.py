"""The township's catalogue: seeding the built-in data, domains, items and publications.

The built-in data file (``resources/catalogue/standard.json``) holds the
national and provincial domains and the template items; it is loaded into the
database the first time a township's catalogue is used (or by the clerk's 装入内置
标准目录 action), after which the township owns the rows and the county's directories
update them by identity.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, paths, township
from gkdesk.catalogue import duty, timerule
from gkdesk.errors import InputRejected, NotFound, UnreadableInput
from gkdesk.hints import Hint
from gkdesk.models.catalogue import (
    ORIGIN_LABELS,
    ORIGIN_OWN,
    SOURCE_LABELS,
    SOURCE_PROVINCIAL,
    CatalogueItem,
    Domain,
    Publication,
)
from gkdesk.result import OpResult

BUILTIN_NAME = ("catalogue", "standard.json")
ATTACHMENT_DIRNAME = "attachments"
NA_PROVINCIAL_REASON = "未选用省级扩展领域(按26个试点领域编制)"

audit.ACTION_LABELS.update({
    "catalogue.seed": "装入内置标准目录", "catalogue.import": "导入标准目录",
    "catalogue.domain.add": "新增领域", "catalogue.domain_set": "选择领域集合",
    "catalogue.not_applicable": "标记未涉及", "catalogue.applicable": "取消未涉及",
    "catalogue.item.add": "新增公开事项", "catalogue.pending": "登记待公开信息", "publication.add": "登记公开",
    "catalogue.duty": "修改事项责任主体", "catalogue.alias": "添加领域别名",
})


@cache
def load_builtin() -> dict[str, Any]:
    path = paths.resources_dir().joinpath(*BUILTIN_NAME)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # a broken install, not the clerk's fault
        raise UnreadableInput(f"内置标准目录数据“{path}”无法读取:{exc}") from exc


def key_text(s: str | None) -> str:
    """Text as compared for identity: NFKC, no whitespace or punctuation spacing."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def identity_of(level1: str, level2: str, level3: str, content: str = "") -> str:
    """An item's identity inside its domain: its names; the content only when it has no level2."""
    parts = [key_text(level1), key_text(level2), key_text(level3)]
    if not parts[1] and not parts[2]:
        parts.append(key_text(content)[:40])
    return "|".join(parts)[:255]


def _domain_rows(session: Session, township_id: str) -> list[Domain]:
    return list(session.scalars(select(Domain).where(Domain.township_id == township_id,
                                                     Domain.deleted_at.is_(None))
                                .order_by(Domain.sort_order, Domain.name)))


def ensure_seeded(session: Session, operator: str = "") -> OpResult:
    """Load the built-in domains and template items if this township has no catalogue yet."""
    t = township.current(session)
    if session.scalar(select(Domain.id).where(Domain.township_id == t.id).limit(1)) is not None:
        return OpResult(status="unchanged")
    data = load_builtin()
    by_name: dict[str, Domain] = {}
    for i, d in enumerate(data["domains"], start=1):
        dom = Domain(township_id=t.id, code=d["code"], name=d["name"], aliases=list(d.get("aliases", [])),
                     source=d["source"], department=d.get("department", ""), sort_order=i,
                     applicable=d["source"] != SOURCE_PROVINCIAL and not d.get("not_applicable"),
                     not_applicable_reason=NA_PROVINCIAL_REASON if d["source"] == SOURCE_PROVINCIAL
                     else d.get("not_applicable", ""))
        session.add(dom)
        by_name[dom.name] = dom
    session.flush()
    for i, it in enumerate(data["items"], start=1):
        dom = by_name[it["domain"]]
        item = CatalogueItem(township_id=t.id, domain_id=dom.id, seq=it.get("seq", ""), sort_order=i,
                             level1=it.get("level1", ""), level2=it.get("level2", ""),
                             level3=it.get("level3", ""), content=it.get("content", ""),
                             basis=it.get("basis", ""), time_limit=it.get("time_limit", ""),
                             publisher=it.get("publisher", ""), channels=it.get("channels", []),
                             audience=it.get("audience", []), mode=it.get("mode", []),
                             levels=it.get("levels", []), origin=it["origin"],
                             extra={k: v for k, v in (("说明", it.get("note")), ("模板来源", it.get("source"))) if v})
        item.rule = timerule.parse(item.time_limit)
        item.identity = identity_of(item.level1, item.level2, item.level3, item.content)
        session.add(item)
    session.flush()
    audit.record(session, operator, "catalogue.seed", t.code, domains=len(by_name), items=len(data["items"]))
    return OpResult(changes={"catalogue"}, counts={"domains": len(by_name), "items": len(data["items"])})


def domains(session: Session, township_id: str | None = None) -> list[Domain]:
    """This township's domains (seeded on first use); the county reads a township's with ``township_id``."""
    if township_id is not None:
        return _domain_rows(session, township_id)
    t = township.current(session)
    ensure_seeded(session)
    return _domain_rows(session, t.id)


def builtin_default_reasons() -> set[str]:
    """未涉及 reasons the built-in data sets on domains a county directory may bring back into use."""
    return {d["not_applicable"] for d in load_builtin()["domains"] if d.get("not_applicable")}


def find_domain(session: Session, name: str, create: bool = False, operator: str = "") -> Domain:
    """A domain by its name, code or one of its aliases (扶贫 → 乡村振兴)."""
    wanted = key_text(name).removesuffix("领域")
    if not wanted:
        raise InputRejected("领域名称不能为空")
    rows = domains(session)
    for d in rows:
        if wanted in (key_text(d.name), d.code) or wanted in [key_text(a) for a in d.aliases]:
            return d
    if not create:
        raise NotFound(f"找不到领域“{name}”", hint=Hint.LIST_DOMAINS)
    t = township.current(session)
    d = Domain(township_id=t.id, code="", name=wanted, aliases=[], source="own",
               sort_order=max((x.sort_order for x in rows), default=0) + 1)
    session.add(d)
    session.flush()
    audit.record(session, operator, "catalogue.domain.add", wanted)
    return d


def use_domain_set(session: Session, which: str, operator: str = "") -> OpResult:
    """Choose the 26-domain set (provincial extensions 未涉及) or the 30-domain set."""
    if which not in ("26", "30"):
        raise InputRejected(f"领域集合“{which}”无效:应为 26 或 30")
    changed = 0
    for d in domains(session):
        if d.source != SOURCE_PROVINCIAL:
            continue
        if which == "30" and not d.applicable and d.not_applicable_reason == NA_PROVINCIAL_REASON:
            d.applicable, d.not_applicable_reason = True, ""
            changed += 1
        elif which == "26" and d.applicable:
            d.applicable, d.not_applicable_reason = False, NA_PROVINCIAL_REASON
            changed += 1
    audit.record(session, operator, "catalogue.domain_set", which, changed=changed)
    return OpResult(changes={"catalogue"}, counts={"changed": changed})


def mark_not_applicable(session: Session, domain: str, reason: str, item: str | None = None,
                        undo: bool = False, operator: str = "") -> OpResult:
    """Mark a domain (or one item in it) 未涉及 with the township's explanation, or undo that."""
    dom = find_domain(session, domain)
    reason = (reason or "").strip()
    if not undo and not reason:
        raise InputRejected(f"标记“{dom.name}”为未涉及时必须说明理由")
    target: Domain | CatalogueItem = dom
    if item:
        target = find_item(session, item, domain=dom)
    target.applicable = undo
    target.not_applicable_reason = "" if undo else reason
    label = dom.name if item is None else f"{dom.name} {target.label}"  # type: ignore[union-attr]
    audit.record(session, operator, "catalogue.applicable" if undo else "catalogue.not_applicable", label,
                 reason=reason)
    return OpResult(changes={"catalogue"}, data={"target": label, "applicable": undo, "reason": reason})


def items(session: Session, domain: str | None = None, include_deleted: bool = False,
          township_id: str | None = None) -> list[CatalogueItem]:
    """This township's items; the county reads a township's with ``township_id`` (never seeds it)."""
    if township_id is None:
        township_id = township.current(session).id
        ensure_seeded(session)
    q = select(CatalogueItem).join(Domain).where(CatalogueItem.township_id == township_id)
    if domain:
        q = q.where(CatalogueItem.domain_id == find_domain(session, domain).id)
    if not include_deleted:
        q = q.where(CatalogueItem.deleted_at.is_(None))
    return list(session.scalars(q.order_by(Domain.sort_order, CatalogueItem.sort_order)))


def find_item(session: Session, ref: str, domain: Domain | None = None) -> CatalogueItem:
    """An item by id (or a unique id prefix of 6+ characters) or by its names
    ("领域/一级事项/二级事项", or just the 二级事项 when it is unique)."""
    ref = (ref or "").strip()
    if not ref:
        raise InputRejected("请指定公开事项(编号或“领域/一级事项/二级事项”)")
    rows = items(session)
    if domain is not None:
        rows = [r for r in rows if r.domain_id == domain.id]
    if re.fullmatch(r"[0-9a-f]{6,32}", ref):
        hits = [r for r in rows if r.id.startswith(ref)]
        if len(hits) == 1:
            return hits[0]
    parts = [key_text(p) for p in re.split(r"[/／>]", ref) if p.strip()]
    if domain is None and len(parts) > 1:
        try:
            dom = find_domain(session, parts[0])
            rows, parts = [r for r in rows if r.domain_id == dom.id], parts[1:]
        except NotFound:
            pass
    hits = [r for r in rows if _names_match(r, parts)]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise NotFound(f"找不到公开事项“{ref}”")
    labels = "、".join(f"{h.domain.name}/{h.label}" for h in hits[:5])
    raise InputRejected(f"“{ref}”对应多个公开事项({labels}),请写明领域和一级事项")


def _names_match(item: CatalogueItem, parts: list[str]) -> bool:
    names = [key_text(x) for x in (item.level1, item.level2, item.level3) if x]
    if not parts or len(parts) > len(names):
        return False
    return names[-len(parts):] == parts or names[: len(parts)] == parts


def channel_names(item: CatalogueItem) -> list[str]:
    """The channels ticked (■) or listed as used, as written."""
    return [c["name"] for c in item.channels if c.get("mark") in ("required", "used")]


def item_dict(item: CatalogueItem) -> dict[str, Any]:
    return {
        "id": item.id, "domain": item.domain.name, "seq": item.seq,
        "level1": item.level1, "level2": item.level2, "level3": item.level3,
        "content": item.content, "basis": item.basis, "time_limit": item.time_limit,
        "rule": item.rule, "publisher": item.publisher, "channels": channel_names(item),
        "channels_all": item.channels, "audience": item.audience, "mode": item.mode,
        "levels": item.levels, "extra": item.extra, "origin": item.origin,
        "origin_label": ORIGIN_LABELS.get(item.origin, item.origin),
        "applicable": item.applicable and item.domain.applicable, "item_applicable": item.applicable,
        "not_applicable_reason": item.not_applicable_reason or item.domain.not_applicable_reason,
        "pending_since": item.pending_since.isoformat() if item.pending_since else None,
        "duty": duty.of(item), "duty_label": duty.DUTY_LABELS[duty.of(item)], "duty_set": bool(item.duty),
        "former_names": list(item.former_names or []),
    }


def domain_dict(d: Domain, item_count: int | None = None) -> dict[str, Any]:
    return {"id": d.id, "code": d.code, "name": d.name, "aliases": d.aliases, "source": d.source,
            "source_label": SOURCE_LABELS.get(d.source, d.source), "department": d.department,
            "applicable": d.applicable, "not_applicable_reason": d.not_applicable_reason,
            "items": item_count if item_count is not None
            else sum(1 for i in d.items if i.deleted_at is None)}


def add_item(session: Session, domain: str, level1: str, level2: str = "", level3: str = "",
             time_limit: str = "", operator: str = "", **fields: Any) -> OpResult:
    """The township's own item (e.g. a 领域 the county's directory leaves out)."""
    dom = find_domain(session, domain, create=True, operator=operator)
    if not (level1 or "").strip():
        raise InputRejected("一级事项不能为空")
    ident = identity_of(level1, level2, level3, fields.get("content", ""))
    if any(i.identity == ident and i.deleted_at is None for i in dom.items):
        raise InputRejected(f"领域“{dom.name}”中已有事项“{level1} {level2}”")
    t = township.current(session)
    order = max((i.sort_order for i in dom.items), default=0) + 1
    item = CatalogueItem(township_id=t.id, domain_id=dom.id, level1=level1.strip(), level2=level2.strip(),
                         level3=level3.strip(), time_limit=time_limit, rule=timerule.parse(time_limit),
                         identity=ident, sort_order=order, origin=fields.pop("origin", ORIGIN_OWN), **fields)
    session.add(item)
    session.flush()
    audit.record(session, operator, "catalogue.item.add", f"{dom.name} {item.label}")
    return OpResult(changes={"catalogue"}, data={"item": item_dict(item)})


def add_publication(session: Session, item_ref: str, published_on: date, channel: str = "",
                    title: str = "", formed_on: date | None = None, doc_number: str = "",
                    link: str = "", attachment: str | Path | None = None, data_dir: Path | None = None,
                    note: str = "", operator: str = "") -> OpResult:
    """Record that an item was published; clears its 待公开 mark when this publication covers it."""
    item = find_item(session, item_ref)
    if formed_on and formed_on > published_on:
        raise InputRejected(f"信息形成日期 {formed_on.isoformat()} 晚于发布日期 {published_on.isoformat()}")
    if published_on > date.today():
        raise InputRejected(f"发布日期 {published_on.isoformat()} 晚于今天,不能登记尚未发生的发布")
    att_path, att_hash = "", ""
    if attachment:
        src = Path(attachment)
        if not src.is_file():
            raise UnreadableInput(f"找不到附件“{src}”")
        att_hash = hashlib.sha256(src.read_bytes()).hexdigest()
        att_path = str(src)
        if data_dir is not None:
            # attachments/<ab>/<sha256><ext>: the layout sync packages carry (gkdesk.sync.registry)
            dest_dir = Path(data_dir) / ATTACHMENT_DIRNAME / att_hash[:2]
            dest_dir.mkdir(parents=True, exist_ok=True)
            dest = dest_dir / f"{att_hash}{src.suffix.lower()}"
            if not dest.exists():
                shutil.copyfile(src, dest)
            att_path = f"{ATTACHMENT_DIRNAME}/{att_hash[:2]}/{dest.name}"
    pub = Publication(township_id=item.township_id, item_id=item.id, published_on=published_on,
                      formed_on=formed_on, channel=channel.strip(), title=title.strip(),
                      doc_number=doc_number.strip(), link=link.strip(), attachment_path=att_path,
                      attachment_sha256=att_hash, note=note)
    session.add(pub)
    if item.pending_since and (formed_on is None or formed_on >= item.pending_since):
        item.pending_since = None
    session.flush()
    audit.record(session, operator, "publication.add", f"{item.domain.name} {item.label}",
                 published_on=published_on.isoformat(), channel=channel)
    return OpResult(changes={"catalogue", "publications"}, data={"publication": publication_dict(pub)})


def set_pending(session: Session, item_ref: str, since: date | None, operator: str = "") -> OpResult:
    """Note that an item's information was formed on ``since`` and awaits publication."""
    item = find_item(session, item_ref)
    item.pending_since = since
    audit.record(session, operator, "catalogue.pending", f"{item.domain.name} {item.label}",
                 since=since.isoformat() if since else None)
    return OpResult(changes={"catalogue"}, data={"item": item_dict(item)})


def set_duty(session: Session, item_ref: str, value: str, operator: str = "") -> OpResult:
    """The clerk's correction of whose duty an item is ("" = derive from the directory's columns)."""
    item = find_item(session, item_ref)
    try:
        item.duty = duty.parse(value)
    except ValueError as exc:
        raise InputRejected(f"责任主体“{value}”无效:应为 本乡镇、村 或 县级(留空则按目录判断)") from exc
    audit.record(session, operator, "catalogue.duty", f"{item.domain.name} {item.label}", duty=item.duty or "auto")
    return OpResult(changes={"catalogue"}, data={"item": f"{item.domain.name} {item.label}",
                                                 "duty": duty.of(item), "derived": not item.duty})


def add_aliases(session: Session, pairs: dict[str, str], operator: str = "") -> OpResult:
    """Teach the township more names for its domains ({alias: domain}), e.g. from the county's
    update package; an alias that already names another domain is refused, not moved."""
    added, skipped = [], []
    for alias, target in pairs.items():
        a = key_text(alias).removesuffix("领域")
        dom = find_domain(session, target)
        try:
            other = find_domain(session, a)
        except NotFound:
            other = None
        if other is not None:
            if other.id != dom.id:
                skipped.append(f"{a}(已是“{other.name}”)")
            continue
        dom.aliases = [*dom.aliases, a]
        added.append(f"{a} → {dom.name}")
    if added:
        audit.record(session, operator, "catalogue.alias", "、".join(added))
    return OpResult(changes={"catalogue"}, counts={"added": len(added)}, data={"added": added, "skipped": skipped})


def refresh_builtin_aliases(session: Session) -> int:
    """Give an existing catalogue the aliases later built-in data knows (additive; never moves one)."""
    pairs = {a: d["name"] for d in load_builtin()["domains"] for a in d.get("aliases", [])}
    known = {key_text(n) for d in _domain_rows(session, township.current(session).id)
             for n in (d.name, *d.aliases)}
    todo = {a: n for a, n in pairs.items() if key_text(a) not in known}
    names = {d.name for d in _domain_rows(session, township.current(session).id)}
    todo = {a: n for a, n in todo.items() if n in names}
    return add_aliases(session, todo, "内置数据").counts["added"] if todo else 0


def publication_dict(p: Publication) -> dict[str, Any]:
    return {"id": p.id, "item_id": p.item_id, "formed_on": p.formed_on.isoformat() if p.formed_on else None,
            "published_on": p.published_on.isoformat(), "channel": p.channel, "title": p.title,
            "doc_number": p.doc_number, "link": p.link, "attachment": p.attachment_path,
            "attachment_sha256": p.attachment_sha256}


def publications(item: CatalogueItem) -> list[Publication]:
    return [p for p in item.publications if p.deleted_at is None]
