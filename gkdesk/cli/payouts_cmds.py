"""``gkdesk payouts import|list|show|export|delete|programs``."""

from __future__ import annotations

import argparse
from pathlib import Path

from gkdesk.cli.common import CliContext, add_command, bilingual, table


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "payouts", "补贴发放清册", "subsidy payout lists", None, json_output=False)  # type: ignore[arg-type]
    ps = p.add_subparsers(dest="payouts_cmd", metavar="ACTION", required=True)
    i = add_command(ps, "import", "导入发放清册(逐行检查,全部正确才导入)", "import a payout list (all-or-nothing)", cmd_import)
    i.add_argument("file", metavar="FILE", help=bilingual(".xlsx/.xls/.ods/.csv 发放清册", "payout list file"))
    i.add_argument("--program", required=True, metavar="NAME", help=bilingual("补贴项目,如 耕地地力保护补贴", "program name"))
    i.add_argument("--year", required=True, type=int, metavar="YYYY", help=bilingual("年度", "year"))
    i.add_argument("--period", default="", metavar="TEXT", help=bilingual("期次,如 2026年10月、第一批", "period"))
    i.add_argument("--sheet", default=None, metavar="NAME", help=bilingual("只导入该工作表", "only this sheet"))
    i.add_argument("--valid-only", action="store_true",
                   help=bilingual("只导入正确的行,错误行写入错误工作簿", "store valid rows, write an error workbook"))
    i.add_argument("--add-villages", action="store_true", help=bilingual("自动添加名单中不认识的村(社区)", "add unknown villages"))
    i.add_argument("--replace", action="store_true",
                   help=bilingual("替换同一项目同一期次已有的清册(先自动备份)", "replace the batch of the same program and period"))
    i.add_argument("--errors-out", default=None, metavar="FILE.xlsx", help=bilingual("错误工作簿保存位置", "error workbook path"))
    add_command(ps, "list", "列出已导入的发放批次", "list imported batches", cmd_list)
    s = add_command(ps, "show", "查看一个发放批次", "show one batch", cmd_show)
    s.add_argument("batch", metavar="BATCH")
    s.add_argument("--rows", type=int, default=20, metavar="N", help=bilingual("显示前N行(身份证号已脱敏)", "show first N rows (masked)"))
    e = add_command(ps, "export", "导出一个批次的完整数据(内部使用)", "export a batch with full data (internal)", cmd_export)
    e.add_argument("batch", metavar="BATCH")
    e.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    d = add_command(ps, "delete", "删除一个发放批次(先自动备份)", "delete a batch (soft, backed up)", cmd_delete)
    d.add_argument("batch", metavar="BATCH")
    pr = add_command(ps, "programs", "补贴项目列表", "list subsidy programs", cmd_programs)
    pr.add_argument("action", nargs="?", choices=["list", "add"], default="list")
    pr.add_argument("name", nargs="?", default="")
    pr.add_argument("--kind", default="area", choices=["area", "person_month", "person"])
    pr.add_argument("--unit", default="")


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.payouts.importer import ImportOptions, import_payouts

    opts = ImportOptions(program=args.program, year=args.year, period=args.period, sheet=args.sheet,
                         valid_only=args.valid_only, add_villages=args.add_villages, replace=args.replace,
                         error_workbook=Path(args.errors_out) if args.errors_out else None)
    operator = ctx.operator
    with ctx.session() as s:
        res = import_payouts(s, args.file, opts, operator=operator, data_dir=ctx.store.data_dir)
    d = res.data
    payload = {"status": res.status, "batch": d["batch"], "rows": d["rows"], "total_amount": d["total_amount"],
               "villages": d["villages"], "warnings": [w.to_dict() for w in res.warnings],
               "errors": [e.to_dict() for e in res.errors]}
    for k in ("error_workbook", "existing_batch", "message"):
        if d.get(k):
            payload[k] = d[k]
    ctx.emit(payload, _import_text(res, args.file))
    return 1 if res.status == "rejected" else 0


