"""``posting …``: the life of a village posting, its evidence, the calendar, the year-end duty, the register."""

from __future__ import annotations

import argparse
from datetime import date

from gkdesk import township
from gkdesk.cli.common import CliContext, add_command, bilingual, table
from gkdesk.models.posting_lifecycle import LOCATIONS, REVIEWER_BODIES
from gkdesk.postings import calendar as pcal
from gkdesk.postings import lifecycle as lc
from gkdesk.postings import photos
from gkdesk.postings.register import export_register
from gkdesk.postings.yearend import checklist_dict, township_year_end, year_end_checklist


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效,应写成 YYYY-MM-DD(如 2026-11-22)") from None


def _on(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD",
                   help=bilingual(f"{what}日期(默认今天)", "date (default today)"))


def _id(p: argparse.ArgumentParser) -> None:
    p.add_argument("posting", metavar="ID", help=bilingual("公示编号(列表中的前 8 位即可)", "posting id (8-char prefix is enough)"))


def register(sub: argparse._SubParsersAction) -> None:
    g = add_command(sub, "posting", "村务公示:审核、张贴、异议、归档、照片、台账", "village postings", None, json_output=False)  # type: ignore[arg-type]
    ps = g.add_subparsers(dest="posting_cmd", metavar="ACTION", required=True)
    lst = add_command(ps, "list", "列出公示", "list postings", cmd_list)
    lst.add_argument("--village", metavar="NAME")
    lst.add_argument("--year", type=int, metavar="YYYY")
    lst.add_argument("--status", choices=list(lc.STATUS_LABELS), help=bilingual("按状态筛选", "filter by status"))
    n = add_command(ps, "new", "登记一份待审核的公示", "register a draft posting", cmd_new)
    n.add_argument("--village", required=True, metavar="NAME")
    n.add_argument("--title", required=True)
    n.add_argument("--item", metavar="NAME", help=bilingual("对应的村务公开事项", "catalogue item"))
    n.add_argument("--slot", default="", metavar="PERIOD", help=bilingual("所属期间,如 2026-Q3、2026-10、2026", "period it covers"))
    n.add_argument("--group", default="", metavar="NAME", help=bilingual("村民小组,如 3组", "group"))
    _on(n, "登记")
    s = add_command(ps, "show", "查看公示详情和经过", "show a posting and its history", cmd_show)
    _id(s)
    r = add_command(ps, "review", "登记审核(村务监督委员会/民主理财小组)", "record the review", cmd_review)
    _id(r)
    r.add_argument("--reviewer", required=True, metavar="NAME", help=bilingual("审核人姓名", "reviewer name"))
    r.add_argument("--body", choices=REVIEWER_BODIES, default=REVIEWER_BODIES[0], help=bilingual("审核机构", "reviewing body"))
    _on(r, "审核")
    p = add_command(ps, "post", "登记张贴(地点、公示期)", "record the posting on the board", cmd_post)
    _id(p)
    p.add_argument("--where", choices=LOCATIONS, default=LOCATIONS[0], help=bilingual("张贴地点", "where"))
    p.add_argument("--days", type=int, metavar="N", help=bilingual("公示天数(打印时已定的可省略)", "period length"))
    p.add_argument("--working-days", action="store_true", help=bilingual("按工作日计算", "count working days"))
    p.add_argument("--start", type=_date, metavar="YYYY-MM-DD", help=bilingual("公示开始日期(默认张贴当日)", "period start"))
    _on(p, "张贴")
    e = add_command(ps, "end", "登记公示期满", "record the end of the period", cmd_end)
    _id(e)
    _on(e, "期满登记")
    o = add_command(ps, "object", "登记公示期内的异议", "record an objection", cmd_object)
    _id(o)
    o.add_argument("--content", required=True, help=bilingual("异议内容", "objection"))
    o.add_argument("--by", default="", metavar="NAME", help=bilingual("提出人", "raised by"))
    _on(o, "提出")
    an = add_command(ps, "answer", "答复异议", "answer an objection", cmd_answer)
    an.add_argument("objection", metavar="OBJECTION_ID")
    an.add_argument("--answer", required=True)
    an.add_argument("--by", default="", metavar="NAME")
    _on(an, "答复")
    c = add_command(ps, "correct", "登记更正稿(重新公示,关联原公示)", "register a corrected notice", cmd_correct)
    _id(c)
    c.add_argument("--reason", required=True)
    c.add_argument("--title", default=None)
    _on(c, "更正")
    a = add_command(ps, "archive", "归档(公示期满且异议已答复)", "archive after the period", cmd_archive)
    _id(a)
    a.add_argument("--place", default="村委会", help=bilingual("存放地点", "where the file is kept"))
    _on(a, "归档")
    at = add_command(ps, "attach", "附张贴照片(JPEG/PNG)", "attach photos of the posted sheet", cmd_attach)
    _id(at)
    at.add_argument("files", nargs="+", metavar="PHOTO")
    _on(at, "拍摄")
    cal = add_command(ps, "calendar", "某村某年的公示日历(应公开/已公开/逾期)", "a village's posting calendar", cmd_calendar)
    cal.add_argument("--village", required=True, metavar="NAME")
    cal.add_argument("--year", type=int, default=None, metavar="YYYY")
    _on(cal, "统计截止")
    add_command(ps, "overdue", "有逾期未公示事项的村", "villages with overdue items", cmd_overdue)
    y = add_command(ps, "year-end", "年底补贴发放结果公开核对清单", "year-end payout publication checklist", cmd_year_end)
    y.add_argument("--year", type=int, required=True, metavar="YYYY")
    y.add_argument("--village", metavar="NAME")
    rg = add_command(ps, "register", "导出公示台账(.xlsx 或 .pdf)", "export the posting register", cmd_register)
    rg.add_argument("--year", type=int, required=True, metavar="YYYY")
    rg.add_argument("--village", metavar="NAME", help=bilingual("只导出该村(默认全部)", "one village (default all)"))
    rg.add_argument("-o", "--output", required=True, metavar="FILE", help=bilingual("输出 .xlsx 或 .pdf", "output .xlsx or .pdf"))


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
