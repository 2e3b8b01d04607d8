"""Owner-only files: the data directory is 0700 and every file in it that holds personal data 0600.

The database, its ``-wal``/``-shm``, backups (which carry both private keys and every ID and
account), exports written into the data directory, logs and temporary files hold the same
personal data, so no other account on a shared PC may read them. On POSIX the process umask
is narrowed to 077 once a data directory is opened — every later write path (SQLite's own
files, ``mkstemp``, openpyxl, reportlab) then creates owner-only files without each writer
having to remember — and files an older gkdesk left 0644 are tightened on open.

On Windows these calls do nothing: a file under the user's profile (``%LOCALAPPDATA%``) inherits
the profile's ACL, which already grants only that user, SYSTEM and administrators access;
POSIX mode bits would not change that.

Temporary files a killed run left behind (``backups/*.tmp``, ``*.partial``, hidden
``.tmp-*``, ``*.restore-tmp``) are removed when the first process opens the directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from gkdesk import dirlock

DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


def restrict_umask() -> None:
    """New files and folders of this process are owner-only from their creation on."""
    if _POSIX:
        old = os.umask(0o077)
        os.umask(old | 0o077)


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) and make ``path`` itself 0700."""
    path = Path(path)
    if _POSIX:
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
        _chmod(path, DIR_MODE)
    else:
        path.mkdir(parents=True, exist_ok=True)


def make_private_file(path: Path) -> None:
    """Make an existing file 0600 (missing: nothing to do)."""
    if _POSIX:
        _chmod(Path(path), FILE_MODE)


def _chmod(path: Path, mode: int) -> None:
    try:
        if path.exists() and (path.stat().st_mode & 0o777) != mode:
            os.chmod(path, mode)
    except OSError:  # not ours, or a read-only medium: the open itself reports what matters
        pass


def open_private(path: Path, flags: int = os.O_WRONLY | os.O_CREAT | os.O_TRUNC) -> int:
    """``os.open`` creating an owner-only file."""
    return os.open(path, flags | getattr(os, "O_BINARY", 0), FILE_MODE)


def is_temp_name(name: str) -> bool:
    """The names our writers give files before the final rename (see :mod:`gkdesk.fileio`)."""
    return (name.startswith(".tmp-") or name.endswith((".partial", ".restore-tmp"))
            or (name.endswith(".tmp") and (name.startswith("gkdesk-") or "." in name[:-4])))


def clean_temp_files(data_dir: Path) -> list[Path]:
    """Remove what a killed writer left in the data directory. Only call while holding the
    exclusive lock: another process's temp file is work in progress, not debris."""
    removed: list[Path] = []
    for root, _dirs, files in os.walk(data_dir):
        for name in files:
            if is_temp_name(name):
                p = Path(root) / name
                try:
                    p.unlink()
                    removed.append(p)
                except OSError:
                    pass
    return removed


def first_in_cleanup(data_dir: Path) -> dirlock.DirLock:
    """Take the shared open lock; the first process in (nobody else holds it) cleans up first.

    A restore in progress holds the lock exclusively: wait a few seconds for it, then refuse.
    """
    try:
        solo = dirlock.acquire(data_dir, exclusive=True)
    except (dirlock.DirectoryBusy, OSError):
        return dirlock.acquire(data_dir, wait=5.0)
    try:
        clean_temp_files(data_dir)
    finally:
        solo.release()
    return dirlock.acquire(data_dir, wait=5.0)
