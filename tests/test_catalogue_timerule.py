"""公开时限 phrases seen in real directories → rules (REFERENCE §3.2)."""

from __future__ import annotations

import pytest

from gkdesk.catalogue import timerule

W, N = "working", "natural"

TABLE = [
    ("自政府信息形成或者变更之日起20个工作日内。法律、法规对政府信息公开的期限另有规定的,从其规定",
     {"kind": "working_days", "n": 20, "unit": W, "anchor": "event"}),
    ("20工作日", {"kind": "working_days", "n": 20, "unit": W, "anchor": "event"}),
    ("信息形成或变更之日起3个工作日内", {"kind": "working_days", "n": 3, "unit": W, "anchor": "event"}),
    ("作出行政决定之日起7个工作日内公示", {"kind": "working_days", "n": 7, "unit": W, "anchor": "event"}),
    ("二十个工作日内", {"kind": "working_days", "n": 20, "unit": W, "anchor": "event"}),
    ("关联规范性文件公开3个工作日内", {"kind": "working_days", "n": 3, "unit": W, "anchor": "linked"}),
    ("制定或获取信息之日起10个工作日内,公示7个工作日",
     {"kind": "working_days", "n": 10, "unit": W, "anchor": "event", "window": {"n": 7, "unit": W}}),
    ("公示7个工作日", {"kind": "window", "window": {"n": 7, "unit": W}}),
    ("公示时间不少于7天", {"kind": "window", "window": {"n": 7, "unit": N}}),
    ("不少于5天", {"kind": "window", "window": {"n": 5, "unit": N}}),
    ("张榜公示(3天)", {"kind": "window", "window": {"n": 3, "unit": N}}),
    ("公告期限为5个工作日", {"kind": "window", "window": {"n": 5, "unit": W}}),
    ("部门预算/决算经本级财政部门批复后20日内公开", {"kind": "natural_days", "n": 20, "unit": N, "anchor": "event"}),
    ("及时公开", {"kind": "prompt", "backstop_working_days": 20}),
    ("实时公开", {"kind": "prompt", "backstop_working_days": 20}),
    ("随时公布", {"kind": "prompt", "backstop_working_days": 20}),
    ("每月", {"kind": "periodic", "period": "month"}),
    ("每季度", {"kind": "periodic", "period": "quarter"}),
    ("每半年", {"kind": "periodic", "period": "half_year"}),
    ("每年", {"kind": "periodic", "period": "year"}),
    ("按年公开", {"kind": "periodic", "period": "year"}),
    ("每季度的首个月20日", {"kind": "periodic", "period": "quarter", "fixed_month_of_period": 1, "fixed_day": 20}),
    ("每季度首月20日", {"kind": "periodic", "period": "quarter", "fixed_month_of_period": 1, "fixed_day": 20}),
    ("每月10日前", {"kind": "periodic", "period": "month", "fixed_day": 10}),
    ("1月31日前", {"kind": "fixed_date", "month": 1, "day": 31}),
    ("每年1月31日前公布上一年度报告", {"kind": "fixed_date", "month": 1, "day": 31}),
    ("6月底前", {"kind": "fixed_date", "month": 6, "day": 30}),
    ("长期", {"kind": "retention", "duration": "长期"}),
    ("长期,最新有效", {"kind": "retention", "duration": "长期,最新有效"}),
    ("任期内", {"kind": "retention", "duration": "任期内"}),
    ("6个月", {"kind": "retention", "duration": "6个月", "n": 6, "unit": "month"}),
    ("1年", {"kind": "retention", "duration": "1年", "n": 1, "unit": "year"}),
    ("按卫健委要求单独公开", {"kind": "reference"}),
    ("同上", {"kind": "reference"}),
    ("相关政策文件", {"kind": "reference"}),
    ("20个工作日内", {"kind": "working_days", "n": 20, "unit": W, "anchor": "event"}),
]


@pytest.mark.parametrize(("phrase", "expected"), TABLE)
def test_phrase_table(phrase, expected):
    assert timerule.parse(phrase) == {"text": phrase, **expected}


@pytest.mark.parametrize("phrase", ["视情况而定", "待定", "随工作推进"])
def test_unknown_stays_text_with_warning(phrase):
    rule = timerule.parse(phrase)
    assert rule == {"text": phrase, "kind": "text", "warning": f"无法识别公开时限“{phrase}”,按文字保存,不计算期限"}


