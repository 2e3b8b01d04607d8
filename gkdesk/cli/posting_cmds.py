"""``posting …``: the life of a village posting, its evidence, the calendar, the year-end duty, the register.

Only the argument definitions live here; the handlers are in ``posting_handlers`` and load on use.
"""

from __future__ import annotations

import argparse
from datetime import date

from gkdesk.cli.common import add_command, bilingual, lazy
from gkdesk.postings.labels import LOCATIONS, REVIEWER_BODIES, STATUS_LABELS


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
    lst = add_command(ps, "list", "列出公示", "list postings", lazy("gkdesk.cli.posting_handlers", "cmd_list"))
    lst.add_argument("--village", metavar="NAME")
    lst.add_argument("--year", type=int, metavar="YYYY")
    lst.add_argument("--status", choices=list(STATUS_LABELS), help=bilingual("按状态筛选", "filter by status"))
    n = add_command(ps, "new", "登记一份待审核的公示", "register a draft posting", lazy("gkdesk.cli.posting_handlers", "cmd_new"))
    n.add_argument("--village", required=True, metavar="NAME")
    n.add_argument("--title", required=True)
    n.add_argument("--item", metavar="NAME", help=bilingual("对应的村务公开事项", "catalogue item"))
    n.add_argument("--slot", default="", metavar="PERIOD", help=bilingual("所属期间,如 2026-Q3、2026-10、2026", "period it covers"))
    n.add_argument("--group", default="", metavar="NAME", help=bilingual("村民小组,如 3组", "group"))
    _on(n, "登记")
    s = add_command(ps, "show", "查看公示详情和经过", "show a posting and its history", lazy("gkdesk.cli.posting_handlers", "cmd_show"))
    _id(s)
    r = add_command(ps, "review", "登记审核(村务监督委员会/民主理财小组)", "record the review", lazy("gkdesk.cli.posting_handlers", "cmd_review"))
    _id(r)
    r.add_argument("--reviewer", required=True, metavar="NAME", help=bilingual("审核人姓名", "reviewer name"))
    r.add_argument("--body", choices=REVIEWER_BODIES, default=REVIEWER_BODIES[0], help=bilingual("审核机构", "reviewing body"))
    _on(r, "审核")
    p = add_command(ps, "post", "登记张贴(地点、公示期)", "record the posting on the board", lazy("gkdesk.cli.posting_handlers", "cmd_post"))
    _id(p)
    p.add_argument("--where", choices=LOCATIONS, default=LOCATIONS[0], help=bilingual("张贴地点", "where"))
    p.add_argument("--days", type=int, metavar="N", help=bilingual("公示天数(打印时已定的可省略)", "period length"))
    p.add_argument("--working-days", action="store_true", help=bilingual("按工作日计算", "count working days"))
    p.add_argument("--start", type=_date, metavar="YYYY-MM-DD", help=bilingual("公示开始日期(默认张贴当日)", "period start"))
    _on(p, "张贴")
    e = add_command(ps, "end", "登记公示期满", "record the end of the period", lazy("gkdesk.cli.posting_handlers", "cmd_end"))
    _id(e)
    _on(e, "期满登记")
    o = add_command(ps, "object", "登记公示期内的异议", "record an objection", lazy("gkdesk.cli.posting_handlers", "cmd_object"))
    _id(o)
    o.add_argument("--content", required=True, help=bilingual("异议内容", "objection"))
    o.add_argument("--by", default="", metavar="NAME", help=bilingual("提出人", "raised by"))
    _on(o, "提出")
    an = add_command(ps, "answer", "答复异议", "answer an objection", lazy("gkdesk.cli.posting_handlers", "cmd_answer"))
    an.add_argument("objection", metavar="OBJECTION_ID")
    an.add_argument("--answer", required=True)
    an.add_argument("--by", default="", metavar="NAME")
    _on(an, "答复")
    c = add_command(ps, "correct", "登记更正稿(重新公示,关联原公示)", "register a corrected notice", lazy("gkdesk.cli.posting_handlers", "cmd_correct"))
    _id(c)
    c.add_argument("--reason", required=True)
    c.add_argument("--title", default=None)
    _on(c, "更正")
    a = add_command(ps, "archive", "归档(公示期满且异议已答复)", "archive after the period", lazy("gkdesk.cli.posting_handlers", "cmd_archive"))
    _id(a)
    a.add_argument("--place", default="村委会", help=bilingual("存放地点", "where the file is kept"))
    _on(a, "归档")
    at = add_command(ps, "attach", "附张贴照片(JPEG/PNG)", "attach photos of the posted sheet", lazy("gkdesk.cli.posting_handlers", "cmd_attach"))
    _id(at)
    at.add_argument("files", nargs="+", metavar="PHOTO")
    _on(at, "拍摄")
    cal = add_command(ps, "calendar", "某村某年的公示日历(应公开/已公开/逾期)", "a village's posting calendar", lazy("gkdesk.cli.posting_handlers", "cmd_calendar"))
    cal.add_argument("--village", required=True, metavar="NAME")
    cal.add_argument("--year", type=int, default=None, metavar="YYYY")
    _on(cal, "统计截止")
    add_command(ps, "overdue", "有逾期未公示事项的村", "villages with overdue items", lazy("gkdesk.cli.posting_handlers", "cmd_overdue"))
    y = add_command(ps, "year-end", "年底补贴发放结果公开核对清单", "year-end payout publication checklist", lazy("gkdesk.cli.posting_handlers", "cmd_year_end"))
    y.add_argument("--year", type=int, required=True, metavar="YYYY")
    y.add_argument("--village", metavar="NAME")
    rg = add_command(ps, "register", "导出公示台账(.xlsx 或 .pdf)", "export the posting register", lazy("gkdesk.cli.posting_handlers", "cmd_register"))
    rg.add_argument("--year", type=int, required=True, metavar="YYYY")
    rg.add_argument("--village", metavar="NAME", help=bilingual("只导出该村(默认全部)", "one village (default all)"))
    rg.add_argument("-o", "--output", required=True, metavar="FILE", help=bilingual("输出 .xlsx 或 .pdf", "output .xlsx or .pdf"))
    rec = add_command(ps, "record", "补录已审核、已张贴的公示(日期可早于今天)", "record a posting made on past dates", lazy("gkdesk.cli.posting_handlers", "cmd_record"))
    rec.add_argument("--village", required=True, metavar="NAME")
    rec.add_argument("--item", required=True, metavar="NAME", help=bilingual("对应的村务公开事项", "catalogue item"))
    rec.add_argument("--slot", required=True, metavar="PERIOD", help=bilingual("所属期间,如 2026-Q3、2026-09", "period it covers"))
    rec.add_argument("--posted-on", required=True, type=_date, metavar="YYYY-MM-DD", help=bilingual("张贴日期", "posted on"))
    rec.add_argument("--reviewer", required=True, metavar="NAME", help=bilingual("审核人姓名", "reviewer name"))
    rec.add_argument("--body", choices=REVIEWER_BODIES, default=REVIEWER_BODIES[0], help=bilingual("审核机构", "reviewing body"))
    rec.add_argument("--reviewed-on", type=_date, metavar="YYYY-MM-DD", help=bilingual("审核日期(默认同张贴日期)", "reviewed on"))
    rec.add_argument("--where", choices=LOCATIONS, default=LOCATIONS[0], help=bilingual("张贴地点", "where"))
    rec.add_argument("--days", type=int, default=7, metavar="N", help=bilingual("公示天数", "period length"))
    rec.add_argument("--working-days", action="store_true", help=bilingual("按工作日计算", "count working days"))
    rec.add_argument("--title", default=None)
    w = add_command(ps, "withdraw", "撤回登记错误的公示(保留记录和原因)", "withdraw a posting registered in error", lazy("gkdesk.cli.posting_handlers", "cmd_withdraw"))
    _id(w)
    w.add_argument("--reason", required=True, help=bilingual("撤回原因", "reason"))
    _on(w, "撤回")
    am = add_command(ps, "amend", "更正公示记录(标题、审核人、日期、地点;写明原因)", "correct a posting's record", lazy("gkdesk.cli.posting_handlers", "cmd_amend"))
    _id(am)
    am.add_argument("--reason", required=True, help=bilingual("更正原因", "reason"))
    am.add_argument("--title", default=None)
    am.add_argument("--reviewer", default=None, metavar="NAME")
    am.add_argument("--body", choices=REVIEWER_BODIES, default=None)
    am.add_argument("--reviewed-on", type=_date, default=None, metavar="YYYY-MM-DD")
    am.add_argument("--posted-on", type=_date, default=None, metavar="YYYY-MM-DD")
    am.add_argument("--where", choices=LOCATIONS, default=None)
    _on(am, "更正")
