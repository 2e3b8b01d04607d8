"""The 条例's clocks on the real stored calendar (seeded from chinesecalendar, 2004–2026).

Dates below were counted by hand on the State Council schedules and cross-checked: 2025
National Day is 1–8 October with 28 September (Sunday) and 11 October (Saturday) worked;
2026 清明 is 4–6 April; 2027 is not in the calendar.
"""

from __future__ import annotations

from datetime import date

import pytest

from gkdesk.app import calendar as app_calendar
from gkdesk.app import disclosure as app
from gkdesk.app.workspace import Workspace
from gkdesk.disclosure import clock as ck
from gkdesk.disclosure import labels as L
from gkdesk.errors import GkError, InputRejected
from gkdesk.hints import Hint


@pytest.fixture
def ws(store):
    return Workspace(store, operator="测试员")


def _add(ws, arrived, today, **kw):
    args = dict(channel=L.CH_IN_PERSON, arrived_on=arrived, applicant_type=L.AP_NATURAL,
                content="2025年高桥村道路硬化项目资金使用情况", applicant_name="张三", contact="13800138000")
    args.update(kw)
    return app.add(ws, today=today, **args)


def test_friday_before_national_day(ws):
    res = _add(ws, date(2025, 9, 26), date(2025, 9, 26))
    r = res.request
    assert r["number"] == "2025-001"
    assert r["received_on"] == "2025-09-26"
    # 28 Sep (a Sunday worked), 29, 30 Sep, then the holiday 1–8 Oct, then 9 Oct …
    assert r["due_on"] == "2025-10-30"
    assert r["supplement_notice_due"] == "2025-10-13"
    assert r["days_left"] == 20 and r["state"] == L.ST_RUNNING
    # on 9 October (first day back) 16 working days are left: 28, 29, 30 Sep and 9 Oct are used
    shown = app.show(ws, "2025-001", today=date(2025, 10, 9))
    assert shown["days_left"] == 16
    assert "2025年10月30日前" in shown["history"][0]["text"]
    # the applicant is in the clerk's own view only
    assert shown["applicant"]["name"] == "张三"
    assert "张三" not in str(app.list_requests(ws, today=date(2025, 10, 9)).rows)


def test_supplement_restarts_the_clock(ws):
    _add(ws, date(2026, 3, 2), date(2026, 3, 2))
    assert app.show(ws, "2026-001", today=date(2026, 3, 2))["due_on"] == "2026-03-30"
    res = app.supplement(ws, "2026-001", date(2026, 3, 5), "请写明道路名称和年份", until=date(2026, 3, 19),
                         today=date(2026, 3, 5))
    assert res.request["state"] == L.ST_SUPPLEMENT and res.request["due_on"] is None
    assert "待申请人补正" in res.summary()
    with pytest.raises(InputRejected, match="一次性"):
        app.supplement(ws, "2026-001", date(2026, 3, 6), "再补", today=date(2026, 3, 6))
    res = app.supplied(ws, "2026-001", date(2026, 3, 20), today=date(2026, 3, 20))
    # 20 working days from 20 March, over 清明 (4–6 April): 20 April, not 30 March
    assert res.request["due_on"] == "2026-04-20"
    assert res.request["state"] == L.ST_RUNNING
    kinds = [h["kind"] for h in res.request["history"]]
    assert kinds == [L.EV_RECEIVED, L.EV_SUPPLEMENT, L.EV_SUPPLIED]
    assert "重新计算" in res.request["history"][-1]["text"]


def test_late_supplement_notice_is_warned(ws):
    _add(ws, date(2025, 9, 26), date(2025, 9, 26))
    res = app.supplement(ws, "2025-001", date(2025, 10, 14), "写明项目名称", today=date(2025, 10, 14))
    assert any("2025年10月13日" in w for w in res.warning_lines())


