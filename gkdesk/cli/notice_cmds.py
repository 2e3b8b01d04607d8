"""``notice payouts|year-end|table``: print 村务公开栏 sheets as PDF."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

from gkdesk.cli.common import CliContext, add_command, bilingual
from gkdesk.errors import UnreadableInput
from gkdesk.result import OpResult

if TYPE_CHECKING:
    from gkdesk.notices.service import NoticeOptions


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
    from gkdesk.notices.service import NoticeOptions

    start = None
    if args.start:
        try:
            start = date.fromisoformat(args.start)
        except ValueError as exc:
            raise UnreadableInput(f"公示开始日期“{args.start}”格式不对,应为 YYYY-MM-DD") from exc
    return NoticeOptions(paper=args.paper, landscape=args.landscape, large_print=args.large_print,
                         mask=getattr(args, "mask", "none"), by_group=getattr(args, "by_group", False),
                         start=start, days=args.days, working_days=args.working_days)


def _report(ctx: CliContext, res: OpResult) -> int:
    lines = [f"已生成《{res.data.get('title', '')}》:{res.counts.get('files', 0)} 个文件,"
             f"共 {res.counts.get('pages', 0)} 页,{res.counts.get('rows', 0)} 行"]
    lines += [f"  {f['path']}({f['pages']} 页)" for f in res.data.get("files", [])[:50]]
    if res.counts.get("postings"):
        lines.append(f"已记录 {res.counts['postings']} 条公示(张贴)记录")
    for w in res.warnings:
        ctx.error("注意:" + w.describe())
    ctx.emit(res.to_dict(), "\n".join(lines))
    return 0


def cmd_payouts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.notices.service import print_payout_notices

    opts = _options(args)
    with ctx.session() as s:
        res = print_payout_notices(s, ctx.store.data_dir, args.batch, args.output, opts, village=args.village,
                                   operator=ctx.operator)
    return _report(ctx, res)


def cmd_year_end(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.notices.service import print_year_end_notice

    opts = _options(args)
    with ctx.session() as s:
        res = print_year_end_notice(s, ctx.store.data_dir, args.village, args.year, args.output, opts,
                                    operator=ctx.operator)
    return _report(ctx, res)


def cmd_table(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.notices.service import print_table_notice

    opts = _options(args)
    with ctx.session() as s:
        res = print_table_notice(s, ctx.store.data_dir, args.file, args.title, args.output, opts,
                                 village=args.village, sheet=args.sheet, operator=ctx.operator)
    return _report(ctx, res)
