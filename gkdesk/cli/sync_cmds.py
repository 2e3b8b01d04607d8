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
    ce = add_command(cs, "export", "导出汇总表(.xlsx)", "export the views as .xlsx", cmd_county_export)
    ce.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    ce.add_argument("--view", action="append", choices=sorted(VIEWS), metavar="VIEW",
                    help=bilingual("只导出这些汇总表(status/payouts/catalogue/villages,可多次)",
                                   "only these views (repeatable)"))


def cmd_keys_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.sync import keys

    with ctx.session() as s:
        ident = keys.identity_dict(s, ctx.store.data_dir)
        ps = [keys.peer_dict(p) for p in keys.peers(s)]
    text = f"本单位:{ident['name']}({ident['code']})\n指纹:{ident['fingerprint']}\n"
    text += table([[p["name"], p["code"], p["role"], p["fingerprint"]] for p in ps], ["已信任单位", "代码", "角色", "指纹"]) if ps else "尚未信任任何单位"
    ctx.emit({"identity": {k: v for k, v in ident.items() if k != "signature"}, "peers": ps}, text)
    return 0


def cmd_keys_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.sync import keys

    with ctx.session() as s:
        body = keys.export_identity(s, Path(args.output), ctx.store.data_dir)
    ctx.emit({"status": "ok", "file": args.output, "fingerprint": body["fingerprint"]},
             f"已写入身份文件:{args.output}\n指纹:{body['fingerprint']}(请对方电话核对)")
    return 0


