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
    r.add_argument("--before-import", default=None, metavar="ID",
                   help=bilingual("恢复到某次导入之前(编号见 backup imports)", "restore to just before an import (see backup imports)"))
    add_command(bs, "imports", "列出可恢复到其之前的导入(当天备份之后保存的数据包)",
                "list imports that can be undone (packages kept after the day's backup)", cmd_imports)


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
    use = ops.disk_use(_data_dir(ctx))
    ctx.emit({"backups": [b.to_dict() for b in items],
              "disk_use": {"database": use.database, "copies": use.copies, "copy_count": use.copy_count,
                           "redo": use.redo, "redo_count": use.redo_count, "total": use.total,
                           "budget": use.budget}},
             (table(rows, ["序号", "时间", "原因", "大小", "文件"]) if rows else "尚无备份") + "\n" + use.summary())
    return 0


def cmd_restore(ctx: CliContext, args: argparse.Namespace) -> int:
    """Works even when the live database is corrupt: it never opens it through the store."""
    from gkdesk.app import backups as ops

    if args.before_import:
        done = ops.restore_before_import(ctx.ws, args.before_import)
        ctx.emit({"status": "restored", "backup": done.restored.backup.to_dict(), "replayed": done.replayed,
                  "applied": done.applied}, done.summary())
        return 0
    res = ops.restore_directory(_data_dir(ctx), args.backup)
    ctx.emit({"status": "restored", "backup": res.backup.to_dict(),
              "safety_backup": res.safety.to_dict() if res.safety else None}, res.summary())
    return 0


def cmd_imports(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import backups as ops

    items = ops.imports(_data_dir(ctx))
    rows = [[e.id, e.created.strftime("%Y-%m-%d %H:%M:%S"), len(e.files), e.anchor] for e in items]
    ctx.emit({"imports": [e.to_dict() for e in items]},
             table(rows, ["编号", "导入时间", "数据包", "依据的当天备份"]) if rows else "今天尚无可撤销的导入")
    return 0