def test_consultation_pause_is_not_counted(ws):
    _add(ws, date(2026, 5, 11), date(2026, 5, 11))
    res = app.consult(ws, "2026-001", date(2026, 5, 13), "某建筑公司", today=date(2026, 5, 13))
    assert res.request["state"] == L.ST_PAUSED
    # while the third party considers, the due day moves day by day (20 May: 5 working days paused)
    during = app.show(ws, "2026-001", today=date(2026, 5, 20))
    assert during["due_on"] == "2026-06-15"
    res = app.consult_end(ws, "2026-001", date(2026, 5, 22), note="第三方同意公开", today=date(2026, 5, 22))
    # 14, 15, 18, 19, 20, 21, 22 May = 7 working days not counted: 27 working days after 11 May
    assert res.request["paused_days"] == 7
    assert res.request["due_on"] == "2026-06-17"
    assert "不计入答复期限 7 个工作日" in res.request["history"][-1]["text"]


def test_consultation_pause_is_capped_at_15_working_days(ws):
    _add(ws, date(2026, 5, 11), date(2026, 5, 11))
    app.consult(ws, "2026-001", date(2026, 5, 13), "某建筑公司", today=date(2026, 5, 13))
    # no answer by 3 June (15 working days): the agency decides; a later end counts only 15
    res = app.consult_end(ws, "2026-001", date(2026, 6, 10), today=date(2026, 6, 10))
    assert res.request["paused_days"] == 15
    assert res.request["due_on"] == "2026-06-30"  # 35 working days after 11 May (端午 19 June off)


def test_extension_with_approver(ws):
    _add(ws, date(2026, 6, 1), date(2026, 6, 1))
    with pytest.raises(InputRejected, match="批准人"):
        app.extend(ws, "2026-001", date(2026, 6, 20), 20, "", today=date(2026, 6, 20))
    with pytest.raises(InputRejected, match="最长不超过20个工作日"):
        app.extend(ws, "2026-001", date(2026, 6, 20), 21, "李主任", today=date(2026, 6, 20))
    res = app.extend(ws, "2026-001", date(2026, 6, 22), 15, "李主任", reason="涉及档案多", today=date(2026, 6, 22))
    assert res.request["due_on"] == "2026-07-21"  # 35 working days after 1 June
    with pytest.raises(InputRejected, match="已延长 15 个工作日"):
        app.extend(ws, "2026-001", date(2026, 6, 23), 6, "李主任", today=date(2026, 6, 23))
    res = app.extend(ws, "2026-001", date(2026, 6, 23), 5, "李主任", today=date(2026, 6, 23))
    assert res.request["due_on"] == "2026-07-28"  # 40 working days after 1 June
    assert res.request["extension_days"] == 20
    assert "经李主任批准延长答复期限 15 个工作日" in res.request["history"][1]["text"]
    # reply on time, then an appeal
    res = app.reply(ws, "2026-001", "deny_4", "post", day=date(2026, 7, 27), today=date(2026, 7, 27))
    assert res.request["state"] == L.ST_REPLIED and not res.request["overdue"]


def test_extension_after_due_day_is_refused(ws):
    _add(ws, date(2026, 6, 1), date(2026, 6, 1))
    with pytest.raises(InputRejected, match="期满后"):
        app.extend(ws, "2026-001", date(2026, 7, 1), 10, "李主任", today=date(2026, 7, 1))


def test_year_not_in_calendar_is_refused_with_the_hint(ws, store):
    # 20 working days after 4 December 2026 reach into 2027, which the calendar does not hold
    with pytest.raises(GkError) as exc:
        _add(ws, date(2026, 12, 4), date(2026, 12, 6))
    assert exc.value.hint is Hint.SET_HOLIDAYS
    assert exc.value.hint_args["year"] == 2027
    assert "2027年节假日安排" in exc.value.message
    assert app.list_requests(ws, today=date(2026, 12, 6)).rows == []  # nothing was stored
    # once the clerk enters 2027 (元旦 1–3 January), the same request is accepted
    app_calendar.set_year(ws, 2027, ["2027-01-01..2027-01-03"], [])
    res = _add(ws, date(2026, 12, 4), date(2026, 12, 6))
    assert res.request["due_on"] == "2027-01-04"  # 28–31 Dec, then Monday 4 January


def test_on_the_spot_and_overdue_replies(ws):
    _add(ws, date(2026, 3, 2), date(2026, 3, 2))
    res = app.reply(ws, "2026-001", "open", "direct", on_the_spot=True, today=date(2026, 3, 2))
    assert res.request["replied_on"] == "2026-03-02" and res.request["on_the_spot"]
    _add(ws, date(2026, 3, 2), date(2026, 3, 2))
    res = app.reply(ws, "2026-002", "unable_1", "post", day=date(2026, 3, 31), today=date(2026, 3, 31))
    assert res.request["overdue"] is True
    assert "超过答复期限" in res.summary()
    with pytest.raises(InputRejected, match="已于"):
        app.reply(ws, "2026-002", "open", "post", day=date(2026, 3, 31), today=date(2026, 3, 31))


