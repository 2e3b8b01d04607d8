"""Due dates across the 2025 National Day holiday (10/1–10/8, 调休 Sunday 9/28 and Saturday 10/11)."""

from __future__ import annotations

from datetime import date

import pytest

from gkdesk import workdays
from gkdesk.catalogue import core, due


def _item(s, level2: str, time_limit: str, domain: str = "社会救助"):
    return core.find_item(s, core.add_item(s, domain, "测试事项", level2, time_limit=time_limit,
                                           operator="测试员").data["item"]["id"])


def _occ(s, item, today: date, since: date | None = None):
    cal = workdays.load(s)
    horizon = cal.add_workdays(today, 10)
    return due.item_occurrences(item, core.publications(item), cal, today, horizon, since)


def test_calendar_has_2025_national_day(store):
    with store.session() as s:
        cal = workdays.load(s)
        assert not cal.is_workday(date(2025, 10, 8)) and cal.is_workday(date(2025, 9, 28))
        assert cal.is_workday(date(2025, 10, 11))


@pytest.mark.parametrize(("time_limit", "formed", "expected"), [
    # 9/26 Fri; 9/28 Sun is a make-up working day; 10/1–10/8 off; 10/11 Sat works
    ("制定或获取信息之日起10个工作日内", date(2025, 9, 26), date(2025, 10, 16)),
    ("自政府信息形成或者变更之日起3个工作日内", date(2025, 9, 26), date(2025, 9, 30)),
    ("作出行政决定之日起7个工作日内公示", date(2025, 9, 27), date(2025, 10, 13)),
    # natural days: 9/18 + 20 = 10/8, a holiday → rolls to 10/9
    ("经批复后20日内公开", date(2025, 9, 18), date(2025, 10, 9)),
    # prompt: the 20-working-day backstop
    ("及时公开", date(2025, 9, 26), date(2025, 10, 30)),
])
def test_event_deadlines(store, time_limit, formed, expected):
    with store.session() as s:
        item = _item(s, "事件", time_limit)
        core.set_pending(s, item.id, formed, operator="测试员")
        occ = _occ(s, item, today=date(2025, 10, 10))
        assert [(o.due, o.start) for o in occ] == [(expected, formed)]
        horizon = date(2025, 10, 23)  # 10 working days after 10/10 (10/11 is a 调休 Saturday)
        want = due.OVERDUE if expected < date(2025, 10, 10) else due.DUE_SOON if expected <= horizon else due.PENDING
        assert occ[0].status == want


def test_publication_on_time_and_late(store):
    with store.session() as s:
        item = _item(s, "审批信息", "制定或获取信息之日起10个工作日内")
        # formed 9/26 → due 10/16; published 10/17: late
        core.add_publication(s, item.id, date(2025, 10, 17), formed_on=date(2025, 9, 26), channel="政府网站",
                             title="9月低保审批名单")
        # formed 9/29 → 9/30, 10/9, 10/10, 10/11(调休), 10/13 … 10/20 is the 10th working day
        core.add_publication(s, item.id, date(2025, 10, 17), formed_on=date(2025, 9, 29), channel="政府网站",
                             title="9月低保审批名单(补)")
        occ = _occ(s, item, today=date(2025, 10, 20))
        assert [(o.status, o.due) for o in occ] == [(due.LATE, date(2025, 10, 16)), (due.DONE, date(2025, 10, 20))]


def test_quarterly_occurrences_and_fixed_day(store):
    with store.session() as s:
        q = _item(s, "季度", "每季度")
        q20 = _item(s, "季度首月", "每季度首月20日")
        m5 = _item(s, "每月", "每月5日")
        core.add_publication(s, q.id, date(2025, 9, 30), channel="村务公开栏", title="三季度公开")
        occ = _occ(s, q, today=date(2025, 10, 10), since=date(2025, 7, 1))
        assert [(o.period, o.due, o.status) for o in occ] == [
            ("2025年第3季度", date(2025, 9, 30), due.DONE),
            ("2025年第4季度", date(2025, 12, 31), due.PENDING),
        ]
        occ = _occ(s, q20, today=date(2025, 10, 10), since=date(2025, 7, 1))
        assert [(o.period, o.due, o.status) for o in occ] == [
            ("2025年第3季度", date(2025, 10, 20), due.DUE_SOON),  # 10/23 is the horizon end
            ("2025年第4季度", date(2026, 1, 20), due.PENDING),
        ]
        occ = _occ(s, m5, today=date(2025, 10, 10), since=date(2025, 9, 1))
        # September is due 10/5, a holiday → the next working day 10/9; nothing published → overdue
        assert [(o.period, o.due, o.status) for o in occ] == [
            ("2025年9月", date(2025, 10, 9), due.OVERDUE),
            ("2025年10月", date(2025, 11, 5), due.PENDING),
        ]


def test_fixed_date_and_text_rules(store):
    with store.session() as s:
        fd = _item(s, "年报", "1月31日前")
        txt = _item(s, "无期限", "视情况而定")
        core.add_publication(s, fd.id, date(2025, 1, 20), channel="政府网站", title="2024年度报告")
        occ = _occ(s, fd, today=date(2025, 10, 10), since=date(2025, 1, 1))
        assert [(o.due, o.status) for o in occ] == [(date(2025, 1, 31), due.DONE), (date(2026, 1, 31), due.PENDING)]
        occ = _occ(s, txt, today=date(2025, 10, 10))
        assert [(o.status, o.due) for o in occ] == [(due.NEVER, None)]


def test_calendar_missing_is_said_not_guessed(store):
    with store.session() as s:
        item = _item(s, "远期", "20个工作日内")
        core.set_pending(s, item.id, date(2099, 3, 1), operator="测试员")
        board = due.dashboard(s, today=date(2025, 10, 10))
        occ = board.by_item[item.id]
        assert occ[0].status == due.CALENDAR_MISSING and occ[0].due is None
        assert occ[0].note == "待补充2099年节假日安排"
        assert "待补充2099年节假日安排" in board.notes


def test_dashboard_lists(store):
    with store.session() as s:
        a = _item(s, "逾期", "10个工作日内")
        b = _item(s, "将到期", "10个工作日内")
        core.set_pending(s, a.id, date(2025, 9, 1), operator="测试员")
        core.set_pending(s, b.id, date(2025, 10, 9), operator="测试员")
        core.mark_not_applicable(s, "社会救助", "临时救助由县民政局审批", item="临时救助/审核审批信息", operator="测试员")
        board = due.dashboard(s, today=date(2025, 10, 10))
        assert board.horizon_end == date(2025, 10, 23)
        assert [(o.label, o.due) for o in board.overdue] == [("测试事项 / 逾期", date(2025, 9, 15))]
        assert [(o.label, o.due) for o in board.due_soon] == [("测试事项 / 将到期", date(2025, 10, 22))]
        never = {o.label for o in board.never}
        assert "最低生活保障 / 审核信息" in never and "临时救助 / 审核审批信息" not in never
        sj = next(c for c in board.completion if c["domain"] == "社会救助")
        # 15 template rows + 2 test items, less 2 county 审批 rows and the one marked 未涉及
        assert sj == {"domain": "社会救助", "items": 14, "published": 0, "overdue": 1, "percent": 0}
