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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from gkdesk import dirlock, paths, privacy
from gkdesk.errors import DatabaseTooNew, InputRejected, NotFound
from gkdesk.hints import Hint

KEEP_DAILY = 14
KEEP_WEEKLY = 8
KEEP_MONTHLY = 12

#: Full copies older than a day are also limited by size: together with the last day's they
#: may take at most this many times the database (at least ``BUDGET_FLOOR``, 256 MB). A 5 GB county
#: keeps today's and one earlier copy (plus the packages since, as the redo log) instead of
#: up to 34 dated copies (170 GB); a 28 MB township keeps nine days of copies (was up to 34).
BUDGET_FACTOR = 2
BUDGET_FLOOR = 256 * 2**20

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
    "after-restore": "恢复后备份",
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
    """Flush a file to disk. The descriptor is opened for writing: Windows' ``FlushFileBuffers``
    (behind ``os.fsync``) refuses a read-only handle, which made every backup fail there."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _disk_errors(where: Path) -> Iterator[None]:
    """ENOSPC/EROFS (also as SQLite's "disk is full" / "readonly") become the clerk's message."""
    from gkdesk.storeerrors import disk_full, read_only, translate_oserror

    try:
        yield
    except OSError as exc:
        new = translate_oserror(exc, where)
        if new is exc:
            raise
        raise new from exc
    except sqlite3.OperationalError as exc:
        text = str(exc).lower()
        if "full" in text:
            raise disk_full(where) from exc
        if "readonly" in text or "unable to open" in text:
            raise read_only(where) from exc
        raise


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
    with _disk_errors(bdir):
        try:
            os.close(privacy.open_private(tmp))  # owner-only before a single byte of data is in it
            src = sqlite3.connect(str(db), timeout=30)
            try:
                dst = sqlite3.connect(str(tmp))
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")
                finally:
                    dst.close()
            finally:
                src.close()
            existing = list_backups(data_dir)
            # Unchanged since the newest copy? Copies of different sizes differ: no need to read
            # both through (≈0.07 s for a 37 MB database, before every import of a list).
            if (not force and existing and existing[0].path.stat().st_size == tmp.stat().st_size
                    and content_hash(existing[0].path) == content_hash(tmp)):
                tmp.unlink()
                return None
            _fsync(tmp)
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)  # never leave half a backup behind
            raise
    info = BackupInfo(target, now, reason, target.stat().st_size)
    thin_backups(data_dir, now=now)
    return info


def _over_budget(data_dir: Path, kept: list[BackupInfo], now: datetime) -> set[Path]:
    """The oldest dated copies beyond the size budget (the last day's and the newest older one stay)."""
    db = Path(data_dir) / paths.DB_FILENAME
    size = db.stat().st_size if db.exists() else 0
    budget = max(BUDGET_FACTOR * size, BUDGET_FLOOR)
    used = sum(b.size for b in kept if now - b.created < timedelta(days=1))
    drop: set[Path] = set()
    older = [b for b in kept if now - b.created >= timedelta(days=1)]  # newest first
    for i, b in enumerate(older):
        if i > 0 and used + b.size > budget:
            drop.add(b.path)
        else:
            used += b.size
    return drop


def thin_backups(data_dir: Path, now: datetime | None = None) -> list[Path]:
    """Keep all from the last 24 hours; then the newest of each of the last KEEP_DAILY days,
    of KEEP_WEEKLY further weeks and of KEEP_MONTHLY further months — as far as the size budget
    (``BUDGET_FACTOR`` × the database) allows, the newest older copy always. Returns what was removed."""
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
    keep -= _over_budget(data_dir, [b for b in backups if b.path in keep], now)
    removed = [b.path for b in backups if b.path not in keep]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


@dataclass(frozen=True)
class DiskUse:
    """What backups take on disk, beside the database they protect (shown on the 备份 page)."""

    database: int  # the live file (plus its -wal), bytes; 0 when the county lives on a server
    copies: int  # full copies in the backup folder, bytes
    copy_count: int
    redo: int  # imported packages kept to replay after the day's copy, bytes
    redo_count: int
    budget: int  # what dated copies older than a day may take together

    @property
    def total(self) -> int:
        return self.copies + self.redo

    def summary(self) -> str:
        text = (f"备份共占用 {_mb(self.total)}:完整备份 {self.copy_count} 份 {_mb(self.copies)}")
        if self.redo_count:
            text += f",可重新导入的同步包 {self.redo_count} 次 {_mb(self.redo)}"
        text += "。"
        if self.database:
            text += (f"数据库 {_mb(self.database)};一天以前的备份合计不超过 {_mb(self.budget)}"
                     f"(数据库的 {BUDGET_FACTOR} 倍,至少 {_mb(BUDGET_FLOOR)}),超出时删除最早的。")
        return text


def _mb(n: int) -> str:
    return f"{n / 2**20:,.1f} MB" if n < 2**30 else f"{n / 2**30:,.2f} GB"


def _tree_size(root: Path) -> int:
    """Bytes under a folder (0 if it is missing); a file vanishing meanwhile is skipped."""
    total = 0
    for f in root.rglob("*") if root.is_dir() else ():
        try:
            total += f.stat().st_size if f.is_file() else 0
        except OSError:
            continue
    return total


def disk_use(data_dir: Path) -> DiskUse:
    from gkdesk import redo  # redo builds on this module

    data_dir = Path(data_dir)
    db = data_dir / paths.DB_FILENAME
    size = sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    items = list_backups(data_dir)
    redo_bytes = _tree_size(redo.redo_dir(data_dir))
    return DiskUse(database=size, copies=sum(b.size for b in items), copy_count=len(items), redo=redo_bytes,
                   redo_count=len(redo.entries(data_dir)),
                   budget=max(BUDGET_FACTOR * (db.stat().st_size if db.exists() else 0), BUDGET_FLOOR))


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


def keys_reset_after(data_dir: Path, backup: BackupInfo) -> bool:
    """Were this installation's keys made anew after ``backup`` was taken?

    Restoring it then brings the old keys back, and the county, which trusts the new ones,
    refuses every package until the keys are reset again — the clerk must be warned.
    """
    db = Path(data_dir) / paths.DB_FILENAME

    def resets(path: Path) -> int:
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                return int(con.execute("SELECT count(*) FROM audit_log WHERE action = 'keys.reset'").fetchone()[0])
            finally:
                con.close()
        except sqlite3.Error:
            return 0

    return db.exists() and resets(db) > resets(backup.path)


def _set_aside(path: Path, folder: Path, stem: str) -> None:
    """Keep a file SQLite may still need for a damaged database beside its corrupt copy."""
    if path.exists():
        os.replace(path, folder / (stem + path.name[len(paths.DB_FILENAME):]))


def restore_backup(data_dir: Path, backup: BackupInfo) -> BackupInfo | None:
    """Replace the live database with ``backup``. The caller must have closed its own store.

    Needs the data directory's exclusive lock: while any other process (a window, a command)
    has the directory open, the restore is refused with a message naming it — replacing the
    file under its live connection would lose everything it saved afterwards. Under the lock
    the old database's ``-wal`` is folded in by SQLite (never deleted), a safety backup is
    made, and the checked copy is renamed over the live file.

    Returns the safety backup made of the database being replaced (None if it was
    unreadable, in which case the damaged file is kept under backups/ as "corrupt").
    """
    data_dir = Path(data_dir)
    with dirlock.acquire(data_dir, exclusive=True), _disk_errors(data_dir):
        return _restore_locked(data_dir, backup)


def _restore_locked(data_dir: Path, backup: BackupInfo) -> BackupInfo | None:
    from gkdesk.store import check_sqlite_file, known_revisions, stored_revision_of_file

    db = data_dir / paths.DB_FILENAME
    tmp = data_dir / (paths.DB_FILENAME + ".restore-tmp")
    try:
        os.close(privacy.open_private(tmp))
        shutil.copyfile(backup.path, tmp)
        problems = check_sqlite_file(tmp, full=True)
        if problems:
            raise InputRejected(f"备份“{backup.path.name}”未通过完整性检查({problems[0]}),不能用于恢复")
        rev = stored_revision_of_file(tmp)
        if rev is not None and rev not in known_revisions():
            raise DatabaseTooNew(f"备份“{backup.path.name}”来自更新版本的 gkdesk(结构版本 {rev}),不能恢复")
        _fsync(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    safety: BackupInfo | None = None
    try:
        if db.exists() and db.stat().st_size > 0:
            if check_sqlite_file(db):
                stamp = datetime.now()
                stem = f"gkdesk-{stamp:%Y%m%d-%H%M%S-%f}-corrupt"
                os.close(privacy.open_private(backup_dir(data_dir) / f"{stem}.sqlite3"))
                shutil.copyfile(db, backup_dir(data_dir) / f"{stem}.sqlite3")
                for suffix in ("-wal", "-shm"):
                    _set_aside(Path(str(db) + suffix), backup_dir(data_dir), stem + ".sqlite3")
            else:
                safety = create_backup(data_dir, reason="before-restore", force=True)
                _fold_wal(db)
        os.replace(tmp, db)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return safety


def _fold_wal(db: Path) -> None:
    """Let SQLite write the ``-wal`` back into the file and remove it (we hold the exclusive
    lock, so ours is the only connection). A stale WAL left beside the restored file would be
    replayed onto it by the next connection."""
    con = sqlite3.connect(str(db), timeout=10)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    left = Path(str(db) + "-wal")
    if left.exists() and left.stat().st_size > 0:  # cannot happen with the lock held; never guess
        raise RuntimeError(f"{left} survived a checkpoint under the exclusive lock")
