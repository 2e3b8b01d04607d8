"""``calendar years|show|set-year|import|deadline``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from gkdesk.cli.common import CliContext, add_command, bilingual, table
from gkdesk.errors import CalendarMissing, InputRejected


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
    from gkdesk import workdays

    with ctx.session() as s:
        rows = workdays.coverage(s)
    ctx.emit({"years": [{"year": y, "source": src} for y, src in rows]},
             table([[y, src] for y, src in rows], ["年份", "来源"]))
    return 0


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import workdays

    with ctx.session() as s:
        cal = workdays.load(s)
    if not cal.covers(args.year):
        raise CalendarMissing(args.year)
    hol = sorted(d for d in cal.holidays if d.year == args.year)
    work = sorted(d for d in cal.workdays if d.year == args.year)
    ctx.emit({"year": args.year, "holidays": [{"date": d.isoformat(), "name": cal.holidays[d]} for d in hol],
              "workdays": [d.isoformat() for d in work]},
             "放假:" + "、".join(f"{d:%m-%d}{cal.holidays[d]}" for d in hol) + "\n调休上班:" + "、".join(f"{d:%m-%d}" for d in work))
    return 0


def _save_year(ctx: CliContext, year: int, holidays: list[date], work: list[date], source: str) -> int:
    from gkdesk import audit, workdays

    with ctx.session() as s:
        res = workdays.set_year(s, year, holidays, work, source)
        audit.record(s, ctx.operator, "calendar.set_year", str(year), **res)
    ctx.emit({"status": "ok", **res}, f"已保存{year}年:放假 {res['holidays']} 天,调休上班 {res['workdays']} 天")
    return 0


def cmd_set_year(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import workdays

    hol = workdays.parse_day_specs(args.holidays, "放假日期")
    work = workdays.parse_day_specs(args.workdays, "调休上班日期")
    return _save_year(ctx, args.year, hol, work, "手工录入")


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import workdays

    year, hol, work = workdays.read_year_file(Path(args.file))
    return _save_year(ctx, year, hol, work, f"文件导入:{Path(args.file).name}")


def cmd_deadline(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import workdays

    try:
        start = date.fromisoformat(args.start)
    except ValueError as exc:
        raise InputRejected(f"日期“{args.start}”无效,应为 YYYY-MM-DD") from exc
    unit = workdays.UNIT_NATURAL if args.natural else workdays.UNIT_WORKING
    with ctx.session() as s:
        cal = workdays.load(s)
    text = workdays.describe_deadline(cal, start, args.days, unit)
    ok = not text.startswith("待补充")
    ctx.emit({"start": start.isoformat(), "days": args.days, "unit": unit, "deadline": text if ok else None,
              "message": None if ok else text}, text)
    return 0 if ok else 1
