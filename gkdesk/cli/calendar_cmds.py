"""``calendar years|show|set-year|import|deadline``."""

from __future__ import annotations

import argparse

from gkdesk.cli.common import CliContext, add_command, bilingual, table


def register(sub: argparse._SubParsersAction) -> None:
    c = add_command(sub, "calendar", "节假日与工作日", "holiday calendar and working days", None, json_output=False)  # type: ignore[arg-type]
    cs = c.add_subparsers(dest="calendar_cmd", metavar="ACTION", required=True)
    add_command(cs, "years", "列出已有节假日数据的年份", "list years with holiday data", cmd_years)
    s = add_command(cs, "show", "显示某年的放假和调休上班日", "show a year's holidays and make-up working days", cmd_show)
    s.add_argument("year", type=int)
    y = add_command(cs, "set-year", "按国务院办公厅通知录入某年节假日", "enter a year's holidays from the State Council notice", cmd_set_year)
    y.add_argument("year", type=int)
    y.add_argument("--holidays", nargs="+", required=True, metavar="DAY",
                   help=bilingual("放假日期或范围,如 2027-01-01 2027-02-06..2027-02-12", "days off, e.g. 2027-01-01 2027-02-06..2027-02-12"))
    y.add_argument("--workdays", nargs="*", default=[], metavar="DAY",
                   help=bilingual("调休上班日(周六或周日)", "make-up working days (Sat/Sun)"))
    i = add_command(cs, "import", "从小文件(JSON 或文本)导入某年节假日", "import a year from a small JSON/text file", cmd_import)
    i.add_argument("file")
    d = add_command(cs, "deadline", "计算期限", "compute a deadline", cmd_deadline)
    d.add_argument("start", help=bilingual("起算日期 YYYY-MM-DD", "start date"))
    d.add_argument("days", type=int)
    d.add_argument("--natural", action="store_true", help=bilingual("按自然日计算(默认工作日)", "natural days (default: working days)"))


def cmd_years(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import calendar

    cov = calendar.coverage(ctx.ws)
    ctx.emit({"years": [{"year": y.year, "source": y.source} for y in cov.years]},
             table([[y.year, y.source] for y in cov.years], ["年份", "来源"]))
    return 0


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import calendar

    res = calendar.show_year(ctx.ws, args.year)
    ctx.emit(res.payload(), res.summary())
    return 0


def cmd_set_year(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import calendar

    res = calendar.set_year(ctx.ws, args.year, args.holidays, args.workdays)
    ctx.emit(res.payload(), res.summary())
    return 0


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import calendar

    res = calendar.import_file(ctx.ws, args.file)
    ctx.emit(res.payload(), res.summary())
    return 0


def cmd_deadline(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import calendar

    res = calendar.deadline(ctx.ws, args.start, args.days, natural=args.natural)
    ctx.emit(res.payload(), res.summary())
    return 0 if res.ok else 1
