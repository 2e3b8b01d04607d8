"""``database show|test|connect|local``: where a county's data live (this PC's file or a PostgreSQL server).

The same operations as the wizard's 县级数据保存在哪里 page and the settings page's 县级数据库
group (:mod:`gkdesk.app.setup`). The password is never an argument (it would show in the
process list and the shell history): it is read from ``GKDESK_DB_PASSWORD``, or asked for.
"""

from __future__ import annotations

import argparse

from gkdesk.cli.common import CliContext, add_command, bilingual


def register(sub: argparse._SubParsersAction) -> None:
    g = add_command(sub, "database", "县级数据库:本机文件或数据库服务器(PostgreSQL)",
                    "the county's database: this PC's file or a PostgreSQL server", None, json_output=False)  # type: ignore[arg-type]
    gs = g.add_subparsers(dest="database_cmd", metavar="ACTION", required=True)
    add_command(gs, "show", "查看县级数据保存在哪里", "show where the county's data live", cmd_show)
    for name, zh, en, fn in (("test", "测试连接数据库服务器", "test a PostgreSQL server", cmd_test),
                             ("connect", "改用数据库服务器(先测试;密码加密保存)",
                              "use a PostgreSQL server from now on (tested first; password wrapped)", cmd_connect)):
        p = add_command(gs, name, zh, en, fn)
        p.add_argument("--host", required=True, help=bilingual("服务器地址(计算机名或 IP)", "server host"))
        p.add_argument("--port", default="5432", help=bilingual("端口,默认 5432", "port (default 5432)"))
        p.add_argument("--name", default="county", metavar="DATABASE",
                       help=bilingual("数据库名称,默认 county", "database name (default county)"))
        p.add_argument("--user", default="gkdesk", help=bilingual("用户名,默认 gkdesk", "user (default gkdesk)"))
        p.add_argument("--no-password", action="store_true",
                       help=bilingual("不用密码(服务器用 pgpass 或本机认证)", "no password (pgpass or peer auth)"))
    add_command(gs, "local", "改回本机文件(服务器上的数据不变)", "use this PC's file again (server data untouched)",
                cmd_local)


def _password(args: argparse.Namespace) -> str | None:
    import os

    if args.no_password:
        return None
    if os.environ.get("GKDESK_DB_PASSWORD"):
        return os.environ["GKDESK_DB_PASSWORD"]
    import getpass
    import sys

    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n") or None
    return getpass.getpass(f"数据库用户 {args.user} 的密码 / password: ") or None


def _fields(args: argparse.Namespace) -> tuple[str, str, str, str, str | None]:
    return args.host, args.port, args.name, args.user, _password(args)


def _data_dir(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from gkdesk import paths

    return paths.resolve_data_dir(args.data_dir)


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.database_choice_at(_data_dir(args))  # without opening it: the server may be down
    ctx.emit({"server": res.server, "data_dir": str(res.data_dir)}, res.summary())
    return 0


def cmd_test(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.test_database(ctx.ws, *_fields(args))
    ctx.emit({"ok": res.ok, "server": res.server, "state": res.state, "message": res.message}, res.summary())
    return 0 if res.ok else 1


def cmd_connect(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.connect_database(ctx.ws, *_fields(args))
    ctx.emit({"status": "saved", "server": res.server, "existing": res.existing}, res.summary())
    return 0


def cmd_local(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.use_local_database_at(_data_dir(args))
    ctx.emit({"status": "local", "data_dir": str(res.data_dir)}, res.summary())
    return 0
