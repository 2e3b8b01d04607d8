"""``keys``, ``sync`` and ``county`` command groups."""

from __future__ import annotations

import argparse
from pathlib import Path

from gkdesk.cli.common import CliContext, add_command, bilingual, table
from gkdesk.county_views import VIEWS


def register(sub: argparse._SubParsersAction) -> None:
    k = add_command(sub, "keys", "本单位密钥与对方登记", "keys and enrolment", None, json_output=False)  # type: ignore[arg-type]
    ks = k.add_subparsers(dest="keys_cmd", metavar="ACTION", required=True)
    add_command(ks, "show", "显示本单位指纹和已信任的单位", "show this fingerprint and trusted peers", cmd_keys_show)
    e = add_command(ks, "export", "导出本单位身份文件(公钥)", "write this installation's public identity", cmd_keys_export)
    e.add_argument("-o", "--output", required=True, metavar="FILE")
    t = add_command(ks, "trust", "信任对方身份文件(乡镇信任县级;县级登记乡镇)", "trust another installation's identity file", cmd_keys_trust)
    t.add_argument("file", metavar="FILE")
    t.add_argument("--replace", action="store_true", help=bilingual("对方重新生成密钥后重新登记", "re-enrol after the other side made new keys"))
    v = add_command(ks, "verify", "核验对方指纹:输入电话中对方读出的数字", "type back the fingerprint digits heard on the phone", cmd_keys_verify)
    v.add_argument("code", metavar="CODE", help=bilingual("对方的区划代码", "the other unit's code"))
    v.add_argument("digits", nargs="+", metavar="DIGITS", help=bilingual("对方读出的指纹数字(可分组)", "the digits, in groups or not"))
    en = add_command(ks, "enrolment", "写乡镇的登记文件(县级;含县级为该乡镇登记的编号,交乡镇导入)",
                     "write a township's enrolment file (county)", cmd_keys_enrolment)
    en.add_argument("code", metavar="CODE", help=bilingual("乡镇的区划代码", "the township's code"))
    en.add_argument("-o", "--output", required=True, metavar="FILE")
    rv = add_command(ks, "revoke", "撤销乡镇的登记(县级;电脑丢失或换人时)", "revoke a township's enrolment (county)", cmd_keys_revoke)
    rv.add_argument("code", metavar="CODE")
    rv.add_argument("--yes", action="store_true", required=True, help=bilingual("确认撤销", "confirm"))
    r = add_command(ks, "reset", "重新生成本单位密钥(丢失或泄露时)", "make new keys (lost or leaked)", cmd_keys_reset)
    r.add_argument("--yes", action="store_true", required=True, help=bilingual("确认重新生成", "confirm"))

    y = add_command(sub, "sync", "同步包:乡镇与县级之间交换数据", "sync packages between township and county", None, json_output=False)  # type: ignore[arg-type]
    ys = y.add_subparsers(dest="sync_cmd", metavar="ACTION", required=True)
    x = add_command(ys, "export", "导出数据包(乡镇→县级)", "export a data package (township → county)", cmd_sync_export)
    x.add_argument("-o", "--output", required=True, metavar="PATH", help=bilingual("目标文件夹(如 U 盘)或 .gkpkg 文件名", "folder (USB stick) or .gkpkg file"))
    x.add_argument("--full", action="store_true", help=bilingual("重新发送全部数据", "re-send everything"))
    x.add_argument("--resync", action="store_true", help=bilingual(
        "从旧备份恢复后:发送全部数据并请县级重新接续包序号(县级拒绝“旧包或重放”时用)",
        "after restoring an old backup: send everything and restart the sequence at the county"))
    x.add_argument("--part-size", type=float, default=20, metavar="MB", help=bilingual("超过此大小分卷(默认 20 MB)", "split above this size (default 20 MB)"))
    i = add_command(ys, "import", "导入同步包(数据包、回执或县级更新)", "import packages (data, receipts, county updates)", cmd_sync_import)
    i.add_argument("files", nargs="+", metavar="FILE")
    i.add_argument("--receipts-dir", metavar="DIR", help=bilingual("回执写入的文件夹(县级)", "folder for receipts (county)"))
    i.add_argument("--max-size", type=float, default=2048, metavar="MB", help=bilingual("拒绝超过此大小的包", "refuse larger packages"))
    u = add_command(ys, "update", "向乡镇下发更新(节假日等)", "send updates to townships (calendar …)", cmd_sync_update)
    u.add_argument("-o", "--output", required=True, metavar="DIR")
    u.add_argument("--to", nargs="*", metavar="CODE", help=bilingual("只发给这些乡镇(区划代码)", "only these townships"))
    u.add_argument("--years", nargs="*", type=int, metavar="YEAR", help=bilingual("只发这些年份的节假日", "only these calendar years"))
    rsp = add_command(ys, "restore", "为乡镇写恢复包(县级;乡镇数据目录丢失、重新登记后)",
                      "write a restore package for a re-enrolled township (county)", cmd_sync_restore)
    rsp.add_argument("code", metavar="CODE", help=bilingual("乡镇的区划代码", "the township's code"))
    rsp.add_argument("-o", "--output", required=True, metavar="DIR")
    add_command(ys, "history", "同步包历史", "package history", cmd_sync_history)
    cf = add_command(ys, "conflicts", "列出待处理的冲突(两边都改过的记录)", "list open conflicts", cmd_sync_conflicts)
    cf.add_argument("--all", action="store_true", help=bilingual("包括已处理的", "include resolved ones"))
    rs = add_command(ys, "resolve", "处理冲突:保留县级版本或采用乡镇版本", "resolve a conflict", cmd_sync_resolve)
    rs.add_argument("id", type=int, metavar="ID")
    rs.add_argument("--keep", required=True, choices=["county", "township"],
                    help=bilingual("county=保留县级版本,township=采用乡镇版本", "which version to keep"))

    c = add_command(sub, "county", "县级汇总视图", "county views across townships", None, json_output=False)  # type: ignore[arg-type]
    cs = c.add_subparsers(dest="county_cmd", metavar="ACTION", required=True)
    add_command(cs, "status", "各乡镇最后一次同步和数据量", "last package and row counts per township", cmd_county_status)
    cp = add_command(cs, "payouts", "各乡镇补贴发放合计", "payout totals per township/program/year", cmd_county_payouts)
    cp.add_argument("--year", type=int, help=bilingual("只看这一年度", "only this year"))
    add_command(cs, "catalogue", "各乡镇标准目录完成情况和逾期事项", "catalogue completion and overdue items", cmd_county_catalogue)
    add_command(cs, "villages", "各乡镇村务公开情况", "village posting status per township", cmd_county_villages)
    cm = add_command(cs, "migrate", "把县级数据从 SQLite 文件迁移到 PostgreSQL(连同密钥和历史)",
                     "move the county from its SQLite file into PostgreSQL (keys and history included)",
                     cmd_county_migrate)
    cm.add_argument("--to", required=True, metavar="URL",
                    help=bilingual("空的 PostgreSQL 数据库地址,如 postgresql://gkdesk@服务器/county",
                                   "an empty PostgreSQL database, e.g. postgresql://gkdesk@host/county"))
    ce = add_command(cs, "export", "导出汇总表(.xlsx)", "export the views as .xlsx", cmd_county_export)
    ce.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    ce.add_argument("--view", action="append", choices=sorted(VIEWS), metavar="VIEW",
                    help=bilingual("只导出这些汇总表(status/payouts/catalogue/villages,可多次)",
                                   "only these views (repeatable)"))


