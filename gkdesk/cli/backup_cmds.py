"""``backup create|list|restore``."""

from __future__ import annotations

import argparse

from gkdesk import backups, paths
from gkdesk.cli.common import CliContext, add_command, bilingual, table


def register(sub: argparse._SubParsersAction) -> None:
    b = add_command(sub, "backup", "备份与恢复", "backups", None, json_output=False)  # type: ignore[arg-type]
    bs = b.add_subparsers(dest="backup_cmd", metavar="ACTION", required=True)
    c = add_command(bs, "create", "立即备份数据库", "back up the database now", cmd_create)
    c.add_argument("--force", action="store_true", help=bilingual("即使内容未变也备份", "back up even if unchanged"))
    add_command(bs, "list", "列出备份(1 为最新)", "list backups (1 = newest)", cmd_list)
    r = add_command(bs, "restore", "从备份恢复(当前数据库先自动备份)", "restore a backup (the current database is backed up first)", cmd_restore)
    r.add_argument("backup", nargs="?", default=None,
                   help=bilingual("备份文件名或序号;省略则用最新的完好备份", "backup file name or number; default: newest good backup"))


def _data_dir(ctx: CliContext):
    return paths.resolve_data_dir(ctx.args.data_dir)


def cmd_create(ctx: CliContext, args: argparse.Namespace) -> int:
    ddir = _data_dir(ctx)
    ctx.store  # noqa: B018  (opens, creating/migrating the database if needed)
    info = backups.create_backup(ddir, "manual", force=args.force)
    if info is None:
        ctx.emit({"status": "unchanged"}, "数据自上次备份以来没有变化,未重复备份(加 --force 强制备份)")
    else:
        ctx.emit({"status": "created", "backup": info.to_dict()}, f"已备份到 {info.path}")
    return 0


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    items = backups.list_backups(_data_dir(ctx))
    rows = [[i + 1, b.created.strftime("%Y-%m-%d %H:%M:%S"), b.reason_label, f"{b.size / 1024:.0f} KB", b.path.name]
            for i, b in enumerate(items)]
    ctx.emit({"backups": [b.to_dict() for b in items]},
             table(rows, ["序号", "时间", "原因", "大小", "文件"]) if rows else "尚无备份")
    return 0


def cmd_restore(ctx: CliContext, args: argparse.Namespace) -> int:
    """Works even when the live database is corrupt: it never opens it through the store."""
    ddir = _data_dir(ctx)
    if args.backup:
        chosen = backups.find_backup(ddir, args.backup)
    else:
        chosen = backups.newest_good_backup(ddir)
        if chosen is None:
            ctx.error("没有可用的完好备份")
            return 1
    safety = backups.restore_backup(ddir, chosen)
    ctx.emit({"status": "restored", "backup": chosen.to_dict(), "safety_backup": safety.to_dict() if safety else None},
             f"已从 {chosen.path.name}({chosen.created:%Y-%m-%d %H:%M})恢复。"
             + (f"恢复前的数据已备份为 {safety.path.name}" if safety else ""))
    return 0
