"""The posting labels, as the postings capability and its callers know them.

The labels live in :mod:`gkdesk.labels` (the tables need them, and models import no
capability); this module keeps the old import path working.
"""

from gkdesk.labels import (
    LOCATION_GROUP,
    LOCATION_TOWNSHIP,
    LOCATION_VILLAGE,
    LOCATIONS,
    REVIEWER_BODIES,
    REVIEWER_FINANCE,
    REVIEWER_SUPERVISION,
    STATUS_LABELS,
)

__all__ = ["LOCATIONS", "LOCATION_GROUP", "LOCATION_TOWNSHIP", "LOCATION_VILLAGE", "REVIEWER_BODIES",
           "REVIEWER_FINANCE", "REVIEWER_SUPERVISION", "STATUS_LABELS"]
