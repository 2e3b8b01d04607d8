"""The posting calendar across a year: due, posted, late, missing; holidays; a year without data."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from gkdesk import township
from gkdesk import village_catalogue as vc
from gkdesk.postings import calendar as pc
from gkdesk.postings import lifecycle as lc

OP = "测试员"
FIN = "村集体财务收支明细"  # 每季度首月20日


def _post(s, village, item, on, slot="", title=None):
    pid = lc.create_posting(s, OP, village_name=village, title=title or f"{item} {on}", catalogue_item=item,
                            slot=slot, on=on).data["posting"]["id"]
    lc.review(s, pid, OP, reviewer="王建国", body="民主理财小组", on=on)
    lc.post(s, pid, OP, on=on, location="村公示栏", length=7)
    return pid


def _row(cal, name):
    return next(r for r in cal.rows if r.name == name)


def test_quarterly_item_across_the_year(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["高桥村"], on=date(2026, 1, 1))
        _post(s, "高桥村", FIN, date(2026, 1, 15))  # Q1, due 01-20: on time
        _post(s, "高桥村", FIN, date(2026, 4, 25))  # Q2, due 04-20: late
        # Q3 (due 07-20) never posted; Q4 due 10-20
        early = pc.village_calendar(s, "高桥村", 2026, today=date(2026, 10, 10))
        assert [c.status for c in _row(early, FIN).cells] == ["posted", "late", "missing", "due"]
        assert [c.due for c in _row(early, FIN).cells] == [date(2026, 1, 20), date(2026, 4, 20),
                                                          date(2026, 7, 20), date(2026, 10, 20)]
        late = pc.village_calendar(s, "高桥村", 2026, today=date(2026, 11, 22))
        assert [c.status for c in _row(late, FIN).cells] == ["posted", "late", "missing", "missing"]
        before = pc.village_calendar(s, "高桥村", 2026, today=date(2026, 3, 1))
        assert [c.status for c in _row(before, FIN).cells] == ["posted", "future", "future", "future"]


def test_monthly_item_and_holiday_roll_forward(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["高桥村"], on=date(2026, 1, 1))
        vc.set_busy_finance(s, "高桥村", True, OP)
        item = vc.find_item(s, township.find_village(s, "高桥村"), FIN)
        item.fixed_day = 20  # 每月20日
        cal = pc.village_calendar(s, "高桥村", 2026, today=date(2026, 12, 31))
        dues = {c.slot.key: c.due for c in _row(cal, FIN).cells}
        assert dues["2026-02"] == date(2026, 2, 24)  # 02-20 is in the Spring Festival holiday → next working day
        assert dues["2026-09"] == date(2026, 9, 20)  # a Sunday, but a make-up working day (调休)
        assert dues["2026-01"] == date(2026, 1, 20)
        assert _row(cal, FIN).frequency_text == "每月20日"
        assert cal.count("missing") >= 12


def test_slot_given_explicitly_counts_for_that_period(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["柳树村"], on=date(2026, 1, 1))
        # Q4 2025 accounts posted in January 2026, declared for 2025-Q4: does not fill 2026-Q1
        _post(s, "柳树村", FIN, date(2026, 1, 10), slot="2025-Q4")
        cal = pc.village_calendar(s, "柳树村", 2026, today=date(2026, 2, 1))
        assert _row(cal, FIN).cells[0].status == "missing"
        prev = pc.village_calendar(s, "柳树村", 2025, today=date(2026, 2, 1))
        assert _row(prev, FIN).cells[3].status == "late"  # due 2025-10-20, posted 2026-01-10


def test_drafts_do_not_count_and_immediate_items_owe_nothing(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["高桥村"], on=date(2026, 1, 1))
        lc.create_posting(s, OP, village_name="高桥村", title="一季度收支", catalogue_item=FIN, slot="2026-Q1")
        _post(s, "高桥村", "投入资金5万元以上", date(2026, 5, 6))
        cal = pc.village_calendar(s, "高桥村", 2026, today=date(2026, 6, 1))
        q1 = _row(cal, FIN).cells[0]
        assert (q1.status, q1.note) == ("missing", "有1份待审核/待张贴")
        major = _row(cal, "投入资金5万元以上涉及集体经济利益的重大事项及进程")
        assert [c.status for c in major.cells].count("posted") == 1
        assert {c.status for c in major.cells} == {"posted", "none"}


def test_year_without_holiday_data_says_so_instead_of_guessing(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["高桥村"], on=date(2026, 1, 1))
        cal = pc.village_calendar(s, "高桥村", 2027, today=date(2027, 5, 1))
        assert cal.notes == ["待补充2027年节假日安排"]
        q1 = _row(cal, FIN).cells[0]
        assert (q1.status, q1.due, q1.note) == ("unknown", None, "待补充2027年节假日安排")
        # an end-of-period item needs no holiday data: Q1 ends 03-31, nothing posted → missing
        db = _row(cal, "城乡居民最低生活保障对象名单").cells[0]
        assert (db.status, db.due) == ("missing", date(2027, 3, 31))


def test_overdue_villages_for_the_dashboard(store):
    with store.session() as s:
        vc.adopt_template(s, OP, village_names=["高桥村", "柳树村"], on=date(2026, 1, 1))
        for item in vc.items(s, township.find_village(s, "柳树村")):
            if item.frequency != "immediate":
                for sl in pc.slots(item.frequency, 2026):
                    if sl.start <= date(2026, 4, 30):
                        _post(s, "柳树村", item.name, sl.start, slot=sl.key)
        out = pc.overdue_villages(s, today=date(2026, 4, 30))
        assert [o.name for o in out] == ["高桥村"]  # 新华社区 has no catalogue yet, 柳树村 is up to date
        gq = pc.village_calendar(s, "高桥村", 2026, today=date(2026, 4, 30))
        assert out[0].missing == gq.count("missing") > 0
        assert FIN in out[0].items


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["monthly", "quarterly", "half_year", "yearly"]))
def test_every_day_falls_in_exactly_one_slot_of_its_year(d, freq):
    found = [s for s in pc.slots(freq, d.year) if s.start <= d <= s.end]
    assert len(found) == 1 and found[0].key == pc.slot_of(freq, d)
    all_slots = pc.slots(freq, d.year)
    assert sum((s.end - s.start).days + 1 for s in all_slots) == (date(d.year, 12, 31) - date(d.year, 1, 1)).days + 1
