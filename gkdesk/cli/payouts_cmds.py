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
    pr.add_argument("action", nargs="?", choices=["list", "add", "rename"], default="list")
    pr.add_argument("name", nargs="?", default="")
    pr.add_argument("new_name", nargs="?", default="", metavar="NEW_NAME",
                    help=bilingual("改名时的新名称", "the new name (rename)"))
    pr.add_argument("--kind", default="area", choices=["area", "person_month", "person"])
    pr.add_argument("--unit", default="")


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops
    from gkdesk.cli.hints import hint_text, with_hint

    res = ops.import_list(ctx.ws, args.file, program=args.program, year=args.year, period=args.period,
                          sheet=args.sheet, valid_only=args.valid_only, error_workbook=args.errors_out,
                          add_villages=args.add_villages, replace=args.replace)
    hint = hint_text(res.hint, res.hint_args) if res.refused else ""
    errors = [e.to_dict() for e in res.errors]
    if hint and errors and res.errors[0].message == res.message:  # the refusal itself, e.g. "already stored"
        errors[0]["message"] = with_hint(res.message, res.hint, res.hint_args)
    payload = {"status": res.status, "batch": res.batch, "rows": res.rows, "total_amount": res.total_amount,
               "villages": res.villages, "warnings": [w.to_dict() for w in res.warnings], "errors": errors}
    message = with_hint(res.message, res.hint, res.hint_args) if res.message and hint else res.message
    for k, v in (("error_workbook", res.error_workbook), ("existing_batch", res.existing_batch), ("message", message)):
        if v:
            payload[k] = v
    ctx.emit(payload, "\n".join(res.report_lines(hint)))
    return 1 if res.refused else 0


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops

    rows = ops.list_batches(ctx.ws)
    text = table([[r["id"][:8], r["program"], r["year"], r["period"], r["rows"], r["total_amount"], r["file"],
                   r["imported_at"]] for r in rows],
                 ["批次", "补贴项目", "年度", "期次", "行数", "金额(元)", "文件", "导入时间"]) if rows else "尚未导入发放清册"
    ctx.emit({"batches": rows}, text)
    return 0


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops
    from gkdesk.payouts.queries import ROW_COLUMNS

    res = ops.show_batch(ctx.ws, args.batch, rows=args.rows)
    ctx.emit({**res.info, "sample_rows": [dict(zip(ROW_COLUMNS, r, strict=True)) for r in res.rows]},
             res.summary() + ("\n" + table([list(r) for r in res.rows], ROW_COLUMNS) if res.rows else ""))
    return 0


def cmd_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops

    res = ops.export_batch(ctx.ws, args.batch, Path(args.output))
    ctx.emit({"status": "exported", "batch": res.batch, "file": res.file, "rows": res.rows}, res.summary())
    return 0


def cmd_delete(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops

    res = ops.delete_batch(ctx.ws, args.batch)
    ctx.emit({"status": "deleted", "batch": res.batch, "rows": res.rows}, res.summary())
    return 0


def cmd_programs(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops

    if args.action == "add":
        res = ops.add_program(ctx.ws, args.name, args.kind, args.unit)
        ctx.emit({"status": "ok", "program": res.program}, res.summary())
        return 0
    if args.action == "rename":
        res = ops.rename_program(ctx.ws, args.name, args.new_name)
        ctx.emit({"status": "ok", "program": res.program, "old_name": res.old_name}, res.summary())
        return 0
    rows = ops.list_programs(ctx.ws)
    ctx.emit({"programs": rows}, table([[r["name"], r["kind_label"], r["unit"]] for r in rows], ["补贴项目", "类型", "单位"]))
    return 0
