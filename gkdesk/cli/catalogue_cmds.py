"""``catalogue`` (import, list, domains, not-applicable, seed, pending), ``publication``,
``due`` and ``selfcheck``."""

from __future__ import annotations

import argparse
from datetime import date

from gkdesk.cli.common import CliContext, add_command, bilingual, table
from gkdesk.errors import InputRejected


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip().replace("/", "-"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"日期“{value}”无效,应写成 2025-10-09") from exc


def register(sub: argparse._SubParsersAction) -> None:
    c = add_command(sub, "catalogue", "标准目录:导入、查看、未涉及", "standard catalogue", None,  # type: ignore[arg-type]
                    json_output=False)
    cs = c.add_subparsers(dest="catalogue_cmd", metavar="ACTION", required=True)
    i = add_command(cs, "import", "导入县级标准目录 Excel(可重复导入修订版)", "import a county directory workbook",
                    cmd_import)
    i.add_argument("file", metavar="FILE", help=bilingual("标准目录表格(.xlsx/.xls)", "directory spreadsheet"))
    i.add_argument("--domain", metavar="NAME", help=bilingual("整个文件属于此领域", "the whole file belongs to this domain"))
    mode = i.add_mutually_exclusive_group()
    mode.add_argument("--part", dest="part", action="store_const", const=True, default=None,
                      help=bilingual("文件只是目录的一部分(续表等):只新增和更新,不删除",
                                     "the file is a part of the directory: add and update, never remove"))
    mode.add_argument("--whole", dest="part", action="store_const", const=False,
                      help=bilingual("文件是整个目录:文件中没有的事项停用", "the file is the whole directory"))
    i.add_argument("--accept-renames", action="store_true",
                   help=bilingual("采用全部“可能改名”的配对(保留发布记录)", "accept every proposed rename"))
    i.add_argument("--rename", action="append", default=[], metavar="OLD=NEW",
                   help=bilingual("把原事项视为改名为新事项,可重复", "treat OLD as renamed to NEW (repeatable)"))
    ls = add_command(cs, "list", "列出标准目录事项", "list catalogue items", cmd_list)
    ls.add_argument("--domain", metavar="NAME", help=bilingual("只列此领域", "only this domain"))
    ls.add_argument("--search", metavar="TEXT", help=bilingual("按文字搜索(事项、内容、依据)", "search text"))
    d = add_command(cs, "domains", "列出领域(可选择26或30个领域)", "list domains (choose the 26 or 30 set)", cmd_domains)
    d.add_argument("--use", choices=["26", "30"], help=bilingual("选用26个试点领域或含省级扩展的30个领域",
                                                                "use the 26 pilot domains or the 30-domain set"))
    add_command(cs, "not-applicable", "列出未涉及的领域和事项;或标记未涉及", "list or mark 未涉及", cmd_not_applicable) \
        .add_argument("domain", nargs="?", metavar="DOMAIN", help=bilingual("要标记的领域", "domain to mark"))
    na = cs.choices["not-applicable"]
    na.add_argument("--item", metavar="ITEM", help=bilingual("只标记此事项(一级/二级事项)", "only this item"))
    na.add_argument("--reason", default="", help=bilingual("未涉及的理由", "the reason"))
    na.add_argument("--undo", action="store_true", help=bilingual("取消未涉及标记", "mark as applicable again"))
    dt = add_command(cs, "duty", "修改事项的责任主体(本乡镇/村/县级;auto 按目录判断)",
                     "correct whose duty an item is", cmd_duty)
    dt.add_argument("item", metavar="ITEM", help=bilingual("事项编号或“领域/一级事项/二级事项”", "item id or path"))
    dt.add_argument("duty", metavar="DUTY", help=bilingual("本乡镇、村、县级 或 auto", "township, village, county or auto"))
    al = add_command(cs, "alias", "为领域添加别名(如 国土空间规划 → 城乡规划)", "add a domain alias", cmd_alias)
    al.add_argument("alias", metavar="ALIAS", help=bilingual("别名", "alias"))
    al.add_argument("domain", metavar="DOMAIN", help=bilingual("所属领域", "domain"))
    sd = add_command(cs, "seed", "装入内置标准目录(领域与模板事项)", "load the built-in domains and template items",
                     cmd_seed)
    sd.add_argument("--update", action="store_true",
                    help=bilingual("把仍是模板的领域更新到本版本的内置目录(改名的事项保留发布记录)",
                                   "update domains still on the templates to this version's data"))
    pe = add_command(cs, "pending", "登记信息已形成、待公开(计算期限)", "note that information awaits publication",
                     cmd_pending)
    pe.add_argument("item", metavar="ITEM", help=bilingual("事项编号或“领域/一级事项/二级事项”", "item id or path"))
    pe.add_argument("--since", type=_date, help=bilingual("信息形成日期;省略则清除", "formation date; omit to clear"))

    p = add_command(sub, "publication", "发布记录", "publication records", None, json_output=False)  # type: ignore[arg-type]
    ps = p.add_subparsers(dest="publication_cmd", metavar="ACTION", required=True)
    a = add_command(ps, "add", "登记一次公开(发布)", "record a publication", cmd_publication_add)
    a.add_argument("--item", required=True, metavar="ITEM", help=bilingual("事项编号或“领域/一级事项/二级事项”", "item id or path"))
    a.add_argument("--published", required=True, type=_date, metavar="DATE", help=bilingual("发布日期", "publication date"))
    a.add_argument("--formed", type=_date, metavar="DATE", help=bilingual("信息形成(变更)日期", "date the information was formed"))
    a.add_argument("--channel", default="", help=bilingual("发布渠道,如 政府网站、村务公开栏", "channel"))
    a.add_argument("--title", default="", help=bilingual("标题", "title"))
    a.add_argument("--doc", default="", help=bilingual("文号", "document number"))
    a.add_argument("--link", default="", help=bilingual("网址", "link"))
    a.add_argument("--attach", metavar="FILE", help=bilingual("附件(照片、PDF),复制到数据目录", "attachment, copied into the data dir"))
    pl = add_command(ps, "list", "列出发布记录", "list publications", cmd_publication_list)
    pl.add_argument("--item", metavar="ITEM", help=bilingual("只列此事项", "only this item"))

    du = add_command(sub, "due", "到期提醒:逾期、10个工作日内到期、从未公开", "what is overdue or due soon", cmd_due)
    du.add_argument("--today", type=_date, help=bilingual("按此日期计算(默认今天)", "compute as of this date"))
    sc = add_command(sub, "selfcheck", "导出“回头看”自查表(.xlsx 或 .pdf)", "export the self-check (.xlsx or .pdf)",
                     cmd_selfcheck)
    sc.add_argument("-o", "--output", required=True, metavar="FILE", help=bilingual("输出文件", "output file"))
    sc.add_argument("--today", type=_date, help=bilingual("按此日期计算(默认今天)", "compute as of this date"))


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    res = ops.import_directory(ctx.ws, args.file, domain=args.domain, part=args.part,
                               accept_renames=args.accept_renames, renames=args.rename)
    payload = {"status": res.status, "mode": "part" if res.part else "whole", "reasons": res.reasons,
               "domains": res.domains, "added": len(res.added), "changed": len(res.changed),
               "removed": len(res.removed), "renamed": res.renamed, "proposals": res.proposals,
               "warnings": res.problems(), "errors": [],
               "items": {"added": res.added, "changed": res.changed, "removed": res.removed}}
    lines = [res.summary()] + ["  " + line for line in res.detail_lines()]
    if res.part and args.part is None:
        lines.append("提示:如果这个文件其实是整个目录,请加 --whole 重新导入")
    if res.proposals:
        lines.append("提示:确认是改名的,可加 --accept-renames 全部采用,或用 --rename 原事项=新事项 逐对采用")
    lines += ["警告:" + line for line in res.warning_lines()]
    ctx.emit(payload, "\n".join(lines))
    return 0


