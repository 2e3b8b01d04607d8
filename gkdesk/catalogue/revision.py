"""County → township: the county's catalogue revision as a sync update payload.

The county imports (or edits) its standard directory in its own catalogue, then ships
it as a sync update (the county's 下发更新). The township applies it through the same identity
matching as an Excel re-import (:func:`gkdesk.catalogue.importer._apply_domain`):
items are matched by domain + names, so changed items keep their row (and their
recorded publications), removed ones become tombstones, returning ones are revived.
Applying the same revision twice changes nothing.

The payload also carries the county's own domain aliases (``aliases``: {alias: domain}, e.g.
"国土空间规划" → "城乡规划") and, per item, the identities it had before renames the county
accepted (``former``): the township then renames its own row instead of replacing it, so its
publications and pending dates stay.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.catalogue import core
from gkdesk.catalogue.importer import COMPARED, FIELD_LABELS, ParsedItem, _apply_domain
from gkdesk.errors import NotFound
from gkdesk.models.catalogue import ORIGIN_IMPORTED, CatalogueItem, Domain

PAYLOAD = "catalogue"
LABEL = "标准目录修订"
SOURCE_FILE = "县级下发目录"


def build(session: Session, options: dict[str, Any]) -> dict[str, Any] | None:
    """The county's imported directory, per domain (None when it has none to ship)."""
    me = township.current(session)
    wanted = set(options.get("catalogue_domains") or [])
    q = (select(CatalogueItem, Domain.name).join(Domain, CatalogueItem.domain_id == Domain.id)
         .where(CatalogueItem.township_id == me.id, CatalogueItem.deleted_at.is_(None),
                CatalogueItem.origin == ORIGIN_IMPORTED, Domain.deleted_at.is_(None))
         .order_by(Domain.sort_order, CatalogueItem.sort_order))
    domains: dict[str, list[dict[str, Any]]] = {}
    for item, dname in session.execute(q):
        if wanted and dname not in wanted:
            continue
        values = {f: getattr(item, f) for f in COMPARED}
        domains.setdefault(dname, []).append({"identity": item.identity, "values": {**values, "rule": item.rule},
                                              "former": [f["identity"] for f in item.former_names or []]})
    if not domains:
        return None
    builtin = {core.key_text(a) for d in core.load_builtin()["domains"] for a in d.get("aliases", [])}
    aliases = {a: d.name for d in core.domains(session) for a in d.aliases if core.key_text(a) not in builtin}
    return {"county": me.name, "domains": [{"name": n, "items": items} for n, items in domains.items()],
            "aliases": aliases}


def apply(session: Session, data: dict[str, Any]) -> dict[str, int]:
    """Install the revision on this township; idempotent. Raises ValueError when malformed."""
    me = township.current(session)
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    source = f"{SOURCE_FILE}({data.get('county', '')})"[:255]
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict):
        raise ValueError("领域别名格式不正确")
    known = {d.name for d in core.domains(session)}
    core.add_aliases(session, {str(a): str(n) for a, n in aliases.items() if str(n) in known}, "县级下发")
    renamed: list[dict[str, Any]] = []
    for d in data["domains"]:
        name = str(d["name"])
        try:
            dom = core.find_domain(session, name)
        except NotFound:
            dom = core.find_domain(session, name, create=True, operator="县级下发")
        plist = []
        for k, it in enumerate(d["items"], start=1):
            v = it["values"]
            missing = [f for f in (*COMPARED, "rule") if f not in v]
            if missing or not isinstance(it["identity"], str):
                what = FIELD_LABELS.get(missing[0], "公开时限规则") if missing else "事项标识"
                raise ValueError(f"领域“{name}”第 {k} 项缺少“{what}”")
            plist.append(ParsedItem(domain=dom.name, sheet=LABEL, row=k, values=v, identity=it["identity"]))
        _apply_domain(session, me.id, dom, plist, source, added, changed, removed,
                      renames=_renames(session, dom, d["items"]), renamed=renamed)
    session.flush()
    if added or changed or removed or renamed:
        audit.record(session, "县级下发", "catalogue.revision", source, added=len(added),
                     changed=len(changed), removed=len(removed), renamed=len(renamed))
    return {"catalogue_added": len(added), "catalogue_changed": len(changed), "catalogue_removed": len(removed)}


def _renames(session: Session, dom: Domain, items: list[dict[str, Any]]) -> dict[str, CatalogueItem]:
    """{new identity: this township's row under a former identity} for items the county renamed."""
    rows = list(session.scalars(select(CatalogueItem).where(CatalogueItem.domain_id == dom.id,
                                                            CatalogueItem.deleted_at.is_(None))))
    live = {i.identity: i for i in rows}
    out: dict[str, CatalogueItem] = {}
    for it in items:
        former = it.get("former") or []
        if it["identity"] in live or not isinstance(former, list):
            continue
        hit = next((live[f] for f in reversed(former) if isinstance(f, str) and f in live), None)
        if hit is not None and hit not in out.values():
            out[it["identity"]] = hit
    return out


def register() -> None:
    from gkdesk.sync.payloads import register_update_payload

    register_update_payload(PAYLOAD, LABEL, build, apply)
