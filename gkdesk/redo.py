"""Backups proportional to change: one full copy a day, the imported packages as the redo log.

A county importing 25 townships' packages used to copy its whole database before each
run (12 s and 340 MB at one year; 8.5 GB of backups after 25 packages). The guarantee the
copies gave — the database can be put back as it was before any import — does not need
a copy per import: sync packages are signed, self-contained and applied idempotently by
UUID and revision, so the state before import N is *the day's first backup plus packages
1…N-1 applied again*.

So before a sync import (:func:`before_import`):

- if no backup was taken today, take one — the day's **anchor**;
- then copy the packages about to be imported into ``backups/redo/<time>/`` with an
  ``entry.json`` naming the anchor. That costs the packages' size, not the database's.

:func:`restore_before` puts a chosen entry's "before" state back: restore the anchor (the
normal, locked, checked restore), then re-import the packages of the earlier entries of
that anchor in order. Entries whose anchor has been thinned away are removed with it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gkdesk import backups, privacy
from gkdesk.errors import NotFound

REDO_DIRNAME = "redo"
ENTRY = "entry.json"


@dataclass(frozen=True)
class RedoEntry:
    folder: Path
    created: datetime
    anchor: str          # file name of the full backup this entry replays on top of
    files: list[str]     # package files, in the order they were imported

    @property
    def id(self) -> str:
        return self.folder.name

    def to_dict(self) -> dict[str, object]:
        return {"id": self.id, "created": self.created.isoformat(timespec="seconds"), "anchor": self.anchor,
                "files": self.files}


def redo_dir(data_dir: Path) -> Path:
    return backups.backup_dir(data_dir) / REDO_DIRNAME


def entries(data_dir: Path) -> list[RedoEntry]:
    """Oldest first."""
    root = redo_dir(data_dir)
    out = []
    if root.is_dir():
        for d in root.iterdir():
            try:
                meta = json.loads((d / ENTRY).read_text(encoding="utf-8"))
                out.append(RedoEntry(d, datetime.fromisoformat(meta["created"]), str(meta["anchor"]),
                                     [str(f) for f in meta["files"]]))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # a half-written entry (killed while copying): never used
    return sorted(out, key=lambda e: e.created)


def _anchor_today(data_dir: Path, now: datetime) -> backups.BackupInfo | None:
    for b in backups.list_backups(data_dir):  # newest first
        if b.created.date() == now.date() and b.reason != "corrupt":
            return b
        break
    return None


def before_import(data_dir: Path, files: Iterable[Path], *, reason: str = "before-sync",
                  now: datetime | None = None) -> RedoEntry | None:
    """Keep the packages as a redo entry on top of the day's anchor (taken now if none)."""
    now = now or datetime.now()
    anchor = _anchor_today(data_dir, now)
    if anchor is None:
        anchor = backups.create_backup(data_dir, reason=reason, force=True, now=now)
        if anchor is None:  # no database file yet: nothing to put back
            return None
    # Every import of the day is an entry, the first one included: "before entry N" is the
    # anchor plus entries 1…N-1 imported again.
    folder = redo_dir(data_dir) / f"{now:%Y%m%d-%H%M%S-%f}"
    tmp = folder.with_name(folder.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=False)
    names = []
    try:
        for i, f in enumerate(files):
            f = Path(f)
            name = f"{i:03d}-{f.name}"
            shutil.copyfile(f, tmp / name)
            privacy.make_private_file(tmp / name)
            names.append(name)
        (tmp / ENTRY).write_text(json.dumps({"created": now.isoformat(), "anchor": anchor.path.name,
                                             "files": names}, ensure_ascii=False), encoding="utf-8")
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return RedoEntry(folder, now, anchor.path.name, names)


def thin(data_dir: Path) -> int:
    """Remove entries whose anchor backup is gone (and leftovers of killed copies)."""
    kept = {b.path.name for b in backups.list_backups(data_dir)}
    removed = 0
    root = redo_dir(data_dir)
    if not root.is_dir():
        return 0
    for d in root.iterdir():
        if d.name.endswith(".tmp"):
            shutil.rmtree(d, ignore_errors=True)
            continue
    for e in entries(data_dir):
        if e.anchor not in kept:
            shutil.rmtree(e.folder, ignore_errors=True)
            removed += 1
    return removed


def replay_plan(data_dir: Path, entry_id: str) -> tuple[backups.BackupInfo, list[Path]]:
    """The anchor to restore and the package files to import again, to reach the state just
    before entry ``entry_id`` was imported."""
    all_entries = entries(data_dir)
    target = next((e for e in all_entries if e.id == entry_id), None)
    if target is None:
        raise NotFound(f"没有编号为“{entry_id}”的导入记录(可能已随旧备份清理)")
    anchor = next((b for b in backups.list_backups(data_dir) if b.path.name == target.anchor), None)
    if anchor is None:
        raise NotFound(f"导入记录“{entry_id}”依据的备份“{target.anchor}”已不存在")
    files = [e.folder / f for e in all_entries if e.anchor == target.anchor and e.created < target.created
             for f in e.files]
    return anchor, files
