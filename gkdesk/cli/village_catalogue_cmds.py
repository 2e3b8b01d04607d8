"""``villages catalogue …``: each village's 公开事项目录 (arguments; handlers load on use)."""

from __future__ import annotations

import argparse

from gkdesk.cli.common import add_command, bilingual, lazy


def register_catalogue(vs: argparse._SubParsersAction) -> None:
    c = add_command(vs, "catalogue", "村(居)务公开事项目录", "village disclosure catalogue", None, json_output=False)  # type: ignore[arg-type]
    cs = c.add_subparsers(dest="catalogue_cmd", metavar="ACTION", required=True)
    a = add_command(cs, "adopt", "为全部(或指定)村采用内置目录模板", "adopt the built-in template", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_adopt"))
    a.add_argument("--scheme", choices=["four", "three", "party", "service"], default="four",
                   help=bilingual("分类:four 党务/村务/财务/事务(默认),three 制度类/事务类/财务类,"
                                  "party 党务/政务/事务/财务,service 政务/村务/财务/服务",
                                  "categories: four (default), three, party or service"))
    a.add_argument("--village", action="append", metavar="NAME", help=bilingual("只为该村采用(可重复)", "only this village (repeatable)"))
    lst = add_command(cs, "list", "列出某村的公开事项", "list a village's items", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_list"))
    lst.add_argument("--village", required=True, metavar="NAME", help=bilingual("村(社区)名称", "village"))
    i = add_command(cs, "import", "从 Excel 导入县级目录模板并采用", "import a county template from Excel", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_import"))
    i.add_argument("file", metavar="FILE.xlsx", help=bilingual("含“公开事项”“公开时限”列的表格", "sheet with 公开事项/公开时限 columns"))
    i.add_argument("--village", action="append", metavar="NAME", help=bilingual("只为该村采用(可重复)", "only this village (repeatable)"))
    s = add_command(cs, "set", "修改某村某事项的公开频次", "change an item's frequency", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_set"))
    s.add_argument("--village", required=True, metavar="NAME")
    s.add_argument("--item", required=True, metavar="NAME", help=bilingual("事项名称(可写部分)", "item name (or part)"))
    s.add_argument("--frequency", required=True, metavar="TEXT",
                   help=bilingual("随时/每月/每季度/每半年/每年,可带“首月20日”", "e.g. 每季度首月20日"))
    ad = add_command(cs, "add", "为某村添加公开事项", "add an item to a village", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_add"))
    ad.add_argument("--village", required=True, metavar="NAME")
    ad.add_argument("--item", required=True, metavar="NAME")
    ad.add_argument("--category", required=True, metavar="TEXT", help=bilingual("类别,如 党务、村务、财务、事务", "category"))
    ad.add_argument("--frequency", required=True, metavar="TEXT")
    r = add_command(cs, "remove", "删除某村的公开事项(法定事项须写明原因)", "remove an item", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_remove"))
    r.add_argument("--village", required=True, metavar="NAME")
    r.add_argument("--item", required=True, metavar="NAME")
    r.add_argument("--reason", default="", help=bilingual("原因,如“本村不涉及”", "reason"))
    b = add_command(cs, "busy", "标记村集体财务往来较多(财务事项改为每月公开)", "mark busy finances (monthly)", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_busy"))
    b.add_argument("--village", required=True, metavar="NAME")
    b.add_argument("--off", action="store_true", help=bilingual("取消标记", "clear the mark"))
    rv = add_command(cs, "reviewers", "设置某村的审核人(村务监督委员会主任、民主理财小组组长)", "set a village's usual reviewers", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_reviewers"))
    rv.add_argument("--village", required=True, metavar="NAME")
    rv.add_argument("--supervision", metavar="NAME", help=bilingual("村务监督委员会主任", "head of the supervision committee"))
    rv.add_argument("--finance", metavar="NAME", help=bilingual("民主理财小组组长", "head of the finance group"))
    tr = add_command(cs, "tracking", "设置从哪个月开始跟踪公示(此前各期不计逾期)", "start tracking from a month", lazy("gkdesk.cli.village_catalogue_handlers", "cmd_tracking"))
    tr.add_argument("month", metavar="YYYY-MM", help=bilingual("开始跟踪的月份,如 2026-11", "first tracked month"))
    tr.add_argument("--village", action="append", metavar="NAME", help=bilingual("只设该村(可重复;默认全部)", "only this village (repeatable)"))
