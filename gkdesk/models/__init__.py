"""SQLAlchemy ORM tables, one module per concept.

Importing this package registers every table on ``Base.metadata`` (Alembic and
the sync engine rely on that), so each new model module must be imported here.
"""

from gkdesk.models.audit import AuditEntry
from gkdesk.models.base import Base, SyncMixin, new_uuid, utcnow
from gkdesk.models.calendar import CalendarDay, CalendarYear
from gkdesk.models.catalogue import CatalogueItem, Domain, Publication
from gkdesk.models.payout import Payout, PayoutBatch, Program
from gkdesk.models.posting import Posting
from gkdesk.models.setting import Setting
from gkdesk.models.sync import SyncConflict, SyncIdentity, SyncLocalEdit, SyncPackage, SyncPeer
from gkdesk.models.township import Township, Village, VillageGroup

__all__ = [
    "AuditEntry",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "CatalogueItem",
    "Domain",
    "Payout",
    "PayoutBatch",
    "Posting",
    "Program",
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
    "VillageGroup",
    "new_uuid",
    "utcnow",
]