def cmd_duty(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    res = ops.set_duty(ctx.ws, args.item, args.duty)
    ctx.emit({"status": "ok", "item": res.item, "duty": res.duty, "derived": res.derived}, res.summary())
    return 0


def cmd_alias(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    res = ops.add_aliases(ctx.ws, {args.alias: args.domain})
    ctx.emit({"status": "ok", "added": res.added, "skipped": res.skipped}, res.summary())
    return 0


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops
    from gkdesk.catalogue import timerule

    out = ops.items(ctx.ws, args.domain, args.search)
    ctx.emit({"items": out}, table([[r["domain"], r["level1"], r["level2"], timerule.describe(r["rule"]),
                                     "、".join(r["channels"]), "" if r["applicable"] else "未涉及"] for r in out],
                                   ["领域", "一级事项", "二级事项", "公开时限", "渠道", ""]) if out else "没有符合条件的事项")
    return 0


def cmd_domains(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    chosen = ops.choose_domain_set(ctx.ws, args.use) if args.use else None
    rows = ops.domains(ctx.ws)
    text = table([[r["code"], r["name"], "、".join(r["aliases"]), r["source_label"], r["department"], r["items"],
                   "适用" if r["applicable"] else "未涉及"] for r in rows],
                 ["代码", "领域", "别名", "来源", "县级牵头部门", "事项", "状态"])
    ctx.emit({"domains": rows}, f"{chosen.summary()}\n{text}" if chosen else text)
    return 0


def cmd_not_applicable(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    if args.domain:
        if args.undo:
            res = ops.mark_applicable(ctx.ws, args.domain, item=args.item)
        else:
            res = ops.mark_not_applicable(ctx.ws, args.domain, args.reason, item=args.item)
        ctx.emit({"status": "ok", "target": res.target, "applicable": res.applicable, "reason": res.reason},
                 res.summary())
        return 0
    if args.item or args.undo or args.reason:
        raise InputRejected("请指定领域,例如 gkdesk catalogue not-applicable 统计 --reason \"县级事项\"")
    rows = ops.not_applicable(ctx.ws)
    ctx.emit({"not_applicable": rows}, table([[r["domain"], r["item"] or "(整个领域)", r["reason"]] for r in rows],
                                             ["领域", "事项", "理由"]) if rows else "没有未涉及的领域或事项")
    return 0


def cmd_seed(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    if args.update:
        up = ops.update_builtin(ctx.ws)
        ctx.emit({"status": up.status, **up.counts, "renamed": up.renamed, "kept": up.kept}, up.summary())
        return 0
    res = ops.seed(ctx.ws)
    counts = {"domains": res.domains, "items": res.items} if res.status == "ok" else {}
    ctx.emit({"status": res.status, **counts}, res.summary())
    return 0


def cmd_pending(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    res = ops.set_pending(ctx.ws, args.item, args.since)
    ctx.emit({"status": "ok", "item": res.item}, res.summary())
    return 0


def cmd_publication_add(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    res = ops.add_publication(ctx.ws, args.item, args.published, channel=args.channel, title=args.title,
                              formed_on=args.formed, doc_number=args.doc, link=args.link, attachment=args.attach)
    ctx.emit({"status": "ok", "publication": res.publication}, res.summary())
    return 0


def cmd_publication_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    rows = ops.publications(ctx.ws, args.item)
    ctx.emit({"publications": rows}, table([[r["published_on"], r["domain"], r["item"], r["channel"], r["title"]]
                                            for r in rows], ["发布日期", "领域", "事项", "渠道", "标题"])
             if rows else "尚无发布记录")
    return 0


def cmd_due(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    board = ops.dashboard(ctx.ws, today=args.today)
    lines = [f"截至 {board.today.isoformat()}" + (f"(10个工作日内 = {board.horizon_end.isoformat()}前)"
                                                 if board.horizon_end else "")]
    for title, occ in (("逾期未公开", board.overdue), ("10个工作日内到期", board.due_soon)):
        lines.append(f"{title}:{len(occ)}")
        lines += [f"  {o.due.isoformat() if o.due else '—'}  {o.domain}  {o.label}  {o.period}" for o in occ]
    lines.append(f"从未公开:{len(board.never)}")
    lines += [f"  {o.domain}  {o.label}" for o in board.never[:30]]
    if len(board.never) > 30:
        lines.append(f"  ……另有 {len(board.never) - 30} 项")
    if board.county_duty:
        lines.append(f"县级部门负责(仅供参考,不计入本乡镇):{len(board.county_duty)}")
        lines += [f"  {c['domain']}  {c['label']}  {c['publisher']}" for c in board.county_duty[:30]]
    lines += ["提示:" + n for n in board.notes]
    ctx.emit(board.to_dict(), "\n".join(lines))
    return 0


def cmd_selfcheck(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import catalogue as ops

    res = ops.export_selfcheck(ctx.ws, args.output, today=args.today)
    ctx.emit({"status": "ok", "file": str(args.output), "rows": len(res.check.rows), "summary": res.check.summary},
             res.summary())
    return 0
