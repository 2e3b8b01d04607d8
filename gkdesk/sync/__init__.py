"""Sync packages between a township and its county (DESIGN.md §5).

Public entry points: :func:`export_data` (township → county), :func:`import_files`
(either side), :func:`export_update` (county → townships), keys in :mod:`.keys`,
the attachment and update-payload registries for features.
"""

from gkdesk.sync import registry  # noqa: F401  (every feature's attachments and payloads)
from gkdesk.sync.container import DEFAULT_PART_BYTES, PackageRefused
from gkdesk.sync.export import ExportResult, export_data, export_update
from gkdesk.sync.importer import PackageReport, history, import_files
from gkdesk.sync.payloads import register_update_payload
from gkdesk.sync.refusals import refused_history
from gkdesk.sync.tables import register_attachment, travelling_tables

__all__ = [
    "DEFAULT_PART_BYTES",
    "ExportResult",
    "PackageRefused",
    "PackageReport",
    "export_data",
    "export_update",
    "history",
    "import_files",
    "refused_history",
    "register_attachment",
    "register_update_payload",
    "travelling_tables",
]