def _import_text(res, file: str) -> str:  # type: ignore[no-untyped-def]
    d = res.data
    lines = []
    if res.status == "imported":
        lines.append(f"已导入“{Path(file).name}”:{d['rows']}行,合计{d['total_amount']}元,批次 {d['batch'][:8]}")
        lines += [f"  {v}:{n}行" for v, n in d["villages"].items()]
    elif res.status == "unchanged":
        lines.append(d.get("message") or "该文件已导入过,未做改动")
    else:
        lines.append(d.get("message") or "导入被拒绝,未做任何改动")
    if res.errors:
        lines.append(f"错误({len(res.errors)}):")
        lines += ["  " + e.describe() for e in res.errors[:200]]
        if len(res.errors) > 200:
            lines.append(f"  ……另有{len(res.errors) - 200}处")
    if res.warnings:
        lines.append(f"提示({len(res.warnings)}):")
        lines += ["  " + w.describe() for w in res.warnings[:50]]
        if len(res.warnings) > 50:
            lines.append(f"  ……另有{len(res.warnings) - 50}条")
    if d.get("error_workbook"):
        lines.append(f"错误行已写入:{d['error_workbook']}(改正后可再次导入)")
    return "\n".join(lines)


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.payouts import queries

    with ctx.session() as s:
        rows = [queries.batch_dict(s, b) for b in queries.batches(s)]
    text = table([[r["id"][:8], r["program"], r["year"], r["period"], r["rows"], r["total_amount"], r["file"],
                   r["imported_at"]] for r in rows],
                 ["批次", "补贴项目", "年度", "期次", "行数", "金额(元)", "文件", "导入时间"]) if rows else "尚未导入发放清册"
    ctx.emit({"batches": rows}, text)
    return 0


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.payouts import queries

    with ctx.session() as s:
        b = queries.find_batch(s, args.batch)
        info = queries.batch_dict(s, b, with_villages=True)
        rows = queries.batch_rows(s, b.id, limit=max(0, args.rows))
    head = "\n".join([f"批次 {info['id']}", f"补贴项目:{info['program']}  {info['year']}年 {info['period']}",
                      f"文件:{info['file']}  导入:{info['imported_at']} {info['imported_by']}",
                      f"行数:{info['rows']}  合计:{info['total_amount']}元",
                      "各村:" + "、".join(f"{k} {v}行" for k, v in info["villages"].items())])
    ctx.emit({**info, "sample_rows": [dict(zip(queries.ROW_COLUMNS, r, strict=True)) for r in rows]},
             head + ("\n" + table([list(r) for r in rows], queries.ROW_COLUMNS) if rows else ""))
    return 0


def cmd_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.payouts import queries

    with ctx.session() as s:
        res = queries.export_batch(s, args.batch, Path(args.output), ctx.operator)
    ctx.emit({"status": "exported", **res.data, "rows": res.counts["rows"]},
             f"已导出{res.counts['rows']}行到 {res.data['file']}(含完整身份证号与账号,仅供内部使用)")
    return 0


def cmd_delete(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.payouts import queries

    operator = ctx.operator
    with ctx.session() as s:
        res = queries.delete_batch(s, args.batch, operator, data_dir=ctx.store.data_dir)
    ctx.emit({"status": "deleted", "batch": res.data["batch"], "rows": res.counts["rows"]},
             f"已删除批次 {res.data['batch'][:8]}({res.counts['rows']}行;删除前已备份)")
    return 0


def cmd_programs(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.payouts import programs

    operator = ctx.operator
    with ctx.session() as s:
        if args.action == "add":
            res = programs.add_program(s, args.name, args.kind, args.unit, operator)
            ctx.emit({"status": "ok", "program": res.data["program"]}, f"已添加补贴项目“{args.name}”")
            return 0
        rows = [programs.program_dict(p) for p in programs.programs(s)]
    ctx.emit({"programs": rows}, table([[r["name"], r["kind_label"], r["unit"]] for r in rows], ["补贴项目", "类型", "单位"]))
    return 0
