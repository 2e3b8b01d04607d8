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
    rn = add_command(vs, "rename", "村(社区)改名", "rename a village", cmd_villages_fix)
    rn.add_argument("name")
    rn.add_argument("new_name", metavar="NEW_NAME")
    mg = add_command(vs, "merge", "把一个村(社区)合并到另一个(移动全部数据)", "merge a village into another", cmd_villages_fix)
    mg.add_argument("name", help=bilingual("被合并的村(社区)", "the village to merge away"))
    mg.add_argument("into", metavar="INTO", help=bilingual("合并到的村(社区)", "the village that stays"))
    dl = add_command(vs, "delete", "删除没有数据的村(社区)", "delete an unused village", cmd_villages_fix)
    dl.add_argument("name")
    gp = add_command(vs, "groups", "设置村民小组数", "set the number of groups", cmd_villages_fix)
    gp.add_argument("name")
    gp.add_argument("count", type=int, metavar="N")
    from gkdesk.cli.village_catalogue_cmds import register_catalogue

    register_catalogue(vs)  # villages catalogue …: each village's 公开事项目录 (issue 6)

    add_command(sub, "check", "检查数据库完整性、结构版本和节假日数据", "check integrity, schema version, calendar coverage", cmd_check)
    add_command(sub, "demo", "在新数据目录中生成演示数据", "fill a new data directory with a demo township", cmd_demo)


def cmd_init(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.initialise(ctx.ws, args.township, args.code, args.county, args.role,
                           supervision_phone=args.phone)
    ctx.emit({"status": "ok", "township": res.township, "data_dir": str(res.data_dir)}, res.summary())
    return 0


def cmd_villages_add(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.add_village(ctx.ws, args.name, args.groups, code=args.code)
    ctx.emit({"status": "ok", "village": res.village}, res.summary())
    return 0


def cmd_villages_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import township

    with ctx.ws.session() as s:
        rows = [township.village_dict(v) for v in township.villages(s)]
    ctx.emit({"villages": rows}, table([[r["name"], r["kind"], r["groups"], r["code"]] for r in rows],
                                       ["名称", "类型", "村民小组", "代码"]) if rows else "尚无村(社区)")
    return 0


def cmd_villages_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.import_villages(ctx.ws, args.file)
    ctx.emit({"status": "imported", "added": res.added, "existing": res.existing,
              "groups_added": res.groups_added}, res.summary())
    return 0


def cmd_check(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import health
    from gkdesk.cli.hints import hint_text

    rep = health.run_checks(ctx.store)
    lines = []
    for i in rep.items:
        hint, hint_args = rep.hints.get(str(i["check"]), (None, {}))
        extra = hint_text(hint, hint_args) if not i["ok"] else ""
        lines.append(("✔ " if i["ok"] else "✘ ") + str(i["detail"]) + (f" {extra}" if extra else ""))
    ctx.emit({"ok": rep.ok, "checks": rep.items}, "\n".join(lines))
    return 0 if rep.ok else 1


def cmd_demo(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.load_demo(ctx.ws)
    ctx.emit({"status": "ok", "counts": res.counts, "data_dir": str(res.data_dir)}, res.summary())
    return 0


def cmd_villages_fix(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    action = args.villages_cmd
    if action == "rename":
        res = setup.rename_village(ctx.ws, args.name, args.new_name)
    elif action == "merge":
        res = setup.merge_villages(ctx.ws, args.name, args.into)
    elif action == "delete":
        res = setup.delete_village(ctx.ws, args.name)
    else:
        res = setup.set_group_count(ctx.ws, args.name, args.count)
    ctx.emit({"status": res.action, **res.data}, res.summary())
    return 0
