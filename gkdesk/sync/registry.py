"""Every feature's sync declarations, in one place.

The engine (``tables``, ``export``, ``importer``) is generic; what it must know about
the features — which columns hold an attachment's SHA-256, which county → township
payloads exist — is declared here, explicitly, instead of as side effects of importing
a feature module. ``gkdesk.sync`` imports this module, so the CLI, the window, the
county's scripts and the tests all see the same registrations whatever else they
happened to import first.
"""

from __future__ import annotations

from gkdesk.sync.tables import register_attachment

# (table, column): the column holds the SHA-256 of a file kept under
# ``<data dir>/attachments/<ab>/<sha256>[.ext]``; the file travels with its row.
ATTACHMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("posting_photo", "sha256"),  # photos of posted sheets (gkdesk.postings.photos)
    ("posting", "pdf_sha256"),  # the printed notice PDF (gkdesk.notices.service)
    ("catalogue_publication", "attachment_sha256"),  # a publication's document (gkdesk.catalogue.core)
    ("disclosure_attachment", "sha256"),  # scans of a disclosure request (gkdesk.disclosure.attachments)
)


def register_all() -> None:
    """Idempotent: register every feature's attachment columns and update payloads."""
    for table, column in ATTACHMENT_COLUMNS:
        register_attachment(table, column)
    from gkdesk.catalogue import revision

    revision.register()  # county → township catalogue revisions
    from gkdesk.payouts import layouts

    layouts.register()  # county → township payout layouts (导入模板)


register_all()