def test_letter_waits_for_confirmation(ws):
    res = _add(ws, date(2026, 3, 2), date(2026, 3, 2), channel=L.CH_LETTER)
    assert res.request["state"] == L.ST_UNCONFIRMED and res.request["due_on"] is None
    res = app.confirm(ws, "2026-001", date(2026, 3, 4), today=date(2026, 3, 4))
    assert res.request["received_on"] == "2026-03-04" and res.request["due_on"] == "2026-04-01"


def test_due_soon_for_home(ws):
    _add(ws, date(2026, 3, 2), date(2026, 3, 2))
    _add(ws, date(2026, 3, 20), date(2026, 3, 20))
    overdue, soon = app.due_soon(ws, today=date(2026, 3, 31))
    assert [i.number for i in overdue] == ["2026-001"] and overdue[0].days_left == -1
    assert soon == []
    overdue, soon = app.due_soon(ws, today=date(2026, 4, 14))
    assert [i.number for i in soon] == ["2026-002"] and soon[0].days_left == 4


def test_fees():
    assert [ck.fee_for_pages(n) for n in (30, 31, 100, 101, 200, 201)] == [0, 10, 700, 720, 2700, 2740]
    assert [ck.fee_for_count(n) for n in (10, 11, 30, 31, 40, 41)] == [0, 100, 100, 200, 200, 300]


def test_fee_per_request_counts_the_applicant_month(ws):
    for _ in range(11):
        _add(ws, date(2026, 3, 2), date(2026, 3, 2))
    res = app.fee(ws, "2026-011", "per_request", today=date(2026, 3, 3))
    assert "本月第 11 件,100 元" in res.summary()
    assert res.request["fee_amount"] == "100.00"


def test_undo_and_void(ws):
    _add(ws, date(2026, 3, 2), date(2026, 3, 2))
    app.extend(ws, "2026-001", date(2026, 3, 20), 10, "李主任", today=date(2026, 3, 20))
    app.reply(ws, "2026-001", "open", "direct", day=date(2026, 3, 25), today=date(2026, 3, 25))
    res = app.undo(ws, "2026-001", today=date(2026, 3, 25))
    assert res.request["replied_on"] is None and res.request["outcome"] == "" and "撤销了“答复”" in res.summary()
    assert res.request["due_on"] == "2026-04-14"  # the extension still stands
    res = app.undo(ws, "2026-001", today=date(2026, 3, 25))
    assert res.request["due_on"] == "2026-03-30" and res.request["extension_days"] == 0
    with pytest.raises(InputRejected, match="没有可撤销"):
        app.undo(ws, "2026-001", today=date(2026, 3, 25))
    with pytest.raises(InputRejected, match="理由"):
        app.void(ws, "2026-001", " ")
    app.void(ws, "2026-001", "重复登记")
    assert app.list_requests(ws, today=date(2026, 3, 25)).rows == []
    assert _add(ws, date(2026, 3, 3), date(2026, 3, 3)).request["number"] == "2026-002"  # numbers are not reused


def test_later_date_for_a_large_request(ws, tmp_path):
    _add(ws, date(2026, 3, 2), date(2026, 3, 2))
    with pytest.raises(InputRejected, match="无需另定"):
        app.later_date(ws, "2026-001", date(2026, 3, 10), date(2026, 3, 20), today=date(2026, 3, 10))
    res = app.later_date(ws, "2026-001", date(2026, 3, 10), date(2026, 5, 15), reason="涉及十年档案",
                         today=date(2026, 3, 10))
    assert res.request["due_on"] == "2026-05-15"
    assert "确定于2026年5月15日前提供" in res.request["history"][-1]["text"]
    out = app.print_document(ws, "2026-001", "provide_date", tmp_path / "p.pdf")
    import subprocess

    text = subprocess.run(["pdftotext", out.file, "-"], capture_output=True, text=True).stdout.replace("\n", "")
    assert "2026年5月15日前向您提供" in text
