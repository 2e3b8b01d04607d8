"""``settings show|notices``: what every notice prints (county hotlines, ID masking rule, font).

The same operations as the window's 设置 page (:mod:`gkdesk.app.setup`); the handlers load them on use.
"""

from __future__ import annotations

import argparse

from gkdesk.cli.common import CliContext, add_command, bilingual


def register(sub: argparse._SubParsersAction) -> None:
    g = add_command(sub, "settings", "设置:公示上的监督电话、身份证号显示规则、公示字体", "settings", None, json_output=False)  # type: ignore[arg-type]
    gs = g.add_subparsers(dest="settings_cmd", metavar="ACTION", required=True)
    add_command(gs, "show", "查看公示设置", "show the notice settings", cmd_show)
    n = add_command(gs, "notices", "修改公示设置(只改给出的项)", "change the notice settings", cmd_notices)
    n.add_argument("--county-phones", metavar="TEXT", default=None,
                   help=bilingual("县级监督举报电话,多个用分号隔开;空字符串表示清除", "county hotlines, ';'-separated"))
    n.add_argument("--id-mask", metavar="RULE", default=None,
                   help=bilingual("身份证号部分显示规则:first6last4、hide_birth、first3last4、first1last1", "ID mask rule"))
    n.add_argument("--notice-font", metavar="FILE", default=None,
                   help=bilingual("公示字体文件(.ttf/.ttc,可带 #序号);空字符串表示自动选择", "notice font file; '' = automatic"))


def cmd_show(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.notice_settings(ctx.ws)
    ctx.emit({"county_phones": res.county_phones, "id_mask_pattern": res.id_mask_pattern,
              "notice_font": res.notice_font}, res.summary())
    return 0


def cmd_notices(ctx: CliContext, args: argparse.Namespace) -> int:
    from gkdesk.app import setup

    res = setup.set_notice_settings(ctx.ws, county_phones=args.county_phones, id_mask_pattern=args.id_mask,
                                    notice_font=args.notice_font)
    ctx.emit({"status": "ok", "changed": res.changed, "county_phones": res.county_phones,
              "id_mask_pattern": res.id_mask_pattern, "notice_font": res.notice_font}, res.summary())
    return 0
