"""Labels and codes that tables, capabilities and both faces share.

This module sits below the models (the tables store these codes: ``posting.status``, the
places and reviewer bodies a row may hold) and imports nothing, so that models need no
capability and the CLI can build its parser with them without loading SQLAlchemy.

Posting lifecycle: where a notice hangs, who reviews it, the status names.
"""

LOCATION_VILLAGE = "村公示栏"
LOCATION_GROUP = "组"
LOCATION_TOWNSHIP = "乡镇栏"
LOCATIONS = (LOCATION_VILLAGE, LOCATION_GROUP, LOCATION_TOWNSHIP)

REVIEWER_SUPERVISION = "村务监督委员会"
REVIEWER_FINANCE = "民主理财小组"
REVIEWER_BODIES = (REVIEWER_SUPERVISION, REVIEWER_FINANCE)

# Lifecycle statuses (codes as stored in ``posting.status``) and their labels.
STATUS_LABELS = {
    "draft": "待审核",
    "reviewed": "已审核",
    "posted": "公示中",
    "ended": "公示期满",
    "archived": "已归档",
    "superseded": "已更正重贴",
    "withdrawn": "已撤回",
}
