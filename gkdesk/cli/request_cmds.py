"""``request add|list|show|confirm|supplement|consult|extend|reply|appeal|fee|attach|print|export|templates``.

The register of disclosure requests (依申请公开). Codes or their Chinese labels are both
accepted for channel, applicant type, outcome, delivery and appeal kind/result.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import date

from gkdesk.cli.common import CliContext, add_command, bilingual, table
from gkdesk.disclosure import labels as L


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”无效,应写成 YYYY-MM-DD(如 2026-11-22)") from None


def _choice(labels: Mapping[str, str], what: str):  # type: ignore[no-untyped-def]
    by_label = {v: k for k, v in labels.items()}

    def parse(text: str) -> str:
        text = text.strip()
        if text in labels:
            return text
        if text in by_label:
            return by_label[text]
        opts = "、".join(f"{k}({v})" for k, v in labels.items())
        raise argparse.ArgumentTypeError(f"{what}“{text}”不认识,可选:{opts}")

    parse.__name__ = what
    return parse


def _opts(labels: Mapping[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in labels.items())


def _key(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", metavar="NUMBER", help=bilingual("申请编号,如 2026-003", "request number, e.g. 2026-003"))


def _on(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--on", type=_date, default=None, metavar="YYYY-MM-DD", help=bilingual(f"{what}日期(默认今天)", "date (default today)"))


def register(sub: argparse._SubParsersAction) -> None:
    g = add_command(sub, "request", "依申请公开登记台账:期限、答复、文书", "disclosure requests", None, json_output=False)  # type: ignore[arg-type]
    rs = g.add_subparsers(dest="request_cmd", metavar="ACTION", required=True)
    a = add_command(rs, "add", "登记收到的政府信息公开申请", "register a request", cmd_add)
    a.add_argument("--channel", type=_choice(L.CHANNEL_LABELS, "收到方式"), required=True, help=_opts(L.CHANNEL_LABELS))
    a.add_argument("--received", type=_date, required=True, metavar="YYYY-MM-DD",
                   help=bilingual("收到日期(当面:提交日;挂号信:签收日;平信/传真:到达日)", "day it arrived"))
    a.add_argument("--confirmed", type=_date, metavar="YYYY-MM-DD", help=bilingual("平信/传真:与申请人确认收到的日期", "confirmation day (letter/fax)"))
    a.add_argument("--applicant-type", type=_choice(L.APPLICANT_LABELS, "申请人类型"), default=L.AP_NATURAL, help=_opts(L.APPLICANT_LABELS))
    a.add_argument("--name", default="", help=bilingual("申请人姓名或名称(不会出现在导出和公开材料中)", "applicant name (never exported)"))
    a.add_argument("--contact", default="", help=bilingual("联系方式(不会出现在导出和公开材料中)", "contact (never exported)"))
    a.add_argument("--address", default="")
    a.add_argument("--content", required=True, help=bilingual("申请公开的政府信息内容", "information requested"))
    a.add_argument("--form", default="", help=bilingual("要求的提供形式,如 纸质、电子", "form asked for"))
    a.add_argument("--handler", dest="handled_by", default="", help=bilingual("承办人", "handler"))
    a.add_argument("--scan", nargs="*", default=[], metavar="FILE", help=bilingual("申请材料扫描件(PDF/JPG/PNG)", "scans"))
    ls = add_command(rs, "list", "列出申请及其期限", "list requests with their clocks", cmd_list)
    ls.add_argument("--year", type=int, metavar="YYYY")
    ls.add_argument("--open", action="store_true", help=bilingual("只列未答复的", "unanswered only"))
    s = add_command(rs, "show", "查看一件申请和计时经过", "show a request and its clock history", cmd_show)
    _key(s)
    c = add_command(rs, "confirm", "平信/传真:登记与申请人确认收到的日期", "confirm receipt (letter/fax)", cmd_confirm)
    _key(c)
    _on(c, "确认")
    sp = add_command(rs, "supplement", "发出补正通知,或登记收到补正后的申请", "supplement notice / corrected request", cmd_supplement)
    _key(sp)
    sp.add_argument("--items", default="", help=bilingual("需要补正的事项", "what to correct"))
    sp.add_argument("--until", type=_date, metavar="YYYY-MM-DD", help=bilingual("补正期限", "deadline for the applicant"))
    sp.add_argument("--received", type=_date, metavar="YYYY-MM-DD", help=bilingual("收到补正后申请的日期(答复期限重新计算)", "corrected request arrived"))
    _on(sp, "通知")
    cs = add_command(rs, "consult", "征求第三方/共同制作机关意见(期间不计入答复期限)", "consult a third party", cmd_consult)
    _key(cs)
    cs.add_argument("--party", default="", help=bilingual("第三方或机关名称", "who is consulted"))
    cs.add_argument("--coproducer", action="store_true", help=bilingual("征求共同制作机关意见", "co-producing agency"))
    cs.add_argument("--end", action="store_true", help=bilingual("登记征求意见结束(收到意见或期满)", "consultation ended"))
    cs.add_argument("--note", default="")
    _on(cs, "征求/结束")
    e = add_command(rs, "extend", "延期答复(最长20个工作日,须负责人同意)", "extend the reply period", cmd_extend)
    _key(e)
    e.add_argument("--days", type=int, required=True)
    e.add_argument("--approver", required=True, help=bilingual("批准人", "approved by"))
    e.add_argument("--reason", default="")
    _on(e, "决定延期")
    lt = add_command(rs, "later", "申请数量较大:确定提供日期(条例第三十五条)", "set a later date for a large request", cmd_later)
    _key(lt)
    lt.add_argument("--until", type=_date, required=True, metavar="YYYY-MM-DD", help=bilingual("提供日期", "date to provide by"))
    lt.add_argument("--reason", default="")
    _on(lt, "决定")
    rp = add_command(rs, "reply", "登记答复(类型按年度报告表三)", "record the reply", cmd_reply)
    _key(rp)
    rp.add_argument("--outcome", type=_choice(L.OUTCOME_LABELS, "答复类型"), required=True, help=_opts(L.OUTCOME_LABELS))
    rp.add_argument("--delivery", type=_choice(L.DELIVERY_LABELS, "送达方式"), required=True, help=_opts(L.DELIVERY_LABELS))
    rp.add_argument("--on-the-spot", action="store_true", help=bilingual("当场答复", "answered on the spot"))
    rp.add_argument("--repeat-of", metavar="NUMBER", help=bilingual("重复申请:前一次申请的编号", "earlier request"))
    rp.add_argument("--note", default="", help=bilingual("答复说明", "reply text"))
    _on(rp, "答复")
    ap = add_command(rs, "appeal", "登记针对答复的行政复议/行政诉讼及结果", "record an appeal", cmd_appeal)
    _key(ap)
    ap.add_argument("--kind", type=_choice(L.APPEAL_KIND_LABELS, "类型"), required=True, help=_opts(L.APPEAL_KIND_LABELS))
    ap.add_argument("--filed", type=_date, required=True, metavar="YYYY-MM-DD")
    ap.add_argument("--result", type=_choice(L.APPEAL_RESULT_LABELS, "结果"), default=L.AR_PENDING, help=_opts(L.APPEAL_RESULT_LABELS))
    ap.add_argument("--decided", type=_date, metavar="YYYY-MM-DD")
    ap.add_argument("--appeal-id", metavar="ID", help=bilingual("更新已登记的复议/诉讼结果", "update an existing appeal"))
    ap.add_argument("--note", default="")
    f = add_command(rs, "fee", "计算并登记信息处理费", "compute and record the processing fee", cmd_fee)
    _key(f)
    f.add_argument("--mode", choices=["per_request", "per_page", "none"], required=True,
                   help=bilingual("per_request=按件, per_page=按量, none=不收费", "fee basis"))
    f.add_argument("--pages", type=int, default=0)
    f.add_argument("--paid", type=_date, metavar="YYYY-MM-DD")
    at = add_command(rs, "attach", "附申请材料扫描件", "attach scans", cmd_attach)
    _key(at)
    at.add_argument("files", nargs="+", metavar="FILE")
    pr = add_command(rs, "print", "生成答复文书 PDF", "print a reply document", cmd_print)
    _key(pr)
    pr.add_argument("--doc", choices=["reply", "supplement", "extension", "consult", "provide_date", "repeat"], default="reply",
                    help=bilingual("reply=答复告知书 supplement=补正申请通知书 extension=延期答复告知书 consult=征求第三方意见书 "
                                   "provide_date=政府信息提供日期通知书 repeat=重复申请告知书", "document"))
    pr.add_argument("--provide-on", type=_date, metavar="YYYY-MM-DD", help=bilingual("提供信息的日期(提供日期通知书)", "date to provide"))
    pr.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    x = add_command(rs, "export", "导出登记台账 .xlsx", "export the register", cmd_export)
    x.add_argument("--year", type=int, metavar="YYYY")
    x.add_argument("-o", "--output", required=True, metavar="OUT.xlsx")
    u = add_command(rs, "undo", "撤销一件申请最近登记的一步(登记错误时)", "withdraw the latest step", cmd_undo)
    _key(u)
    v = add_command(rs, "void", "作废登记错误的申请", "strike a request registered by mistake", cmd_void)
    _key(v)
    v.add_argument("--reason", required=True)
    cy = add_command(rs, "county", "县级:各乡镇未答复和超期的申请", "county: open and overdue requests per township", cmd_county)
    cy.add_argument("--year", type=int, metavar="YYYY")
    t = add_command(rs, "templates", "写出文书模板供修改", "write the document templates for editing", cmd_templates)
    t.add_argument("folder")


def _emit_step(ctx: CliContext, res) -> int:  # type: ignore[no-untyped-def]
    ctx.emit({"status": "ok", "request": res.request, "detail": res.detail, "warnings": res.warning_lines()},
             "\n".join([res.summary(), *res.warning_lines()]))
    return 0


def cmd_add(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    res = disclosure.add(ctx.ws, channel=args.channel, arrived_on=args.received, confirmed_on=args.confirmed,
                         applicant_type=args.applicant_type, applicant_name=args.name, contact=args.contact,
                         address=args.address, content=args.content, form=args.form, handler=args.handled_by,
                         scans=args.scan)
    return _emit_step(ctx, res)


def cmd_list(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    res = disclosure.list_requests(ctx.ws, year=args.year, open_only=args.open)
    rows = [[d["number"], d["received_on"] or d["arrived_on"], d["applicant_type_label"], d["content"][:24],
             d.get("due_on") or "", d.get("status_text", d["state_label"]), d["outcome_label"]] for d in res.rows]
    ctx.emit({"requests": res.rows, "missing_years": res.missing_years},
             table(rows, ["编号", "收到日期", "申请人类型", "内容", "答复期限", "状态", "答复类型"]) + "\n" + res.summary())
    return 0


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    d = disclosure.show(ctx.ws, args.number)
    lines = [f"申请 {d['number']}  {d['channel_label']}  收到 {d['received_on'] or d['arrived_on'] + '(待确认)'}",
             f"申请人:{d['applicant'].get('name', '')}({d['applicant_type_label']})  {d['applicant'].get('contact', '')}",
             f"内容:{d['content']}", f"状态:{d.get('status_text', d['state_label'])}  答复期限:{d.get('due_on') or '—'}"]
    if d["outcome"]:
        lines.append(f"答复:{d['replied_on']} {d['outcome_label']}({d['delivery_label']})")
    lines += [f"  {h['day']}  {h['label']}:{h['text']}" for h in d.get("history", [])]
    lines += [f"  {a['kind_label']} {a['filed_on']}:{a['result_label']}" for a in d["appeals"]]
    ctx.emit(d, "\n".join(lines))
    return 0


def cmd_confirm(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.confirm(ctx.ws, args.number, args.on or date.today()))


def cmd_supplement(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    if args.received:
        return _emit_step(ctx, disclosure.supplied(ctx.ws, args.number, args.received))
    return _emit_step(ctx, disclosure.supplement(ctx.ws, args.number, args.on or date.today(), args.items,
                                                 until=args.until))


def cmd_consult(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    day = args.on or date.today()
    if args.end:
        return _emit_step(ctx, disclosure.consult_end(ctx.ws, args.number, day, note=args.note))
    kind = L.CONSULT_COPRODUCER if args.coproducer else L.CONSULT_THIRD
    return _emit_step(ctx, disclosure.consult(ctx.ws, args.number, day, args.party, kind=kind))


def cmd_extend(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.extend(ctx.ws, args.number, args.on or date.today(), args.days, args.approver,
                                             reason=args.reason))


def cmd_reply(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.reply(ctx.ws, args.number, args.outcome, args.delivery,
                                            day=args.on or (None if args.on_the_spot else date.today()),
                                            note=args.note, on_the_spot=args.on_the_spot, repeat_of=args.repeat_of))


def cmd_appeal(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.appeal(ctx.ws, args.number, args.kind, args.filed, result=args.result,
                                             decided_on=args.decided, note=args.note, appeal_id=args.appeal_id))


def cmd_fee(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    mode = "" if args.mode == "none" else args.mode
    return _emit_step(ctx, disclosure.fee(ctx.ws, args.number, mode, pages=args.pages, paid_on=args.paid))


def cmd_attach(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.attach(ctx.ws, args.number, args.files))


def cmd_print(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    res = disclosure.print_document(ctx.ws, args.number, args.doc, args.output, provide_on=args.provide_on)
    ctx.emit({"status": "ok", "file": res.file, "title": res.title, "template": res.template,
              "missing_chars": res.missing_chars}, res.summary())
    return 0


def cmd_export(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    res = disclosure.export_register(ctx.ws, args.output, year=args.year)
    ctx.emit({"status": "ok", "file": res.file, "rows": res.rows, "title": res.title}, res.summary())
    return 0


def cmd_templates(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    res = disclosure.export_templates(ctx.ws, args.folder)
    ctx.emit({"status": "ok", "folder": res.folder, "files": res.files}, res.summary())
    return 0


def cmd_county(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    res = disclosure.county_overview(ctx.ws, year=args.year)
    ctx.emit({"townships": [t.to_dict() for t in res.townships]}, "\n".join(res.lines()))
    return 0


def cmd_undo(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.undo(ctx.ws, args.number))


def cmd_void(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.void(ctx.ws, args.number, args.reason))


def cmd_later(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import disclosure

    return _emit_step(ctx, disclosure.later_date(ctx.ws, args.number, args.on or date.today(), args.until,
                                                 reason=args.reason))
