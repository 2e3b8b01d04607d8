"""``villages catalogue adopt|list|import|set|add|remove|busy``: each village's 公开事项目录.

Registered under the existing ``villages`` group (see ``setup_cmds``), not as a group of its own.
"""

from __future__ import annotations

import argparse

from gkdesk import backups, township
from gkdesk import village_catalogue as vc
from gkdesk.cli.common import CliContext, add_command, bilingual, table


def register_catalogue(vs: argparse._SubParsersAction) -> None:
    c = add_command(vs, "catalogue", "村(居)务公开事项目录", "village disclosure catalogue", None, json_output=False)  # type: ignore[arg-type]
    cs = c.add_subparsers(dest="catalogue_cmd", metavar="ACTION", required=True)
    a = add_command(cs, "adopt", "为全部(或指定)村采用内置目录模板", "adopt the built-in template", cmd_adopt)
    a.add_argument("--scheme", choices=["four", "three"], default="four",
                   help=bilingual("分类:four 党务/村务/财务/事务(默认),three 制度类/事务类/财务类",
                                  "categories: four (default) or three"))
    a.add_argument("--village", action="append", metavar="NAME", help=bilingual("只为该村采用(可重复)", "only this village (repeatable)"))
    lst = add_command(cs, "list", "列出某村的公开事项", "list a village's items", cmd_list)
    lst.add_argument("--village", required=True, metavar="NAME", help=bilingual("村(社区)名称", "village"))
    i = add_command(cs, "import", "从 Excel 导入县级目录模板并采用", "import a county template from Excel", cmd_import)
    i.add_argument("file", metavar="FILE.xlsx", help=bilingual("含“公开事项”“公开时限”列的表格", "sheet with 公开事项/公开时限 columns"))
    i.add_argument("--village", action="append", metavar="NAME", help=bilingual("只为该村采用(可重复)", "only this village (repeatable)"))
    s = add_command(cs, "set", "修改某村某事项的公开频次", "change an item's frequency", cmd_set)
    s.add_argument("--village", required=True, metavar="NAME")
    s.add_argument("--item", required=True, metavar="NAME", help=bilingual("事项名称(可写部分)", "item name (or part)"))
    s.add_argument("--frequency", required=True, metavar="TEXT",
                   help=bilingual("随时/每月/每季度/每半年/每年,可带“首月20日”", "e.g. 每季度首月20日"))
    ad = add_command(cs, "add", "为某村添加公开事项", "add an item to a village", cmd_add)
    ad.add_argument("--village", required=True, metavar="NAME")
    ad.add_argument("--item", required=True, metavar="NAME")
    ad.add_argument("--category", required=True, metavar="TEXT", help=bilingual("类别,如 党务、村务、财务、事务", "category"))
    ad.add_argument("--frequency", required=True, metavar="TEXT")
    r = add_command(cs, "remove", "删除某村的公开事项(法定事项须写明原因)", "remove an item", cmd_remove)
    r.add_argument("--village", required=True, metavar="NAME")
    r.add_argument("--item", required=True, metavar="NAME")
    r.add_argument("--reason", default="", help=bilingual("原因,如“本村不涉及”", "reason"))
    b = add_command(cs, "busy", "标记村集体财务往来较多(财务事项改为每月公开)", "mark busy finances (monthly)", cmd_busy)
    b.add_argument("--village", required=True, metavar="NAME")
    b.add_argument("--off", action="store_true", help=bilingual("取消标记", "clear the mark"))
    rv = add_command(cs, "reviewers", "设置某村的审核人(村务监督委员会主任、民主理财小组组长)", "set a village's usual reviewers", cmd_reviewers)
    rv.add_argument("--village", required=True, metavar="NAME")
    rv.add_argument("--supervision", metavar="NAME", help=bilingual("村务监督委员会主任", "head of the supervision committee"))
    rv.add_argument("--finance", metavar="NAME", help=bilingual("民主理财小组组长", "head of the finance group"))


def cmd_adopt(ctx: CliContext, args: argparse.Namespace) -> int:
    backups.create_backup(ctx.store.data_dir, reason="before-catalogue-adopt")
    with ctx.session() as s:
        res = vc.adopt_template(s, ctx.operator, scheme=args.scheme, village_names=args.village)
    c = res.counts
    ctx.emit({"status": "ok", **c}, f"已为 {c['villages']} 个村(社区)采用目录模板:新增事项 {c['added']} 项,保留已有 {c['kept']} 项")
    return 0


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        v = township.find_village(s, args.village)
        rows = [vc.item_dict(i) for i in vc.items(s, v)]
    labels = vc.FREQUENCY_LABELS
    text = table([[r["category"], r["name"], r["frequency_text"], labels.get(r["min_frequency"], "—")] for r in rows],
                 ["类别", "公开事项", "频次", "法定最低"]) if rows else f"{args.village}尚无公开事项目录(先运行 gkdesk villages catalogue adopt)"
    ctx.emit({"village": args.village, "items": rows}, text)
    return 0


def cmd_import(ctx: CliContext, args: argparse.Namespace) -> int:
    backups.create_backup(ctx.store.data_dir, reason="before-catalogue-import")
    with ctx.session() as s:
        res = vc.import_template(s, args.file, ctx.operator, village_names=args.village)
    c = res.counts
    ctx.emit({"status": "imported", **c},
             f"导入目录 {c['items']} 项,已为 {c['villages']} 个村(社区)新增事项 {c['added']} 项(已有 {c['kept']} 项保留)")
    return 0


def cmd_set(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = vc.set_frequency(s, args.village, args.item, args.frequency, ctx.operator)
    it = res.data["item"]
    ctx.emit({"status": "ok", "item": it, "old": res.data["old"]},
             f"{args.village}“{it['name']}”:{res.data['old']} → {it['frequency_text']}")
    return 0


def cmd_add(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = vc.add_item(s, args.village, args.item, args.category, args.frequency, ctx.operator)
    it = res.data["item"]
    ctx.emit({"status": "ok", "item": it}, f"已为{args.village}添加“{it['name']}”({it['frequency_text']})")
    return 0


def cmd_remove(ctx: CliContext, args: argparse.Namespace) -> int:
    backups.create_backup(ctx.store.data_dir, reason="before-catalogue-remove")
    with ctx.session() as s:
        vc.remove_item(s, args.village, args.item, ctx.operator, reason=args.reason)
    ctx.emit({"status": "ok"}, f"已从{args.village}的目录中删除“{args.item}”")
    return 0


def cmd_busy(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = vc.set_busy_finance(s, args.village, not args.off, ctx.operator)
    raised = res.data["raised"]
    ctx.emit({"status": "ok", "raised": raised},
             (f"{args.village}已标记为财务往来较多" + (",改为每月公开:" + "、".join(raised) if raised else ""))
             if not args.off else f"{args.village}已取消“财务往来较多”标记")
    return 0


def cmd_reviewers(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = vc.set_reviewers(s, args.village, ctx.operator, supervision_head=args.supervision,
                               finance_group_head=args.finance)
    d = res.data
    ctx.emit({"status": "ok", **d}, f"{args.village}:村务监督委员会 {d['supervision_head'] or '—'},民主理财小组 {d['finance_group_head'] or '—'}")
    return 0
