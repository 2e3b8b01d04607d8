"""Bringing a township's built-in template rows up to the current built-in data.

The templates are seeded once; later program versions update them (涉农补贴 to 财农〔2023〕11/12号,
社会救助 to the 民办函〔2019〕52号 rows, REAL-SOURCES §2). A domain whose rows are still the
templates is updated the way a county revision is: rows the data marks as renamed (``former``)
keep their id, publications and pending date; template rows no longer in the data are retired
(tombstones keep their history). A domain that already holds the county's imported directory is
left alone: the county's directory, not our template, is what the township follows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.catalogue import core, timerule
from gkdesk.catalogue.importer import ParsedItem, _apply_domain
from gkdesk.errors import NotFound
from gkdesk.models.catalogue import ORIGIN_IMPORTED, CatalogueItem
from gkdesk.result import OpResult

SOURCE = "内置标准目录"

audit.ACTION_LABELS.update({"catalogue.builtin_update": "更新内置标准目录模板"})


def _values(it: dict[str, Any]) -> dict[str, Any]:
    v = {f: it.get(f, "") for f in ("seq", "level1", "level2", "level3", "content", "basis", "time_limit",
                                     "publisher")}
    v.update(channels=it.get("channels", []), audience=it.get("audience", []), mode=it.get("mode", []),
             levels=it.get("levels", []))
    v["extra"] = {k: x for k, x in (("说明", it.get("note")), ("模板来源", it.get("source"))) if x}
    v["rule"] = timerule.parse(v["time_limit"])
    return v


def update(session: Session, operator: str = "") -> OpResult:
    """Update every domain still on the built-in templates; returns counts and the domains left alone."""
    core.ensure_seeded(session, operator)
    core.refresh_builtin_aliases(session)
    t = township.current(session)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for it in core.load_builtin()["items"]:
        grouped.setdefault(it["domain"], []).append(it)
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    renamed: list[dict[str, Any]] = []
    kept: list[str] = []
    for dname, rows in grouped.items():
        try:
            dom = core.find_domain(session, dname)
        except NotFound:
            continue
        live = list(session.scalars(select(CatalogueItem).where(CatalogueItem.domain_id == dom.id,
                                                                CatalogueItem.deleted_at.is_(None))))
        if any(i.origin == ORIGIN_IMPORTED for i in live):
            kept.append(dom.name)
            continue
        by_identity = {i.identity: i for i in live}
        plist, renames, origins = [], {}, {}
        for k, it in enumerate(rows, start=1):
            v = _values(it)
            ident = core.identity_of(v["level1"], v["level2"], v["level3"], v["content"])
            origins[ident] = it["origin"]
            plist.append(ParsedItem(domain=dom.name, sheet=SOURCE, row=k, values=v, identity=ident))
            old = next((by_identity[f] for f in it.get("former", []) if f in by_identity), None)
            if old is not None and ident not in by_identity:
                renames[ident] = old
        _apply_domain(session, t.id, dom, plist, SOURCE, added, changed, removed, renames=renames,
                      renamed=renamed)
        for item in session.scalars(select(CatalogueItem).where(CatalogueItem.domain_id == dom.id,
                                                                CatalogueItem.deleted_at.is_(None))):
            if item.identity in origins:  # template wording, not the county's: keep its origin
                item.origin, item.source_file = origins[item.identity], ""
    session.flush()
    counts = {"added": len(added), "changed": len(changed), "removed": len(removed), "renamed": len(renamed)}
    if any(counts.values()):
        audit.record(session, operator, "catalogue.builtin_update", SOURCE, **counts)
    return OpResult(status="imported" if any(counts.values()) else "unchanged", changes={"catalogue"},
                    counts=counts, data={"renamed": renamed, "kept": kept, "removed": removed})
