"""Handlers of ``gkdesk posting …`` (arguments in ``posting_cmds``)."""

from __future__ import annotations

import argparse
from datetime import date

from gkdesk import township
from gkdesk.cli.common import CliContext, table
from gkdesk.postings import calendar as pcal
from gkdesk.postings import lifecycle as lc
from gkdesk.postings import photos
from gkdesk.postings.register import export_register
from gkdesk.postings.yearend import checklist_dict, township_year_end, year_end_checklist


def _today(args: argparse.Namespace) -> date:
    return args.on or date.today()


def _line(d: dict) -> str:
    return f"{d['id'][:8]}  {d['title']}  [{d['status_label']}]"


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        names = {v.id: v.name for v in township.villages(s, include_deleted=True)}
        rows = [lc.posting_dict(p) for p in lc.list_postings(s, village_name=args.village, year=args.year, status=args.status)]
    text = table([[r["id"][:8], names.get(r["village_id"], ""), r["title"], r["status_label"], r["posted_on"] or "",
                   f"{r['period_start'] or ''}~{r['period_end'] or ''}" if r["period_start"] else "", r["photos"],
                   r["objections_open"] or ""] for r in rows],
                 ["编号", "村", "标题", "状态", "张贴", "公示期", "照片", "未答复异议"]) if rows else "没有符合条件的公示"
    ctx.emit({"postings": rows}, text)
    return 0


