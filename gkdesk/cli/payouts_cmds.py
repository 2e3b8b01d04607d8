"""``gkdesk payouts import|list|show|export|delete|programs``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

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
    i.add_argument("--village", default=None, metavar="NAME",
                   help=bilingual("整个文件属于这个村(社区)(名单中没有村名时)", "one village for the whole file"))
    i.add_argument("--layout", default=None, metavar="NAME", help=bilingual("按已保存的导入模板对应各列", "apply a saved layout"))
    i.add_argument("--map", action="append", default=[], metavar="字段=列",
                   help=bilingual("指定一列,如 --map 姓名=收款人全称 --map 金额=F(“忽略”表示不用)",
                                  "field=header text or column letter"))
    i.add_argument("--save-layout", default=None, metavar="NAME",
                   help=bilingual("导入成功后把本次的列对应保存为导入模板", "save the mapping as a layout"))
    i.add_argument("--allow-duplicate", action="store_true",
                   help=bilingual("名单与另一期次已导入的清册完全相同时仍然导入", "import even if the same rows are stored under another period"))
    i.add_argument("--village-map", action="append", default=[], metavar="名称=村",
                   help=bilingual("把名单中的名称对应到已有的村(社区)", "map a name in the file onto an existing village"))
    i.add_argument("--as-total", action="store_true",
                   help=bilingual("文件是一览表时,保存本乡镇的合计用于核对", "store a summary table's township total"))
    i.add_argument("--dry-run", action="store_true", help=bilingual("只检查,不导入", "check only"))
    ly = add_command(ps, "layouts", "导入模板(列对应)", "saved column layouts", cmd_layouts)
    ly.add_argument("action", choices=["list", "show", "delete", "export", "import", "send", "unsend"],
                    help=bilingual("send/unsend:县级把模板设为(取消)随更新包下发乡镇", "send/unsend: county ships a layout to townships"))
    ly.add_argument("name", nargs="?", default="", metavar="NAME|FILE",
                    help=bilingual("模板名称;export/import 时为 JSON 文件", "layout name; JSON file for export/import"))
    ly.add_argument("-o", "--output", default=None, metavar="FILE.json", help=bilingual("export 的输出文件", "export file"))
    ly.add_argument("--only", action="append", default=[], metavar="NAME", help=bilingual("只导出这些模板", "export only these"))
    dq = add_command(ps, "doubts", "查看一个批次的疑点(重复领取等)", "red flags of a batch", cmd_doubts)
    dq.add_argument("batch", metavar="BATCH")
    dq.add_argument("-o", "--output", default=None, metavar="FILE.xlsx", help=bilingual("导出疑点核查表", "write the 疑点核查表"))
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
    from gkdesk.errors import InputRejected

    def pairs(items: list[str], what: str) -> dict[str, str]:
        out = {}
        for item in items:
            k, sep, v = item.partition("=")
            if not sep or not k.strip() or not v.strip():
                raise InputRejected(f"{what}“{item}”应写成 名称=值 的形式")
            out[k.strip()] = v.strip()
        return out

    common = dict(program=args.program, year=args.year, period=args.period, sheet=args.sheet, village=args.village,
                  layout=args.layout, overrides=pairs(args.map, "--map") or None,
                  village_map=pairs(args.village_map, "--village-map") or None)
    if args.dry_run:
        res = ops.check_list(ctx.ws, args.file, **common)  # type: ignore[arg-type]
    else:
        res = ops.import_list(ctx.ws, args.file, **common, valid_only=args.valid_only,  # type: ignore[arg-type]
                              error_workbook=args.errors_out, add_villages=args.add_villages, replace=args.replace,
                              save_layout=args.save_layout, allow_duplicate=args.allow_duplicate,
                              as_total=args.as_total)
    hint = hint_text(res.hint, res.hint_args) if res.refused else ""
    errors = [e.to_dict() for e in res.errors]
    if hint and errors and res.errors[0].message == res.message:  # the refusal itself, e.g. "already stored"
        errors[0]["message"] = with_hint(res.message, res.hint, res.hint_args)
    payload: dict[str, Any] = {"status": res.status, "batch": res.batch, "rows": res.rows, "total_amount": res.total_amount,
               "villages": res.villages, "warnings": [w.to_dict() for w in res.warnings], "errors": errors}
    message = with_hint(res.message, res.hint, res.hint_args) if res.message and hint else res.message
    payload["columns"] = res.columns
    payload["layout"] = res.layout
    for k, v in (("error_workbook", res.error_workbook), ("existing_batch", res.existing_batch), ("message", message),
                 ("column_notes", res.column_notes), ("doubts", [d.to_dict() for d in res.doubts]),
                 ("duplicate_of", res.duplicate_of), ("layout_saved", res.layout_saved),
                 ("village_suggestions", res.village_suggestions), ("overview", res.overview)):
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


def cmd_layouts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops
    from gkdesk.errors import InputRejected

    if args.action == "list":
        rows = ops.list_layouts(ctx.ws)
        text = table([[r["name"], r["origin"] + ("(下发乡镇)" if r.get("send_down") else ""),
                       "、".join(f"{k}←{v}" for k, v in r["fields"].items())] for r in rows],
                     ["模板", "来源", "列对应"]) if rows else "尚未保存导入模板"
        ctx.emit({"layouts": rows}, text)
        return 0
    if not args.name:
        raise InputRejected("请写出模板名称(export/import 时为 JSON 文件)")
    if args.action == "show":
        r = ops.show_layout(ctx.ws, args.name)
        ctx.emit(r, "\n".join([f"模板:{r['name']}(来源:{r['origin']})", "表头:" + " | ".join(r["headers"]),
                               *[f"  {k} ← {v}" for k, v in r["fields"].items()]]))
        return 0
    if args.action == "delete":
        deleted = ops.delete_layout(ctx.ws, args.name)
        ctx.emit({"status": "deleted", "name": args.name}, deleted.summary())
        return 0
    if args.action in ("send", "unsend"):
        changed = ops.send_layout(ctx.ws, args.name, args.action == "send")
        ctx.emit({"status": changed.status, "name": changed.name}, changed.summary())
        return 0
    if args.action == "export":
        res = ops.export_layouts(ctx.ws, Path(args.output or args.name), args.only or None)
        ctx.emit({"status": "exported", "file": res.file, "names": res.names}, res.summary())
        return 0
    res = ops.import_layouts(ctx.ws, Path(args.name))
    ctx.emit({"status": "imported", "file": res.file, "names": res.names}, res.summary())
    return 0


def cmd_doubts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import payouts as ops

    res = ops.batch_doubts(ctx.ws, args.batch, Path(args.output) if args.output else None)
    lines = [res.summary()] + [f"  [{d.kind}] {d.where} {d.name} {d.id_masked}:{d.message}" for d in res.doubts[:200]]
    ctx.emit({"batch": res.batch, "doubts": [d.to_dict() for d in res.doubts], "file": res.file}, "\n".join(lines))
    return 0
