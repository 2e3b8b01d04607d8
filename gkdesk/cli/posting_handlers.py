"""Handlers of ``gkdesk posting …`` (arguments in ``posting_cmds``).

Each handler parses, calls :mod:`gkdesk.app.postings` with the workspace and prints the result;
the lifecycle's rules and the sentences are there, not here.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from gkdesk.cli.common import CliContext, table


def _ops():  # type: ignore[no-untyped-def]
    from gkdesk.app import postings

    return postings


def _done(ctx: CliContext, res: Any) -> int:
    extra = "".join(f"\n提示:{w}" for w in res.warning_lines())
    ctx.emit({"status": "ok", "posting": res.posting, "warnings": [w.message for w in res.warnings]},
             res.summary() + extra)
    return 0


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    found = _ops().listed(ctx.ws, village=args.village, year=args.year, status=args.status)
    rows, names = found.rows, found.village_names
    text = table([[r["id"][:8], names.get(r["village_id"], ""), r["title"], r["status_label"], r["posted_on"] or "",
                   f"{r['period_start'] or ''}~{r['period_end'] or ''}" if r["period_start"] else "", r["photos"],
                   r["objections_open"] or ""] for r in rows],
                 ["编号", "村", "标题", "状态", "张贴", "公示期", "照片", "未答复异议"]) if rows else "没有符合条件的公示"
    ctx.emit({"postings": rows}, text)
    return 0


def cmd_new(ctx: CliContext, args: argparse.Namespace) -> int:
    res = _ops().new(ctx.ws, args.village, args.title, item=args.item, slot=args.slot, group=args.group, on=args.on)
    ctx.emit({"status": "ok", "posting": res.posting}, res.summary())
    return 0


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    det = _ops().detail(ctx.ws, args.posting)
    d, objs, period = det.posting, det.objections, det.period
    pics = [{"name": p.name, "path": p.path} for p in det.photos]
    lines = [_ops().posting_line(d), f"审核:{d['reviewer_body']} {d['reviewer']} {d['reviewed_on'] or ''}".rstrip(),
             f"张贴:{d['posted_on'] or '—'} {d['location']}  公示期:{period or '—'}"]
    lines += [f"异议 {o['id'][:8]}({o['raised_on']} {o['by']}):{o['content']} → {o['answer'] or '未答复'}" for o in objs]
    lines += [f"照片:{p['name']} ({p['path']})" for p in pics]
    lines += ["经过:"] + [f"  {h['on'] or ''} {h['label']} {h['operator']} {h['detail']}" for h in det.history]
    ctx.emit({"posting": d, "objections": objs, "photos": pics, "history": det.history}, "\n".join(lines))
    return 0


def cmd_review(ctx: CliContext, args: argparse.Namespace) -> int:
    return _done(ctx, _ops().review(ctx.ws, args.posting, args.reviewer, args.body, on=args.on))


def cmd_post(ctx: CliContext, args: argparse.Namespace) -> int:
    res = _ops().post(ctx.ws, args.posting, location=args.where, days=args.days,
                      working=True if args.working_days else None, start=args.start, on=args.on)
    ctx.emit({"status": "ok", "posting": res.posting, "period": res.period}, res.summary())
    return 0


def cmd_end(ctx: CliContext, args: argparse.Namespace) -> int:
    return _done(ctx, _ops().end(ctx.ws, args.posting, on=args.on))


def cmd_object(ctx: CliContext, args: argparse.Namespace) -> int:
    res = _ops().add_objection(ctx.ws, args.posting, args.content, by=args.by, on=args.on)
    oid = res.objection_id or ""
    ctx.emit({"status": "ok", "objection_id": oid},
             f"{res.summary()}(答复:gkdesk posting answer {oid[:8]} --answer …)")
    return 0


def cmd_answer(ctx: CliContext, args: argparse.Namespace) -> int:
    return _done(ctx, _ops().answer(ctx.ws, args.objection, args.answer, by=args.by, on=args.on))


def cmd_correct(ctx: CliContext, args: argparse.Namespace) -> int:
    return _done(ctx, _ops().correct(ctx.ws, args.posting, args.reason, title=args.title, on=args.on))


def cmd_archive(ctx: CliContext, args: argparse.Namespace) -> int:
    return _done(ctx, _ops().archive(ctx.ws, args.posting, place=args.place, on=args.on))


def cmd_attach(ctx: CliContext, args: argparse.Namespace) -> int:
    res = _ops().attach_photos(ctx.ws, args.posting, args.files, on=args.on)
    ctx.emit({"status": "ok", "photos": res.photos}, res.summary())
    return 0


def cmd_calendar(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.postings.calendar import calendar_dict

    today = args.on or date.today()
    vc = _ops().calendar(ctx.ws, args.village, args.year or today.year, today)
    d = calendar_dict(vc)
    mark = {"posted": "✔", "late": "迟", "missing": "✘", "due": "…", "future": "·", "unknown": "?", "none": "",
            "untracked": "–"}
    lines = [f"{vc.village_name} {vc.year}年公示日历(截至 {today})", *vc.notes]
    if vc.tracking_from:
        lines.append(f"自 {vc.tracking_from.year}年{vc.tracking_from.month}月 起跟踪,此前各期(–)不计逾期")
    lines.append(table([[r["item"], r["frequency"], " ".join(f"{c['label']}{mark[c['status']]}" for c in r["cells"]
                                                             if r["frequency"] != "随时" or c["status"] == "posted")]
                        for r in d["rows"]], ["事项", "频次", "各期"]))
    c = d["counts"]
    lines.append(f"已公示 {c['posted']},逾期公示 {c['late']},逾期未公示 {c['missing']},待公示 {c['due']}")
    ctx.emit(d, "\n".join(lines))
    return 0


def cmd_overdue(ctx: CliContext, args: argparse.Namespace) -> int:
    rows = _ops().overdue(ctx.ws)
    ctx.emit({"villages": [r.__dict__ for r in rows]},
             table([[r.name, r.missing, "、".join(r.items[:4]) + ("…" if len(r.items) > 4 else "")] for r in rows],
                   ["村(社区)", "逾期未公示", "事项"]) if rows else "没有逾期未公示的事项")
    return 0


def cmd_year_end(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.postings.yearend import checklist_dict

    lists = _ops().year_end(ctx.ws, args.year, args.village)
    payload = [checklist_dict(c) for c in lists]
    lines = []
    for c in lists:
        lines.append(f"{c.village} {c.year}年:" + ("已完成" if c.complete else "未完成") + (",当年无补贴发放" if not c.lines else ""))
        lines += [f"  {ln.program}({ln.payouts}笔,{ln.amount}元):" + ("✔" if ln.done else ";".join(ln.missing)) for ln in c.lines]
    ctx.emit({"year": args.year, "villages": payload}, "\n".join(lines))
    return 0 if all(c.complete for c in lists) else 1


def cmd_register(ctx: CliContext, args: argparse.Namespace) -> int:
    res = _ops().export_register(ctx.ws, args.year, args.output, village=args.village)
    ctx.emit({"status": "ok", "rows": res.rows, "photos": res.photos, "file": res.file}, res.summary())
    return 0


def cmd_record(ctx: CliContext, args: argparse.Namespace) -> int:
    res = _ops().record_posted(ctx.ws, args.village, args.item, args.slot, posted_on=args.posted_on,
                               reviewer=args.reviewer, body=args.body, reviewed_on=args.reviewed_on,
                               location=args.where, days=args.days, working=args.working_days, title=args.title)
    return _done(ctx, res)


def cmd_withdraw(ctx: CliContext, args: argparse.Namespace) -> int:
    return _done(ctx, _ops().withdraw(ctx.ws, args.posting, args.reason, on=args.on))


def cmd_amend(ctx: CliContext, args: argparse.Namespace) -> int:
    return _done(ctx, _ops().amend(ctx.ws, args.posting, args.reason, title=args.title, reviewer=args.reviewer,
                                   body=args.body, reviewed_on=args.reviewed_on, posted_on=args.posted_on,
                                   location=args.where, on=args.on))
