"""``notice payouts|year-end|table``: print 村务公开栏 sheets as PDF."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from gkdesk.cli.common import CliContext, add_command, bilingual

if TYPE_CHECKING:
    from gkdesk.app.notices import NoticeOptions, NoticesPrinted


def _layout_args(p: argparse.ArgumentParser, with_mask: bool = True) -> None:
    p.add_argument("--paper", choices=["A4", "A3"], default="A4", type=str.upper,
                   help=bilingual("纸张(默认 A4)", "paper size (default A4)"))
    p.add_argument("--landscape", action="store_true", help=bilingual("横向打印", "landscape"))
    p.add_argument("--large-print", action="store_true", help=bilingual("大字版(适老化)", "large print for elderly readers"))
    if with_mask:
        p.add_argument("--mask", choices=["none", "id-partial"], default="none",
                       help=bilingual("身份证号显示方式:none 不显示(默认),id-partial 部分显示",
                                      "ID display: none (default) or id-partial (masked)"))
    p.add_argument("--start", metavar="YYYY-MM-DD",
                   help=bilingual("公示开始日期(给出即视为张贴用,记录公示)", "posting start date (records a posting)"))
    p.add_argument("--days", type=int, metavar="N", help=bilingual("公示天数", "posting period length"))
    p.add_argument("--working-days", action="store_true",
                   help=bilingual("公示天数按工作日计算(默认自然日)", "count the period in working days"))
    p.add_argument("--allow-missing-glyphs", action="store_true",
                   help=bilingual("没有字形的字留出空白方框(打印后手写),不拒绝打印",
                                  "leave a blank square for characters no font has instead of refusing"))
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help=bilingual("输出 PDF 文件,或(全部村)输出文件夹", "output .pdf, or a folder (all villages)"))


def register(sub: argparse._SubParsersAction) -> None:
    n = add_command(sub, "notice", "打印村务公开栏公示单(PDF)", "print notice sheets (PDF)", None, json_output=False)  # type: ignore[arg-type]
    ns = n.add_subparsers(dest="notice_cmd", metavar="KIND", required=True)
    p = add_command(ns, "payouts", "补贴发放结果公示", "payout result notice", cmd_payouts)
    p.add_argument("batch", metavar="BATCH", help=bilingual("发放清册编号(可只写前几位)", "payout batch id (or prefix)"))
    p.add_argument("--village", metavar="NAME", help=bilingual("只打印这个村(默认全部村)", "one village only"))
    p.add_argument("--by-group", action="store_true", help=bilingual("每个村民小组单独一张", "one sheet per group"))
    _layout_args(p)
    y = add_command(ns, "year-end", "年度补贴汇总公示", "year-end summary notice", cmd_year_end)
    y.add_argument("--village", required=True, metavar="NAME")
    y.add_argument("--year", required=True, type=int, metavar="YYYY")
    _layout_args(y, with_mask=False)
    t = add_command(ns, "table", "任意表格或文字公示", "notice from any spreadsheet or text", cmd_table)
    t.add_argument("file", metavar="FILE", help=bilingual("xlsx/xls/csv 表格或 txt 文字", "spreadsheet or text file"))
    t.add_argument("--title", required=True, metavar="TEXT")
    t.add_argument("--village", metavar="NAME", help=bilingual("所属村(社区)", "village"))
    t.add_argument("--sheet", metavar="NAME", help=bilingual("工作表名(默认第一个有内容的)", "sheet name"))
    _layout_args(t)


def _options(args: argparse.Namespace) -> NoticeOptions:
    from gkdesk.app.notices import NoticeOptions, parse_start

    return NoticeOptions(paper=args.paper, landscape=args.landscape, large_print=args.large_print,
                         mask=getattr(args, "mask", "none"), by_group=getattr(args, "by_group", False),
                         start=parse_start(args.start), days=args.days, working_days=args.working_days,
                         allow_missing_glyphs=args.allow_missing_glyphs)


def _report(ctx: CliContext, res: NoticesPrinted) -> int:
    for line in res.warning_lines():
        ctx.error("注意:" + line)
    ctx.emit(res.payload(), "\n".join([res.summary(), *res.file_lines()]))
    return 0


def cmd_payouts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import notices

    res = notices.print_payouts(ctx.ws, args.batch, args.output, _options(args), village=args.village)
    return _report(ctx, res)


def cmd_year_end(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import notices

    res = notices.print_year_end(ctx.ws, args.village, args.year, args.output, _options(args))
    return _report(ctx, res)


def cmd_table(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import notices

    res = notices.print_table(ctx.ws, args.file, args.title, args.output, _options(args),
                              village=args.village, sheet=args.sheet)
    return _report(ctx, res)