def test_empty_and_describe():
    assert timerule.parse("") == {"text": "", "kind": "text"}
    assert timerule.describe(timerule.parse("每季度首月20日")) == "每季度首月20日前(上期信息)"
    assert timerule.describe(timerule.parse("公示时间不少于7天")) == "公示7天(期限按20个工作日)"


# The phrases real directories write that were left as text before issue 16 (REAL-SOURCES §3).
ISSUE16 = [
    ("最长不超过三个月", {"kind": "months", "n": 3, "unit": "month", "anchor": "event"}, "信息形成后3个月内"),
    ("每三个月上墙公布一次", {"kind": "periodic", "period": "quarter"}, "每季度(期末前)"),
    ("每6个月", {"kind": "periodic", "period": "half_year"}, "每半年(期末前)"),
    ("月公开", {"kind": "periodic", "period": "month"}, "每月(期末前)"),
    ("季公开", {"kind": "periodic", "period": "quarter"}, "每季度(期末前)"),
    ("半年公开", {"kind": "periodic", "period": "half_year"}, "每半年(期末前)"),
    ("年公开", {"kind": "periodic", "period": "year"}, "每年(期末前)"),
    ("2023年9月底前", {"kind": "once", "date": "2023-09-30"}, "2023年9月30日前(一次性)"),
    ("2024年3月15日前完成公开", {"kind": "once", "date": "2024-03-15"}, "2024年3月15日前(一次性)"),
    ("保持长期公开", {"kind": "retention", "duration": "长期"}, "公开时长:长期"),
    ("更改内容后一周内", {"kind": "natural_days", "n": 7, "unit": "natural", "anchor": "event"}, "信息形成后7日内"),
    ("自信息形成之日起20个工作日内;行政许可、行政处罚信息自作出决定之日起7个工作日内",
     {"kind": "working_days", "n": 20, "unit": W, "anchor": "event",
      "also": [{"condition": "行政许可、行政处罚信息", "kind": "working_days", "n": 7, "unit": W, "anchor": "event"}]},
     "信息形成后20个工作日内;行政许可、行政处罚信息:信息形成后7个工作日内"),
    ("20个工作日内(行政许可、行政处罚7个工作日内)",
     {"kind": "working_days", "n": 20, "unit": W, "anchor": "event",
      "also": [{"condition": "行政许可、行政处罚", "kind": "working_days", "n": 7, "unit": W, "anchor": "event"}]},
     "信息形成后20个工作日内;行政许可、行政处罚:信息形成后7个工作日内"),
    ("每季度首月20日(财务收支较多的每月公开)",
     {"kind": "periodic", "period": "quarter", "fixed_month_of_period": 1, "fixed_day": 20,
      "also": [{"condition": "财务收支较多的", "kind": "periodic", "period": "month"}]},
     "每季度首月20日前(上期信息);财务收支较多的:每月(期末前)"),
]


@pytest.mark.parametrize(("phrase", "expected", "described"), ISSUE16)
def test_issue16_phrases(phrase, expected, described):
    rule = timerule.parse(phrase)
    assert {k: v for k, v in rule.items() if k != "text"} == expected
    assert rule["text"] == phrase  # the cell as written is kept whole
    assert timerule.describe(rule) == described


@pytest.mark.parametrize("phrase", ["提前一周发通知邀请", "分段公布", "舆情发生后24小时内回应"])
def test_without_a_deadline_number_stays_text(phrase):
    rule = timerule.parse(phrase)
    assert rule["kind"] == "text" and "无法识别" in rule["warning"]


def test_one_off_deadline_is_due_once_not_yearly(store):
    from datetime import date

    from gkdesk.catalogue import core, due

    with store.session() as s:
        item = core.find_item(s, core.add_item(s, "社会救助", "专项整治", "整治结果", time_limit="2023年9月底前",
                                               operator="测试员").data["item"]["id"])
        board = due.dashboard(s, today=date(2025, 10, 10))
        occ = board.by_item[item.id]
        assert [(o.period, o.due, o.status) for o in occ] == [
            ("2023年9月30日前(一次性)", date(2023, 9, 30), due.OVERDUE)]
        core.add_publication(s, item.id, date(2023, 9, 20), channel="政府网站", title="整治结果")
        item_id = item.id
    with store.session() as s:
        occ = due.dashboard(s, today=date(2025, 10, 10)).by_item[item_id]
        assert [o.status for o in occ] == [due.DONE]
