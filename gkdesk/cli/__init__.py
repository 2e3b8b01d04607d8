"""The ``gkdesk`` command line: every clerk operation, over the same core as the window.

Each command group lives in its own module exposing ``register(subparsers)``;
add the module's name to ``COMMAND_MODULES`` to switch it on.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
from typing import NoReturn

from gkdesk import APP_TITLE, __version__
from gkdesk.cli.common import CliContext, bilingual
from gkdesk.errors import GkError
from gkdesk.headstart import prefetch_from_argv

COMMAND_MODULES = [
    "gkdesk.cli.setup_cmds",
    "gkdesk.cli.backup_cmds",
    "gkdesk.cli.calendar_cmds",
    "gkdesk.cli.notice_cmds",
    "gkdesk.cli.catalogue_cmds",
    "gkdesk.cli.sync_cmds",
    "gkdesk.cli.payouts_cmds",
    "gkdesk.cli.posting_cmds",
    "gkdesk.cli.request_cmds",
    "gkdesk.cli.report_cmds",
    "gkdesk.cli.selftest_cmds",
    "gkdesk.cli.settings_cmds",
    "gkdesk.cli.database_cmds",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"用法错误 / usage error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gkdesk", description=f"{APP_TITLE} (gkdesk) — 命令行 / command line")
    parser.add_argument("--version", action="version", version=f"gkdesk {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", default=None,
                        help=bilingual("数据目录(默认:系统用户数据目录,或环境变量 GKDESK_DATA_DIR)",
                                       "data directory (default: user data dir or GKDESK_DATA_DIR)"))
    parser.add_argument("--database-url", metavar="URL", default=None,
                        help=bilingual("县级使用的数据库地址,如 postgresql://…", "database URL, e.g. postgresql://… (county)"))
    parser.add_argument("--operator", metavar="NAME", default=None,
                        help=bilingual("操作人姓名(记入操作日志)", "operator name recorded in the audit log"))
    parser.add_argument("--json", action="store_true", help=bilingual("以 JSON 输出结果", "print results as JSON"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def run() -> NoReturn:
    """The console entry point: :func:`main`, then leave without tearing the interpreter down.

    By the time ``main`` returns the command's transaction is committed and the database
    closed. Exit hooks still run and output is flushed; what is skipped is deallocating
    every module and object one by one (≈0.15 s after importing a big payout list) —
    the operating system reclaims the memory anyway. In-process callers (tests, the
    window) use :func:`main`, which returns normally.
    """
    # Start reading a big payout list before the handler's heavy imports. Only the real
    # program does this; importing gkdesk.cli (tests, the window) has no side effects.
    prefetch_from_argv(sys.argv[1:])
    from gkdesk.gcpause import one_shot_process

    one_shot_process()  # big lists are not freed one by one before the process leaves
    code = main()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1
    os._exit(code)


def _quiet_stdout() -> None:
    """Point standard output at the null device (what is still buffered goes nowhere)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # no real stdout (the window, a test's capture)
        pass


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors: return, don't kill an embedding caller
        return int(exc.code or 0)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    ctx = CliContext(args)
    try:
        return int(args.handler(ctx, args) or 0)
    except GkError as exc:
        return ctx.fail(exc)
    except BrokenPipeError:
        # Whoever read the output went away (``… | head``). The command's work is done and
        # committed; nothing more can be said there, and leaving must not fail on it either.
        _quiet_stdout()
        return 2
    except OSError as exc:  # disk full, stick pulled out, no permission: say which file, no traceback
        from gkdesk.storeerrors import translate_oserror

        known = translate_oserror(exc)
        if isinstance(known, GkError):
            return ctx.fail(known)
        where = f"“{exc.filename}”" if getattr(exc, "filename", None) else ""
        message = f"文件读写失败{where}:{exc.strerror or exc}。数据库未做改动;请检查磁盘空间、U 盘或文件权限后重试。"
        if ctx.json:
            import json

            print(json.dumps({"status": "error", "message": message}, ensure_ascii=False))
        ctx.error(message)
        return 2
    except KeyboardInterrupt:
        ctx.error("已中断")
        return 130
    except Exception as exc:  # the last resort: a message and a log file, never a traceback
        from gkdesk import crashlog, paths

        try:
            ddir = paths.resolve_data_dir(args.data_dir)
        except Exception:
            ddir = None
        message = crashlog.message(crashlog.write(type(exc), exc, exc.__traceback__, ddir))
        if ctx.json:
            import json

            print(json.dumps({"status": "error", "code": "unexpected", "message": message}, ensure_ascii=False))
        ctx.error(message)
        return 2
    finally:
        ctx.close()
