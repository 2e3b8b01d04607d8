"""Where gkdesk keeps its data.

Order of precedence: an explicit ``--data-dir``; ``GKDESK_DATA_DIR``; portable mode
(a file named ``portable`` next to the executable, for a build copied to a folder);
otherwise the platform's user data directory. The live database must sit on a
local disk — a USB stick carries sync packages, never the database.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from gkdesk import APP_NAME

DB_FILENAME = "gkdesk.sqlite3"
BACKUP_DIRNAME = "backups"
ATTACHMENT_DIRNAME = "attachments"
OUTPUT_DIRNAME = "outputs"


def executable_dir() -> Path:
    """Folder of the frozen executable, or of the package when run from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def portable_data_dir() -> Path | None:
    marker = executable_dir() / "portable"
    if marker.exists():
        return executable_dir() / "data"
    return None


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    env = os.environ.get("GKDESK_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    portable = portable_data_dir()
    if portable is not None:
        return portable
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The top-level ``resources/`` folder (source tree or PyInstaller bundle)."""
    env = os.environ.get("GKDESK_RESOURCES")
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
