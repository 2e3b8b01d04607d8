"""Chinese substring search over the catalogue (items, content, basis, publisher, time limit).

On SQLite an FTS5 trigram index (``catalogue_fts``, kept by triggers from the
migration) answers terms of three or more characters; shorter terms (the common
two-character words 低保, 救助) and other databases use a portable ``LIKE``. Several
space-separated terms must all match.
"""

from __future__ import annotations

import re

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.models.catalogue import CatalogueItem, Domain

SEARCHED = (CatalogueItem.level1, CatalogueItem.level2, CatalogueItem.level3, CatalogueItem.content,
            CatalogueItem.basis, CatalogueItem.publisher, CatalogueItem.time_limit)


def terms_of(query: str) -> list[str]:
    return [t for t in re.split(r"\s+", (query or "").strip()) if t]


def _fts_available(session: Session) -> bool:
    if session.get_bind().dialect.name != "sqlite":
        return False
    return session.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'catalogue_fts'")).first() is not None


def search_ids(session: Session, query: str, domain_id: str | None = None, limit: int = 500) -> list[str]:
    """Ids of live items matching every term, in catalogue order."""
    terms = terms_of(query)
    t = township.current(session)
    q = (select(CatalogueItem.id).join(Domain)
         .where(CatalogueItem.township_id == t.id, CatalogueItem.deleted_at.is_(None)))
    if domain_id:
        q = q.where(CatalogueItem.domain_id == domain_id)
    long_terms = [x for x in terms if len(x) >= 3]
    short_terms = [x for x in terms if len(x) < 3]
    if long_terms and _fts_available(session):
        match = " AND ".join('"' + x.replace('"', '""') + '"' for x in long_terms)
        fts_ids = select(text("item_id")).select_from(text("catalogue_fts")).where(
            text("catalogue_fts MATCH :match").bindparams(match=match))
        q = q.where(CatalogueItem.id.in_(fts_ids.scalar_subquery()))
    else:
        short_terms = terms
    if short_terms:
        q = q.where(and_(*(or_(*(col.contains(x, autoescape=True) for col in SEARCHED)) for x in short_terms)))
    q = q.order_by(Domain.sort_order, CatalogueItem.sort_order).limit(limit)
    return list(session.scalars(q))


def rebuild_index(session: Session) -> int:
    """Refill the FTS index from the items (after a VACUUM moved rowids, or by hand)."""
    if not _fts_available(session):
        return 0
    session.execute(text("DELETE FROM catalogue_fts"))
    session.execute(text(
        "INSERT INTO catalogue_fts(rowid, item_id, body) SELECT rowid, id, "
        "coalesce(level1,'') || ' ' || coalesce(level2,'') || ' ' || coalesce(level3,'') || ' ' || "
        "coalesce(content,'') || ' ' || coalesce(basis,'') || ' ' || coalesce(publisher,'') || ' ' || "
        "coalesce(time_limit,'') FROM catalogue_item"))
    return session.scalar(text("SELECT count(*) FROM catalogue_fts")) or 0