def cmd_keys_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.identity(ctx.ws)
    ps = res.peers
    text = res.summary() + "\n"
    text += table([[p["name"], p["code"], p["role"], p["state"], p["fingerprint"]] for p in ps],
                  ["已信任单位", "代码", "角色", "状态", "指纹"]) if ps else "尚未信任任何单位"
    ctx.emit({"identity": res.identity, "peers": ps}, text)
    return 0


def cmd_keys_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.export_identity(ctx.ws, Path(args.output))
    ctx.emit({"status": "ok", "file": args.output, "fingerprint": res.fingerprint}, res.summary())
    return 0


def cmd_keys_trust(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.trust(ctx.ws, Path(args.file), replace=args.replace)
    text = res.summary()
    if not res.peer.get("verified"):
        text += f"\n核验:gkdesk keys verify {res.peer['code']} <对方读出的数字>"
    ctx.emit({"status": res.status, "peer": res.peer, "endorsed": res.endorsed, "adopted": res.adopted,
              "enrolment_file": str(res.enrolment_file) if res.enrolment_file else None}, text)
    return 0


def cmd_keys_enrolment(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.export_enrolment(ctx.ws, args.code, Path(args.output))
    ctx.emit({"status": "ok", "file": str(res.file), "peer": res.peer},
             res.summary().replace("在其“同步”页用“信任对方身份文件…”导入", "用 gkdesk keys trust 文件 导入"))
    return 0


def cmd_keys_verify(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.verify_peer(ctx.ws, args.code, " ".join(args.digits))
    ctx.emit({"status": res.status, "peer": res.peer, "adopted": res.adopted}, res.summary())
    return 0


def cmd_keys_revoke(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.revoke_peer(ctx.ws, args.code)
    ctx.emit({"status": "revoked", "peer": res.peer}, res.summary())
    return 0


def cmd_keys_reset(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.reset_keys(ctx.ws)
    ctx.emit({"status": "ok", "fingerprint": res.fingerprint},
             res.summary() + "\n(gkdesk keys export 导出身份文件;对方用 gkdesk keys trust --replace 重新登记)")
    return 0


def cmd_sync_restore(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.send_restore(ctx.ws, args.code, Path(args.output))
    ctx.emit({"status": "ok", **res.result.to_dict()},
             res.summary().replace("在“同步”页导入", "用 gkdesk sync import 导入"))
    return 0


def cmd_sync_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.export_package(ctx.ws, Path(args.output), full=args.full, resync=args.resync,
                             part_bytes=int(args.part_size * 1024 * 1024))
    ctx.emit({"status": "ok", **res.result.to_dict()}, res.summary())
    return 0


def cmd_sync_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops
    from gkdesk.cli.hints import hint_text

    res = ops.import_packages(ctx.ws, [Path(f) for f in args.files], receipts_dir=args.receipts_dir,
                              max_bytes=int(args.max_size * 1024 * 1024))
    ctx.emit({"status": "refused" if res.refused else "ok", "packages": [r.to_dict() for r in res.packages]},
             "\n".join(res.lines(hint_text)))
    return 1 if res.refused else 0


def cmd_sync_update(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.send_update(ctx.ws, Path(args.output), codes=args.to or None, years=args.years or None)
    ctx.emit({"status": "ok", "packages": [r.to_dict() for r in res.results]},
             "\n".join([*res.file_lines(), res.summary()]))
    return 0


def cmd_sync_history(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops
    from gkdesk.cli.hints import hint_text

    res = ops.history(ctx.ws)
    rows = res.rows
    text = table([[r["processed_at"], "导出" if r["direction"] == "out" else "导入", r["kind_label"], r["peer_code"],
                   r["seq"], r["file"]] for r in rows], ["时间(UTC)", "方向", "类型", "对方", "序号", "文件"]) if rows else "尚无同步记录"
    if res.refused:
        text += "\n被拒绝的包:\n" + "\n".join(res.refused_lines(hint_text))
    ctx.emit({"history": rows, "refused": res.refused}, text)
    return 0


def cmd_sync_conflicts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    views = ops.conflicts(ctx.ws, include_resolved=args.all)
    lines = ops.conflict_lines(views)
    if views and not args.all:
        lines.append("处理:gkdesk sync resolve ID --keep county(保留县级)或 --keep township(采用乡镇)")
    ctx.emit({"conflicts": [c.to_dict() for c in views]}, "\n".join(lines) or "没有待处理的冲突")
    return 0


def cmd_sync_resolve(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import sync as ops

    res = ops.resolve_conflict(ctx.ws, args.id, args.keep)
    ctx.emit({"status": "resolved", "conflict": res.conflict, "keep": res.keep, "label": res.label}, res.summary())
    return 0


def cmd_county_status(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import county as views

    res = views.status(ctx.ws)
    text = table(res.rows(), res.headers()) if res.townships else res.summary()
    ctx.emit({"townships": [st.to_dict() for st in res.townships]}, text)
    return 0


def cmd_county_payouts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import county as views

    res = views.payouts(ctx.ws, args.year)
    rows, grand = res.totals, res.grand_total
    text = table([[r["township"], r["program"], r["year"], r["count"], views.money(r["total"])] for r in rows]
                 + [["合计", "", "", sum(r["count"] for r in rows), views.money(grand)]],
                 ["乡镇", "项目", "年度", "条数", "金额(元)"]) if rows else res.summary()
    ctx.emit({"totals": [{**r, "total": str(r["total"])} for r in rows], "grand_total": str(grand)}, text)
    return 0


def cmd_county_catalogue(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import county as views

    res = views.catalogue(ctx.ws)
    text = table([[r["township"], r["items"], r["published"], res.percent(r), r["overdue"], r["due_soon"]]
                  for r in res.townships],
                 ["乡镇", "适用事项", "已发布", "完成率", "逾期", "即将到期"]) if res.townships else res.summary()
    if res.overdue:
        text += "\n逾期事项:\n" + "\n".join(res.overdue_lines())
    ctx.emit({"townships": res.townships, "overdue": [{**o, "due": o["due"].isoformat() if o["due"] else None}
                                                     for o in res.overdue]}, text)
    return 0


def cmd_county_villages(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import county as views

    res = views.villages(ctx.ws)
    text = table([[r["township"], r["villages"], r["postings"], res.by_status(r), r["overdue_villages"], r["missing"]]
                  for r in res.townships],
                 ["乡镇", "村(社区)", "公示", "按状态", "有逾期的村", "逾期期次"]) if res.townships else res.summary()
    if res.villages:
        text += "\n逾期的村:\n" + "\n".join(res.overdue_lines())
    ctx.emit({"townships": res.townships, "villages": res.villages}, text)
    return 0


def cmd_county_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import county as views

    res = views.export_workbook(ctx.ws, Path(args.output), views=args.view)
    ctx.emit({"status": "ok", "file": args.output, **res.counts}, res.summary())
    return 0


def cmd_county_migrate(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import county as views

    res = views.migrate_to_postgresql(ctx.ws, args.to)
    ctx.emit({"status": "migrated", "target": res.target, "rows": res.rows, "tables": res.tables}, res.summary())
    return 0
