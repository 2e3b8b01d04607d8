"""Backups in the manner of Anki.

Made with SQLite's online backup API (consistent even while the app runs, WAL
included) before every destructive operation, on demand and on close; skipped
when the content equals the newest backup; thinned to "everything from today,
then one a day / week / month". Restore goes through a temporary copy that must
pass ``PRAGMA integrity_check`` and must not come from a newer gkdesk, then an
atomic rename — the live file is never half-written.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from gkdesk import paths
from gkdesk.errors import DatabaseTooNew, InputRejected, NotFound
from gkdesk.hints import Hint

KEEP_DAILY = 14
KEEP_WEEKLY = 8
KEEP_MONTHLY = 12

REASONS = {
    "manual": "手动备份",
    "on-close": "关闭时备份",
    "before-migration": "升级前备份",
    "before-restore": "恢复前备份",
    "before-import": "导入前备份",
    "before-delete": "删除前备份",
    "before-replace": "替换前备份",
    "before-sync": "同步前备份",
    "before-catalogue-import": "导入标准目录前备份",
    "before-catalogue-adopt": "采用村务公开目录前备份",
    "before-catalogue-remove": "删除村务公开事项前备份",
    "corrupt": "损坏的数据库(留档)",
}

_NAME = re.compile(r"^gkdesk-(\d{8})-(\d{6})-(\d{6})-([a-z-]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    def to_dict(self) -> dict[str, object]:
        return {"file": self.path.name, "path": str(self.path), "created": self.created.isoformat(timespec="seconds"),
                "reason": self.reason, "reason_label": self.reason_label, "size": self.size}


def backup_dir(data_dir: Path) -> Path:
    d = Path(data_dir) / paths.BACKUP_DIRNAME
    d.mkdir(parents=True, exist_ok=True)
    return d


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Newest first."""
    out = []
    for p in backup_dir(data_dir).iterdir():
        m = _NAME.match(p.name)
        if not m:
            continue
        created = datetime.strptime(m.group(1) + m.group(2) + m.group(3), "%Y%m%d%H%M%S%f")
        out.append(BackupInfo(p, created, m.group(4), p.stat().st_size))
    return sorted(out, key=lambda b: b.created, reverse=True)


def content_hash(path: Path) -> str:
    """SHA-256 of a database file ignoring header counters that change without content."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        header = bytearray(f.read(100))
        if len(header) == 100:
            header[24:28] = b"\0\0\0\0"  # file change counter
            header[92:100] = b"\0" * 8  # version-valid-for, SQLite version
        h.update(header)
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def create_backup(data_dir: Path, reason: str = "manual", *, force: bool = False,
                  now: datetime | None = None) -> BackupInfo | None:
    """Back up the live database. Returns None when skipped (no database, or unchanged)."""
    data_dir = Path(data_dir)
    db = data_dir / paths.DB_FILENAME
    if not db.exists() or db.stat().st_size == 0:
        return None
    now = now or datetime.now()
    bdir = backup_dir(data_dir)
    target = bdir / f"gkdesk-{now:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    tmp = target.with_suffix(".tmp")
    src = sqlite3.connect(str(db), timeout=30)
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave half a backup behind
        raise
    finally:
        src.close()
    existing = list_backups(data_dir)
    if not force and existing and content_hash(existing[0].path) == content_hash(tmp):
        tmp.unlink()
        return None
    _fsync(tmp)
    os.replace(tmp, target)
    info = BackupInfo(target, now, reason, target.stat().st_size)
    thin_backups(data_dir, now=now)
    return info


def thin_backups(data_dir: Path, now: datetime | None = None) -> list[Path]:
    """Keep all from the last 24 hours; then the newest of each of the last KEEP_DAILY days,
    of KEEP_WEEKLY further weeks and of KEEP_MONTHLY further months. Returns what was removed."""
    now = now or datetime.now()
    keep: set[Path] = set()
    days: set[object] = set()
    weeks: set[object] = set()
    months: set[object] = set()
    n_weekly = n_monthly = 0
    backups = list_backups(data_dir)
    for b in backups:  # newest first, so the first seen of a day/week/month is its newest
        day, week, month = b.created.date(), b.created.isocalendar()[:2], (b.created.year, b.created.month)
        if now - b.created < timedelta(days=1):
            keep.add(b.path)
            continue
        if day in days:
            continue
        if len(days) < KEEP_DAILY:
            pass
        elif week not in weeks and n_weekly < KEEP_WEEKLY:
            n_weekly += 1
        elif week not in weeks and month not in months and n_monthly < KEEP_MONTHLY:
            n_monthly += 1
        else:
            continue
        keep.add(b.path)
        days.add(day)
        weeks.add(week)
        months.add(month)
    removed = [b.path for b in backups if b.path not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def find_backup(data_dir: Path, name: str) -> BackupInfo:
    """Find a backup by file name, path, or 1-based position in the list (1 = newest)."""
    backups = list_backups(data_dir)
    if name.isdigit() and 1 <= int(name) <= len(backups):
        return backups[int(name) - 1]
    for b in backups:
        if name in (b.path.name, str(b.path)):
            return b
    raise NotFound(f"找不到备份“{name}”。", hint=Hint.LIST_BACKUPS)


def verify_backup(path: Path) -> list[str]:
    from gkdesk.store import check_sqlite_file

    return check_sqlite_file(path, full=True)


def newest_good_backup(data_dir: Path) -> BackupInfo | None:
    for b in list_backups(data_dir):
        if b.reason != "corrupt" and not verify_backup(b.path):
            return b
    return None


def restore_backup(data_dir: Path, backup: BackupInfo) -> BackupInfo | None:
    """Replace the live database with ``backup``. The caller must have closed its engine.

    Returns the safety backup made of the database being replaced (None if it was
    unreadable, in which case the damaged file is kept under backups/ as "corrupt").
    """
    from gkdesk.store import check_sqlite_file, known_revisions, stored_revision_of_file

    data_dir = Path(data_dir)
    db = data_dir / paths.DB_FILENAME
    tmp = data_dir / (paths.DB_FILENAME + ".restore-tmp")
    shutil.copyfile(backup.path, tmp)
    try:
        problems = check_sqlite_file(tmp, full=True)
        if problems:
            raise InputRejected(f"备份“{backup.path.name}”未通过完整性检查({problems[0]}),不能用于恢复")
        rev = stored_revision_of_file(tmp)
        if rev is not None and rev not in known_revisions():
            raise DatabaseTooNew(f"备份“{backup.path.name}”来自更新版本的 gkdesk(结构版本 {rev}),不能恢复")
        _fsync(tmp)
    except Exception:
        tmp.unlink(missing_ok=True)
        raise
    safety: BackupInfo | None = None
    if db.exists():
        if check_sqlite_file(db):
            stamp = datetime.now()
            corrupt = backup_dir(data_dir) / f"gkdesk-{stamp:%Y%m%d-%H%M%S-%f}-corrupt.sqlite3"
            shutil.copyfile(db, corrupt)
        else:
            safety = create_backup(data_dir, reason="before-restore", force=True)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    os.replace(tmp, db)
    return safety
