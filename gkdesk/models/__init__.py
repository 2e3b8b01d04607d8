"""SQLAlchemy ORM tables, one module per concept.

Importing this package registers every table on ``Base.metadata`` (Alembic and
the sync engine rely on that), so each new model module must be imported here.
"""

from gkdesk.models.audit import AuditEntry
from gkdesk.models.base import Base, SyncMixin, new_uuid, utcnow
from gkdesk.models.calendar import CalendarDay, CalendarYear
from gkdesk.models.catalogue import CatalogueItem, Domain, Publication
from gkdesk.models.county_cache import CountyViewCache
from gkdesk.models.disclosure import (
    DisclosureAnnualReport,
    DisclosureAppeal,
    DisclosureApplicant,
    DisclosureAttachment,
    DisclosureEvent,
    DisclosureRequest,
)
from gkdesk.models.payout import Payout, PayoutBatch, Program
from gkdesk.models.payout_layout import PayoutLayout, ProgramTotal
from gkdesk.models.posting import Posting
from gkdesk.models.posting_lifecycle import PostingEvent, PostingObjection, PostingPhoto
from gkdesk.models.setting import Setting
from gkdesk.models.sync import SyncConflict, SyncIdentity, SyncLocalEdit, SyncPackage, SyncPeer
from gkdesk.models.township import Township, Village, VillageGroup
from gkdesk.models.village_disclosure import VillageCatalogueItem, VillageDisclosureProfile

__all__ = [
    "AuditEntry",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "CatalogueItem",
    "CountyViewCache",
    "DisclosureAnnualReport",
    "DisclosureAppeal",
    "DisclosureApplicant",
    "DisclosureAttachment",
    "DisclosureEvent",
    "DisclosureRequest",
    "Domain",
    "Payout",
    "PayoutBatch",
    "PayoutLayout",
    "Posting",
    "PostingEvent",
    "PostingObjection",
    "PostingPhoto",
    "Program",
    "ProgramTotal",
    "Publication",
    "Setting",
    "SyncConflict",
    "SyncIdentity",
    "SyncLocalEdit",
    "SyncMixin",
    "SyncPackage",
    "SyncPeer",
    "Township",
    "Village",
    "VillageCatalogueItem",
    "VillageDisclosureProfile",
    "VillageGroup",
    "new_uuid",
    "utcnow",
]
