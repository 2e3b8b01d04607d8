"""``report annual|figures|text|override|county``: the 政府信息公开工作年度报告."""

from __future__ import annotations

import argparse

from gkdesk.cli.common import CliContext, add_command, bilingual


def _year(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, metavar="YYYY", help=bilingual("报告年度", "report year"))


def register(sub: argparse._SubParsersAction) -> None:
    g = add_command(sub, "report", "政府信息公开工作年度报告", "annual report on government information disclosure", None, json_output=False)  # type: ignore[arg-type]
    rs = g.add_subparsers(dest="report_cmd", metavar="ACTION", required=True)
    a = add_command(rs, "annual", "查看、检查或导出年度报告", "show, check or export the annual report", cmd_annual)
    _year(a)
    a.add_argument("--check", action="store_true", help=bilingual("只做检查;有未通过的检查时退出码为 1", "run the checks only"))
    a.add_argument("-o", "--output", metavar="OUT", help=bilingual("导出为 .docx、.pdf 或 .xlsx", "export to .docx/.pdf/.xlsx"))
    f = add_command(rs, "figures", "填报表二等手工数字(或改写表三、表四某格)", "enter hand figures", cmd_figures)
    _year(f)
    f.add_argument("--set", nargs="+", required=True, metavar="KEY=VALUE",
                   help=bilingual("如 normative.issued=2 fees.amount=1.25 t3.open.natural=3;值为空则清除",
                                  "e.g. normative.issued=2; empty value clears"))
    t = add_command(rs, "text", "填写某一部分的文字", "set a section's text", cmd_text)
    _year(t)
    t.add_argument("--section", required=True, choices=["一", "二", "三", "四", "五", "六"])
    src = t.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help=bilingual("文字(为空则恢复自动草稿)", "text (empty: back to the draft)"))
    src.add_argument("--file", help=bilingual("从 UTF-8 文本文件读取", "read from a UTF-8 text file"))
    o = add_command(rs, "override", "对未通过的检查写明放行理由", "waive a failing check with a reason", cmd_override)
    _year(o)
    o.add_argument("--check", dest="check_key", required=True, metavar="KEY",
                   help="t3.balance, t3.results_sum, t3.total_column, t4.totals, t3.carry_over, register, table2, text")
    o.add_argument("--reason", required=True, help=bilingual("放行理由(为空则取消放行)", "reason (empty: withdraw)"))
    c = add_command(rs, "county", "县级:各乡镇报送情况与全县合计", "county: who submitted, and the sums", cmd_county)
    _year(c)
    c.add_argument("-o", "--output", metavar="OUT.xlsx", help=bilingual("导出全县合计表", "export the county-wide sums"))


def cmd_annual(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import annual_report

    if args.output and not args.check:
        res = annual_report.export(ctx.ws, args.year, args.output)
        ctx.emit({"status": "ok", "file": res.file, "title": res.title, "waived": res.waived}, res.summary())
        return 0
    view = annual_report.show(ctx.ws, args.year)
    r = view.report
    if args.check:
        ctx.emit({"status": "ok" if not r.blocking else "checks_failed", "checks": [c.to_dict() for c in r.checks],
                  "blocking": [c.key for c in r.blocking]}, "\n".join([view.summary(), *view.check_lines()]))
        return 1 if r.blocking else 0
    from gkdesk.annual_report.report import SECTION_TITLES, SECTIONS

    lines = [view.summary(), ""]
    for s in SECTIONS:
        mark = "" if s in r.edited else "(自动草稿)"
        lines += [SECTION_TITLES[s] + mark, "  " + r.sections[s]]
    t3 = r.table3
    lines.append(f"表三:新收 {t3['new']['total']},上年结转 {t3['carried']['total']},办结 {t3['total']['total']},"
                 f"结转下年度 {t3['carry_next']['total']}")
    lines += view.check_lines()
    ctx.emit(r.to_dict(), "\n".join(lines))
    return 0


def cmd_figures(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import annual_report
    from gkdesk.errors import InputRejected

    values = {}
    for item in args.set:
        if "=" not in item:
            raise InputRejected(f"“{item}”应写成 项目=数字")
        k, v = item.split("=", 1)
        values[k.strip()] = v
    res = annual_report.set_figures(ctx.ws, args.year, values)
    ctx.emit({"status": "ok"}, res.summary())
    return 0


def cmd_text(ctx: CliContext, args: argparse.Namespace) -> int:
    from pathlib import Path

    from gkdesk.app import annual_report
    from gkdesk.errors import UnreadableInput

    text = args.text
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableInput(f"无法读取文本文件“{args.file}”(须为 UTF-8 编码)") from exc
    res = annual_report.set_section(ctx.ws, args.year, args.section, text or "")
    ctx.emit({"status": "ok"}, res.summary())
    return 0


def cmd_override(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import annual_report

    res = annual_report.override(ctx.ws, args.year, args.check_key, args.reason)
    ctx.emit({"status": "ok"}, res.summary())
    return 0


def cmd_county(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import annual_report

    res = annual_report.county_reports(ctx.ws, args.year, args.output)
    lines = [res.summary()] + [f"  {t['township']}:{'已报送' if t['submitted'] else '未报送'}"
                               + (f"({'检查通过' if t['checks_ok'] else '有检查未通过,已放行'})" if t['submitted'] else "")
                               for t in res.townships]
    lines.append(f"全县表三合计:新收 {res.table3['new']['total']},上年结转 {res.table3['carried']['total']},"
                 f"办结 {res.table3['total']['total']},结转下年度 {res.table3['carry_next']['total']}")
    ctx.emit({"year": res.year, "townships": res.townships, "table3": res.table3, "table4": res.table4},
             "\n".join(lines))
    return 0
