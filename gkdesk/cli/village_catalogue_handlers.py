"""``villages catalogue adopt|list|import|set|add|remove|busy``: each village's 公开事项目录.

Registered under the existing ``villages`` group (see ``setup_cmds``), not as a group of its own.
"""

from __future__ import annotations

import argparse

from gkdesk import backups, township
from gkdesk import village_catalogue as vc
from gkdesk.cli.common import CliContext, table


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