def cmd_keys_trust(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.sync import keys

    with ctx.session() as s:
        res = keys.trust(s, Path(args.file), ctx.operator, replace=args.replace)
    p = res["peer"]
    verb = {"trusted": "已信任", "replaced": "已重新登记", "unchanged": "此前已信任,无变化"}[res["status"]]
    extra = f"(原指纹 {res['old_fingerprint']})" if res.get("old_fingerprint") else ""
    ctx.emit({"status": res["status"], "peer": p},
             f"{verb}:{p['name']}({p['code']})\n指纹:{p['fingerprint']}{extra}\n请与对方电话核对指纹是否一致。")
    return 0


def cmd_keys_reset(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import backups
    from gkdesk.sync import keys

    if ctx.store.is_sqlite:
        backups.create_backup(ctx.store.data_dir, reason="before-replace", force=True)
    with ctx.session() as s:
        ident = keys.reset_keys(s, ctx.operator, ctx.store.data_dir)
    ctx.emit({"status": "ok", "fingerprint": ident.fingerprint},
             f"已生成新密钥,新指纹:{ident.fingerprint}\n请用 gkdesk keys export 导出身份文件,交对方用 keys trust --replace 重新登记。")
    return 0


def cmd_sync_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import sync
    from gkdesk.sync.container import SUFFIX

    out = Path(args.output)
    stem = None
    if out.suffix == SUFFIX:
        out, stem = out.parent, out.stem
    res = sync.export_data(ctx.store, out, ctx.operator, full=args.full, resync=args.resync,
                           part_bytes=int(args.part_size * 1024 * 1024), stem=stem)
    counts = ",".join(f"{k} {v}" for k, v in res.counts.items()) or "无变化"
    warn = f"\n注意:{len(res.missing_attachments)} 个附件文件缺失,未能打包" if res.missing_attachments else ""
    what = "重新同步包(完整数据)" if args.resync else f"数据包(基于第 {res.based_on} 号)"
    ctx.emit({"status": "ok", **res.to_dict()},
             f"第 {res.seq} 号{what}:{counts}\n{res.safe_message}{warn}")
    return 0


def cmd_sync_import(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import sync

    reps = sync.import_files(ctx.store, [Path(f) for f in args.files], ctx.operator,
                             receipts_dir=Path(args.receipts_dir) if args.receipts_dir else None,
                             max_bytes=int(args.max_size * 1024 * 1024))
    lines = [r.describe() for r in reps]
    for r in reps:
        lines += [f"  回执:{f}(请交回乡镇)" for f in r.receipt_files]
    refused = sum(r.status == "refused" for r in reps)
    ctx.emit({"status": "refused" if refused else "ok", "packages": [r.to_dict() for r in reps]}, "\n".join(lines))
    return 1 if refused else 0


def cmd_sync_update(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import sync

    results = sync.export_update(ctx.store, Path(args.output), ctx.operator, args.to or None,
                                 {"years": args.years} if args.years else None)
    ctx.emit({"status": "ok", "packages": [r.to_dict() for r in results]},
             "\n".join(f"已写入:{', '.join(p.name for p in r.files)}" for r in results) + "\n现在可以安全拔出 U 盘。")
    return 0


def cmd_sync_history(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import sync

    with ctx.session() as s:
        rows = sync.history(s)
    refused = sync.refused_history(ctx.store)
    text = table([[r["processed_at"], "导出" if r["direction"] == "out" else "导入", r["kind_label"], r["peer_code"],
                   r["seq"], r["file"]] for r in rows], ["时间(UTC)", "方向", "类型", "对方", "序号", "文件"]) if rows else "尚无同步记录"
    if refused:
        text += "\n被拒绝的包:\n" + "\n".join(f"{r['at']} {r['file']}:{r['reason']}" for r in refused[:20])
    ctx.emit({"history": rows, "refused": refused}, text)
    return 0


def cmd_sync_conflicts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import county
    from gkdesk.sync import conflicts
    with ctx.session() as s:
        rows = [c.to_dict() for c in conflicts.list_conflicts(s, include_resolved=args.all)]
    lines = []
    for r in rows:
        done = f"[已处理:{conflicts.KEEP_LABELS.get(r['resolution'], r['resolution'])}]" if r["resolution"] else ""
        lines.append(f"#{r['id']} {county.TABLE_LABELS.get(r['table'], r['table'])} {r['row_id']}(来自 {r['peer']}){done}")
        for f in r["fields"]:
            lines.append(f"    {f}:县级“{r['local'].get(f)}” / 乡镇“{r['incoming'].get(f)}”")
    if rows and not args.all:
        lines.append("处理:gkdesk sync resolve ID --keep county(保留县级)或 --keep township(采用乡镇)")
    ctx.emit({"conflicts": rows}, "\n".join(lines) or "没有待处理的冲突")
    return 0


def cmd_sync_resolve(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import county
    from gkdesk.sync import conflicts
    res = conflicts.resolve_conflict(ctx.store, args.id, args.keep, ctx.operator)
    c = res.data["conflict"]
    ctx.emit({"status": res.status, **res.data},
             f"冲突 #{args.id}({county.TABLE_LABELS.get(c['table'], c['table'])} {c['row_id']}):已{res.data['label']}。"
             f"处理前已自动备份。")
    return 0


def cmd_county_status(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import county

    with ctx.session() as s:
        sts = county.status(s)
    tables = sorted({k for st in sts for k in st.rows})
    text = table([[st.name, st.code, st.last_seq, st.last_package_at.strftime("%Y-%m-%d %H:%M") if st.last_package_at else "从未",
                   st.open_conflicts, *[st.rows.get(t, 0) for t in tables]] for st in sts],
                 ["乡镇", "代码", "最后包", "导入时间", "冲突", *[county.TABLE_LABELS.get(t, t) for t in tables]]) if sts else "尚未登记乡镇"
    ctx.emit({"townships": [st.to_dict() for st in sts]}, text)
    return 0


def cmd_county_payouts(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import county

    with ctx.session() as s:
        rows = county.payout_totals(s, args.year)
    grand = county.payout_grand_total(rows)
    text = table([[r["township"], r["program"], r["year"], r["count"], f"{r['total']:,.2f}"] for r in rows]
                 + [["合计", "", "", sum(r["count"] for r in rows), f"{grand:,.2f}"]],
                 ["乡镇", "项目", "年度", "条数", "金额(元)"]) if rows else "尚无补贴发放数据"
    ctx.emit({"totals": [{**r, "total": str(r["total"])} for r in rows], "grand_total": str(grand)}, text)
    return 0


def cmd_county_catalogue(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import county
    with ctx.session() as s:
        summary, overdue = county.catalogue_status(s)
    text = table([[r["township"], r["items"], r["published"], "—" if r["percent"] is None else f"{r['percent']}%",
                   r["overdue"], r["due_soon"]] for r in summary],
                 ["乡镇", "适用事项", "已发布", "完成率", "逾期", "即将到期"]) if summary else "尚未登记乡镇"
    if overdue:
        text += "\n逾期事项:\n" + "\n".join(f"{o['township']} {o['domain']} {o['item']}({o['period']},"
                                           f"应于 {o['due']} 前)" for o in overdue[:50])
    ctx.emit({"townships": summary, "overdue": [{**o, "due": o["due"].isoformat() if o["due"] else None}
                                                for o in overdue]}, text)
    return 0


def cmd_county_villages(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import county
    with ctx.session() as s:
        summary, detail = county.village_status(s)
    text = table([[r["township"], r["villages"], r["postings"],
                   ",".join(f"{k} {v}" for k, v in r["by_status"].items()) or "—",
                   r["overdue_villages"], r["missing"]] for r in summary],
                 ["乡镇", "村(社区)", "公示", "按状态", "有逾期的村", "逾期期次"]) if summary else "尚未登记乡镇"
    if detail:
        text += "\n逾期的村:\n" + "\n".join(f"{d['township']} {d['village']}:{d['missing']} 期({d['items']})"
                                           for d in detail[:50])
    ctx.emit({"townships": summary, "villages": detail}, text)
    return 0


def cmd_county_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk import county_xlsx

    with ctx.session() as s:
        res = county_xlsx.export_xlsx(s, Path(args.output), views=args.view)
    ctx.emit({"status": "ok", "file": args.output, **res}, f"已导出:{args.output}({res['townships']} 个乡镇)")
    return 0
