"""Demo catalogue: the built-in domains and items, a few of the township's own periodic
items, publications and pending information, so 首页 shows overdue, due-soon and
never-published items and 标准目录 has history to browse. Dates are relative to today."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from gkdesk import demo
from gkdesk.catalogue import core

OWN_ITEMS = [
    ("涉农补贴", "惠民惠农财政补贴资金", "补贴发放情况", "每季度首月20日",
     "补贴项目、补贴对象、补贴标准、发放金额(分村汇总,不含身份证号和账号)", "村务公开栏、政府网站"),
    ("财政预决算", "乡镇预算决算", "乡镇部门预算", "部门预算经本级财政部门批复后20日内公开",
     "部门预算报表及说明、“三公”经费预算", "政府网站"),
    ("乡村振兴", "衔接推进乡村振兴补助资金", "项目库及资金使用情况", "每半年",
     "项目名称、建设内容、资金规模、实施进度、绩效目标", "政府网站、村务公开栏"),
    ("公共法律服务", "法律援助", "法律援助办事指南", "及时公开", "申请条件、所需材料、办理地点、联系电话", "政务公开专区"),
]


@demo.contributor
def add_demo_catalogue(session: Session, operator: str, rng: random.Random) -> dict[str, int]:
    today = date.today()
    core.ensure_seeded(session, operator)
    long_ago = datetime.combine(today - timedelta(days=300), datetime.min.time())
    for dom, l1, l2, tl, content, channels in OWN_ITEMS:
        res = core.add_item(session, dom, l1, l2, time_limit=tl, content=content, operator=operator,
                            publisher="乡镇人民政府", audience=["全社会"], mode=["主动"], levels=["乡级"],
                            channels=[{"name": c, "mark": "used"} for c in channels.split("、")])
        core.find_item(session, res.data["item"]["id"]).created_at = long_ago
    pubs = 0

    def publish(ref: str, days_ago: int, channel: str, title: str, formed_days_ago: int | None = None) -> None:
        nonlocal pubs
        formed = today - timedelta(days=formed_days_ago) if formed_days_ago is not None else None
        core.add_publication(session, ref, today - timedelta(days=days_ago), channel=channel, title=title,
                             formed_on=formed, operator=operator)
        pubs += 1

    publish("社会救助/综合业务/政策法规文件", 160, "政府网站", "社会救助政策文件汇编", 170)
    publish("社会救助/综合业务/监督检查", 90, "公开查阅点", "社会救助投诉举报电话公告", 95)
    publish("涉农补贴/耕地建设与利用资金/耕地地力保护和种粮大户补贴", 60, "村务公开栏", "耕地地力保护补贴发放名单公示", 75)
    publish("涉农补贴/农业产业发展资金/农机购置与应用补贴", 40, "政府网站", "农机购置与应用补贴申请指南", 45)
    q = "涉农补贴/惠民惠农财政补贴资金/补贴发放情况"
    for days in (280, 190):  # two earlier quarters published, the last one missed
        publish(q, days, "村务公开栏", "惠民惠农补贴资金发放情况(分村汇总)")
    publish("乡村振兴/衔接推进乡村振兴补助资金/项目库及资金使用情况", 150, "政府网站", "上半年衔接资金项目公开")
    core.set_pending(session, "社会救助/最低生活保障/审核信息", today - timedelta(days=25), operator)
    core.set_pending(session, "社会救助/特困人员救助供养/审核信息", today - timedelta(days=4), operator)
    core.set_pending(session, "财政预决算/乡镇预算决算/乡镇部门预算", today - timedelta(days=30), operator)
    core.mark_not_applicable(session, "城市综合执法", "本镇未承担城市综合执法职责(由县综合行政执法局负责)",
                             operator=operator)
    core.mark_not_applicable(session, "税收管理", "税收事项由县税务局办理,本镇未涉及", operator=operator)
    return {"catalogue_items": len(core.items(session)), "publications": pubs}
