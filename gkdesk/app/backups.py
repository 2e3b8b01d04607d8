"""Backups as clerk actions: back up now, list, restore (also when the live file is damaged)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gkdesk import audit, backups, redo
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.backups import BackupInfo
from gkdesk.errors import NotFound
from gkdesk.hints import Hint

audit.ACTION_LABELS.update({"backup.create": "手动备份", "backup.restore": "从备份恢复",
                            "backup.restore_before_import": "恢复到某次导入之前"})


@dataclass
class BackupMade(Outcome):
    info: BackupInfo | None  # None: nothing changed since the newest backup

    def summary(self) -> str:
        return f"已备份:{self.info.path.name}" if self.info else "数据自上次备份以来没有变化,未重复备份。"


@dataclass
class Restored(Outcome):
    backup: BackupInfo
    safety: BackupInfo | None  # the copy of the data that was replaced
    old_keys: bool = False  # the backup predates a keys reset: the old keys are back

    def summary(self) -> str:
        text = f"已从 {self.backup.path.name}({self.backup.created:%Y-%m-%d %H:%M})恢复。"
        text += f"恢复前的数据已备份为 {self.safety.path.name}" if self.safety else ""
        if self.old_keys:
            text += ("\n注意:这份备份早于本单位重新生成密钥,恢复后用的是旧密钥。县级已改为信任新密钥,"
                     "会拒收用旧密钥签名的数据包;请重新生成密钥并把新的身份文件交县级信任。")
        return text


def create(ws: Workspace, *, force: bool = False) -> BackupMade:
    info = ws.backup("manual", force=force)
    return BackupMade(info, changes=frozenset({"backups"}))


def listed(data_dir: Path) -> list[BackupInfo]:
    """Newest first; works without opening the database."""
    return backups.list_backups(Path(data_dir))


def disk_use(data_dir: Path) -> backups.DiskUse:
    """What the backups take, beside the database; works without opening the database."""
    return backups.disk_use(Path(data_dir))


def choose(data_dir: Path, ref: str | BackupInfo | None) -> BackupInfo:
    """A backup by file name or list number (1 = newest); None = the newest good one."""
    if isinstance(ref, BackupInfo):
        return ref
    if ref:
        try:
            return backups.find_backup(Path(data_dir), str(ref))
        except NotFound as exc:
            raise NotFound(exc.message, hint=Hint.LIST_BACKUPS) from exc
    chosen = backups.newest_good_backup(Path(data_dir))
    if chosen is None:
        raise NotFound("没有可用的完好备份")
    return chosen


def restore(ws: Workspace, ref: str | BackupInfo | None = None) -> Restored:
    """Replace the live database with a backup: close it, restore (safety copy first), reopen."""
    chosen = choose(ws.data_dir, ref)
    old_keys = backups.keys_reset_after(ws.data_dir, chosen)
    ws.close()  # our own "open" lock goes; restore needs the directory to itself
    try:
        safety = backups.restore_backup(ws.data_dir, chosen)
    finally:
        ws.reopen()
    with ws.session() as s:
        ws.audit(s, "backup.restore", chosen.path.name,
                 safety_backup=safety.path.name if safety else None)
    return Restored(chosen, safety, old_keys, changes=frozenset({"all"}))


@dataclass
class RestoredBeforeImport(Outcome):
    restored: Restored
    replayed: int          # packages imported again on top of the day's backup
    applied: int
    entry_created: str

    def summary(self) -> str:
        return (f"已恢复到 {self.entry_created} 那次导入之前:先恢复当天的备份 {self.restored.backup.path.name},"
                f"再重新导入其后、那次之前的 {self.replayed} 个数据包(应用 {self.applied} 个)。"
                "其间手工修改的内容(不是导入的)没有恢复;恢复前的数据已另行备份。")


def imports(data_dir: Path) -> list[redo.RedoEntry]:
    """Imports kept as packages on top of a day's backup, newest first (restore points)."""
    return list(reversed(redo.entries(Path(data_dir))))


def restore_before_import(ws: Workspace, entry_id: str) -> RestoredBeforeImport:
    """Put back the state just before one import: the day's backup, then the packages
    imported before it that day, imported again in order; then a fresh backup, which
    becomes the day's new starting point."""
    from gkdesk import sync

    anchor, files = redo.replay_plan(ws.data_dir, entry_id)
    entry = next(e for e in redo.entries(ws.data_dir) if e.id == entry_id)
    restored = restore(ws, anchor)
    applied = 0
    if files:
        reps = sync.import_files(ws.store, files, ws.operator, receipts_dir=ws.data_dir / "outbox")
        applied = sum(1 for r in reps if r.status == "applied")
    ws.backup("after-restore", force=True)
    redo.thin(ws.data_dir)
    with ws.session() as s:
        ws.audit(s, "backup.restore_before_import", entry_id, anchor=anchor.path.name, replayed=len(files))
    return RestoredBeforeImport(restored, len(files), applied, f"{entry.created:%Y-%m-%d %H:%M:%S}",
                                changes=frozenset({"all"}))


def restore_directory(data_dir: Path, ref: str | BackupInfo | None = None) -> Restored:
    """Restore without opening the live database, which may be the damaged file being replaced."""
    chosen = choose(Path(data_dir), ref)
    old_keys = backups.keys_reset_after(Path(data_dir), chosen)
    safety = backups.restore_backup(Path(data_dir), chosen)
    return Restored(chosen, safety, old_keys, changes=frozenset({"all"}))
