"""``init``, ``villages``, ``check`` and ``demo``."""

from __future__ import annotations

import argparse

from gkdesk.cli.common import CliContext, add_command, bilingual, table


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(sub, "init", "初始化本乡镇(或县级)信息", "set up this township (or county office)", cmd_init)
    p.add_argument("--township", required=True, metavar="NAME", help=bilingual("乡镇(街道)或县级单位名称", "township or county office name"))
    p.add_argument("--code", required=True, help=bilingual("行政区划代码(6–12位数字)", "administrative division code (6–12 digits)"))
    p.add_argument("--county", required=True, metavar="NAME", help=bilingual("所属县(区)名称", "county name"))
    p.add_argument("--role", choices=["township", "county"], default="township",
                   help=bilingual("角色:乡镇 township 或县级 county", "role: township or county"))
    p.add_argument("--phone", default="", help=bilingual("监督举报电话", "supervision phone"))

    v = add_command(sub, "villages", "管理村(社区)", "manage villages", None, json_output=False)  # type: ignore[arg-type]
    vs = v.add_subparsers(dest="villages_cmd", metavar="ACTION", required=True)
    a = add_command(vs, "add", "添加村(社区)", "add a village", cmd_villages_add)
    a.add_argument("name", help=bilingual("村(社区)名称", "village name"))
    a.add_argument("--groups", type=int, default=0, metavar="N", help=bilingual("村民小组数", "number of groups"))
    a.add_argument("--code", default="", help=bilingual("村(社区)区划代码", "village code"))
    add_command(vs, "list", "列出村(社区)", "list villages", cmd_villages_list)
    i = add_command(vs, "import", "从 Excel 导入村(社区)名单", "import villages from a spreadsheet", cmd_villages_import)
    i.add_argument("file", metavar="FILE.xlsx", help=bilingual("含“村名”“村民小组数”列的表格", "spreadsheet with 村名/村民小组数 columns"))
    from gkdesk.cli.village_catalogue_cmds import register_catalogue

    register_catalogue(vs)  # villages catalogue …: each village's 公开事项目录 (issue 6)

    add_command(sub, "check", "检查数据库完整性、结构版本和节假日数据", "check integrity, schema version, calendar coverage", cmd_check)
    add_command(sub, "demo", "在新数据目录中生成演示数据", "fill a new data directory with a demo township", cmd_demo)


def cmd_init(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import township

    with ctx.session() as s:
        res = township.init_installation(s, args.township, args.code, args.county, args.role,
                                         operator=ctx.operator, supervision_phone=args.phone)
    t = res.data["township"]
    ctx.emit({"status": "ok", "township": t, "data_dir": str(ctx.store.data_dir)},
             f"已初始化:{t['name']}({t['code']}),{t['county']},角色 {township.ROLE_LABELS[t['role']]}\n数据目录:{ctx.store.data_dir}")
    return 0


def cmd_villages_add(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import township

    with ctx.session() as s:
        res = township.add_village(s, args.name, args.groups, ctx.operator, code=args.code)
    v = res.data["village"]
    ctx.emit({"status": "ok", "village": v}, f"已添加 {v['name']}(村民小组 {v['groups']} 个)")
    return 0


def cmd_villages_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import township

    with ctx.session() as s:
        rows = [township.village_dict(v) for v in township.villages(s)]
    ctx.emit({"villages": rows}, table([[r["name"], r["kind"], r["groups"], r["code"]] for r in rows],
                                       ["名称", "类型", "村民小组", "代码"]) if rows else "尚无村(社区)")
    return 0


def cmd_villages_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import township

    with ctx.session() as s:
        res = township.import_villages(s, args.file, ctx.operator)
    c = res.counts
    ctx.emit({"status": "imported", **c},
             f"导入完成:新增 {c['added']} 个村(社区),已有 {c['existing']} 个,新增村民小组 {c['groups_added']} 个")
    return 0


def cmd_check(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import health

    rep = health.run_checks(ctx.store)
    lines = [("✔ " if i["ok"] else "✘ ") + str(i["detail"]) for i in rep.items]
    ctx.emit({"ok": rep.ok, "checks": rep.items}, "\n".join(lines))
    return 0 if rep.ok else 1


def cmd_demo(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import demo

    with ctx.session() as s:
        res = demo.fill_demo(s, ctx.operator)
    ctx.emit({"status": "ok", "counts": res.counts, "data_dir": str(ctx.store.data_dir)},
             "已生成演示数据:" + ",".join(f"{k} {v}" for k, v in res.counts.items()) + f"\n数据目录:{ctx.store.data_dir}")
    return 0