def cmd_new(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.create_posting(s, ctx.operator, village_name=args.village, title=args.title, catalogue_item=args.item,
                                slot=args.slot, group_name=args.group, on=_today(args))
    d = res.data["posting"]
    ctx.emit({"status": "ok", "posting": d}, f"已登记:{_line(d)}")
    return 0


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        p = lc.find_posting(s, args.posting)
        d = lc.posting_dict(p)
        hist = lc.history(p)
        objs = [{"id": o.id, "raised_on": o.raised_on, "by": o.raised_by, "content": o.content, "answer": o.answer,
                 "answered_on": o.answered_on} for o in p.objections if o.deleted_at is None]
        pics = [{"name": ph.original_name, "path": ph.relpath} for ph in p.photos if ph.deleted_at is None]
        period = lc.period_text(p)
    lines = [_line(d), f"审核:{d['reviewer_body']} {d['reviewer']} {d['reviewed_on'] or ''}".rstrip(),
             f"张贴:{d['posted_on'] or '—'} {d['location']}  公示期:{period or '—'}"]
    lines += [f"异议 {o['id'][:8]}({o['raised_on']} {o['by']}):{o['content']} → {o['answer'] or '未答复'}" for o in objs]
    lines += [f"照片:{ph['name']} ({ph['path']})" for ph in pics]
    lines += ["经过:"] + [f"  {h['on'] or ''} {h['label']} {h['operator']} {h['detail']}" for h in hist]
    ctx.emit({"posting": d, "objections": objs, "photos": pics, "history": hist}, "\n".join(lines))
    return 0


def _done(ctx: CliContext, res, verb: str) -> int:  # type: ignore[no-untyped-def]
    d = res.data["posting"]
    extra = "".join(f"\n提示:{w.message}" for w in res.warnings)
    ctx.emit({"status": "ok", "posting": d, "warnings": [w.message for w in res.warnings]}, f"已{verb}:{_line(d)}{extra}")
    return 0


def cmd_review(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.review(s, args.posting, ctx.operator, reviewer=args.reviewer, body=args.body, on=_today(args))
    return _done(ctx, res, "登记审核")


def cmd_post(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.post(s, args.posting, ctx.operator, on=_today(args), location=args.where, length=args.days,
                      unit="working" if args.working_days else None, start=args.start)
        period = lc.period_text(lc.find_posting(s, args.posting))
    d = res.data["posting"]
    ctx.emit({"status": "ok", "posting": d, "period": period}, f"已登记张贴:{_line(d)}\n公示期:{period}")
    return 0


def cmd_end(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.end_period(s, args.posting, ctx.operator, on=_today(args))
    return _done(ctx, res, "登记公示期满")


def cmd_object(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.add_objection(s, args.posting, ctx.operator, on=_today(args), content=args.content, raised_by=args.by)
    ctx.emit({"status": "ok", "objection_id": res.data["objection_id"]},
             f"已登记异议 {res.data['objection_id'][:8]}(答复:gkdesk posting answer {res.data['objection_id'][:8]} --answer …)")
    return 0


def cmd_answer(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.answer_objection(s, args.objection, ctx.operator, on=_today(args), answer=args.answer, answered_by=args.by)
    return _done(ctx, res, "答复异议")


def cmd_correct(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.correct(s, args.posting, ctx.operator, on=_today(args), reason=args.reason, title=args.title)
    return _done(ctx, res, "登记更正稿(审核后张贴,原公示将标为已更正重贴)")


def cmd_archive(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = lc.archive(s, args.posting, ctx.operator, on=_today(args), place=args.place)
    return _done(ctx, res, "归档")


def cmd_attach(ctx: CliContext, args: argparse.Namespace) -> int:
    out = []
    with ctx.session() as s:
        for f in args.files:
            res = photos.attach_photo(s, ctx.store.data_dir, args.posting, f, ctx.operator, taken_on=args.on)
            out.append(res.data["photo"])
    ctx.emit({"status": "ok", "photos": out}, "\n".join(f"已附照片 {ph['path']}({ph['width']}×{ph['height']})" for ph in out))
    return 0


def cmd_calendar(ctx: CliContext, args: argparse.Namespace) -> int:
    today = _today(args)
    with ctx.session() as s:
        vc = pcal.village_calendar(s, args.village, args.year or today.year, today)
    d = pcal.calendar_dict(vc)
    mark = {"posted": "✔", "late": "迟", "missing": "✘", "due": "…", "future": "·", "unknown": "?", "none": ""}
    lines = [f"{vc.village_name} {vc.year}年公示日历(截至 {today})", *vc.notes]
    lines.append(table([[r["item"], r["frequency"], " ".join(f"{c['label']}{mark[c['status']]}" for c in r["cells"]
                                                             if r["frequency"] != "随时" or c["status"] == "posted")]
                        for r in d["rows"]], ["事项", "频次", "各期"]))
    c = d["counts"]
    lines.append(f"已公示 {c['posted']},逾期公示 {c['late']},逾期未公示 {c['missing']},待公示 {c['due']}")
    ctx.emit(d, "\n".join(lines))
    return 0


def cmd_overdue(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        rows = pcal.overdue_villages(s)
    ctx.emit({"villages": [r.__dict__ for r in rows]},
             table([[r.name, r.missing, "、".join(r.items[:4]) + ("…" if len(r.items) > 4 else "")] for r in rows],
                   ["村(社区)", "逾期未公示", "事项"]) if rows else "没有逾期未公示的事项")
    return 0


def cmd_year_end(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        lists = [year_end_checklist(s, args.village, args.year)] if args.village else township_year_end(s, args.year)
    payload = [checklist_dict(c) for c in lists]
    lines = []
    for c in lists:
        lines.append(f"{c.village} {c.year}年:" + ("已完成" if c.complete else "未完成") + (",当年无补贴发放" if not c.lines else ""))
        lines += [f"  {ln.program}({ln.payouts}笔,{ln.amount}元):" + ("✔" if ln.done else ";".join(ln.missing)) for ln in c.lines]
    ctx.emit({"year": args.year, "villages": payload}, "\n".join(lines))
    return 0 if all(c.complete for c in lists) else 1


def cmd_register(ctx: CliContext, args: argparse.Namespace) -> int:
    with ctx.session() as s:
        res = export_register(s, ctx.store.data_dir, args.year, args.output, ctx.operator, village_name=args.village)
    ctx.emit({"status": "ok", **res.counts, "file": res.data["file"]},
             f"已导出“{res.data['title']}”:{res.counts['rows']} 条公示,照片 {res.counts['photos']} 张 → {res.data['file']}")
    return 0
