"""``backup create|list|restore``."""

from __future__ import annotations

import argparse

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
    from gkdesk import paths

    return paths.resolve_data_dir(ctx.args.data_dir)


def cmd_create(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import backups as ops

    res = ops.create(ctx.ws, force=args.force)  # opening the workspace creates/migrates the database
    if res.info is None:
        ctx.emit({"status": "unchanged"}, res.summary() + "(加 --force 强制备份)")
    else:
        ctx.emit({"status": "created", "backup": res.info.to_dict()}, f"已备份到 {res.info.path}")
    return 0


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import backups as ops

    items = ops.listed(_data_dir(ctx))
    rows = [[i + 1, b.created.strftime("%Y-%m-%d %H:%M:%S"), b.reason_label, f"{b.size / 1024:.0f} KB", b.path.name]
            for i, b in enumerate(items)]
    ctx.emit({"backups": [b.to_dict() for b in items]},
             table(rows, ["序号", "时间", "原因", "大小", "文件"]) if rows else "尚无备份")
    return 0


def cmd_restore(ctx: CliContext, args: argparse.Namespace) -> int:
    """Works even when the live database is corrupt: it never opens it through the store."""
    from gkdesk.app import backups as ops

    res = ops.restore_directory(_data_dir(ctx), args.backup)
    ctx.emit({"status": "restored", "backup": res.backup.to_dict(),
              "safety_backup": res.safety.to_dict() if res.safety else None}, res.summary())
    return 0
