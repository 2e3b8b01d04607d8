"""A township's first week: tracking starts the month it adopts the catalogue, postings of past
periods can be recorded with their own dates, and a wrong record is put right with a reason
(never silently deleted). The 年底发放结果公开核对 counts a 发放结果公示 printed from a batch."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from gkdesk import township
from gkdesk.app import Workspace, notices
from gkdesk.app import postings as ops
from gkdesk.app import village_catalogue as cat
from gkdesk.errors import InputRejected
from gkdesk.models.audit import AuditEntry
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.postings import calendar as pcal
from gkdesk.postings import lifecycle as lc
from gkdesk.postings.yearend import year_end_checklist
from tests.photo_helpers import make_photo

FIN = "村集体财务收支明细"  # 每季度首月20日
TODAY = date(2026, 11, 22)
WEEK_TWO = date(2026, 11, 15)  # the second week after adopting on 11-03


@pytest.fixture
def ws(store):
    return Workspace(store, "李会计")


def _item(ws, village="高桥村", name=FIN):
    return next(i for i in cat.items(ws, village) if i["name"] == name)


def _audit(ws, action):
    with ws.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_adopting_in_november_is_not_behind_on_january_to_october(ws):
    with ws.session() as s:
        from gkdesk import village_catalogue as core

        core.adopt_template(s, "李会计", on=date(2026, 11, 3))
        core.set_busy_finance(s, "高桥村", True, "李会计")  # its finance items go monthly
    cal = ops.calendar(ws, "高桥村", 2026, WEEK_TWO)
    assert cal.tracking_from == date(2026, 11, 1)
    assert cal.count(pcal.CELL_MISSING) == 0  # was ✘49 before
    fin = next(r for r in ops.calendar(ws, "柳树村", 2026, WEEK_TWO).rows if r.name == FIN)
    assert [c.status for c in fin.cells] == ["untracked"] * 4  # Q4 was due 10-20, before tracking began
    assert "2026年11月开始跟踪" in fin.cells[0].note
    monthly = next(r for r in cal.rows if r.name == FIN)
    assert monthly.frequency_text.startswith("每月")
    assert [c.status for c in monthly.cells[9:]] == ["untracked", "due", "future"]
    assert ops.overdue(ws, WEEK_TWO) == []
    # the county reads the same profiles from the synced township: nothing overdue there either
    with ws.session() as s:
        tid = township.current(s).id
        assert pcal.overdue_villages(s, WEEK_TWO, township_id=tid) == []
    # next year everything counts
    jan = ops.calendar(ws, "高桥村", 2027, date(2027, 2, 25))
    assert next(r for r in jan.rows if r.name == FIN).cells[0].status in ("missing", "unknown")  # counted again


def test_the_clerk_moves_the_tracking_start_and_it_is_audited(ws):
    cat.adopt(ws)
    res = cat.set_tracking_start(ws, date(2026, 7, 15), villages=["高桥村"])
    assert res.start == date(2026, 7, 1) and res.changed == 1 and res.changes == {"village_catalogue"}
    assert res.summary() == "高桥村自 2026年7月 起跟踪村务公开(此前各期不计逾期;1 个村有改动)"
    fin = next(r for r in ops.calendar(ws, "高桥村", 2026, TODAY).rows if r.name == FIN)
    assert [c.status for c in fin.cells] == ["untracked", "untracked", "missing", "missing"]
    other = next(r for r in ops.calendar(ws, "柳树村", 2026, TODAY).rows if r.name == FIN)
    assert other.cells[2].status == "untracked"  # 柳树村 keeps the adoption month
    assert [a.target for a in _audit(ws, "village_catalogue.tracking")] == ["高桥村"]
    with pytest.raises(InputRejected, match="还没有到"):
        cat.set_tracking_start(ws, date(2099, 1, 1))
    everyone = cat.set_tracking_start(ws, date(2026, 1, 1))
    assert len(everyone.villages) == 3
    assert [o.name for o in ops.overdue(ws, TODAY)][:1]  # now the whole year counts


def test_backdated_posting_after_another_was_reviewed_today(ws):
    cat.adopt(ws)
    cat.set_tracking_start(ws, date(2026, 1, 1))
    item = _item(ws)
    today_step = ops.new_for_slot(ws, "高桥村", item["id"], "2026-Q4", on=TODAY)
    ops.review(ws, today_step.posting["id"], "王建国", "民主理财小组", on=TODAY)
    ops.post(ws, today_step.posting["id"], location="村公示栏", days=7, on=TODAY)
    # the September sheet was reviewed and posted in September: the review-date rule is this posting's own
    sep = ops.new_for_slot(ws, "高桥村", item["id"], "2026-Q3", on=TODAY)
    ops.review(ws, sep.posting["id"], "王建国", "民主理财小组", on=date(2026, 7, 16))
    done = ops.post(ws, sep.posting["id"], location="村公示栏", days=7, on=date(2026, 7, 18))
    assert done.posting["posted_on"] == date(2026, 7, 18)
    # 补录 in one step, for Q2
    rec = ops.record_posted(ws, "高桥村", item["id"], "2026-Q2", posted_on=date(2026, 4, 18), reviewer="王建国",
                            body="民主理财小组", reviewed_on=date(2026, 4, 16), location="村公示栏", days=7,
                            today=TODAY)
    assert rec.posting["status"] == "posted" and rec.posting["reviewed_on"] == date(2026, 4, 16)
    assert rec.summary().startswith("已补录已张贴的公示:") and "2026-04-18至2026-04-24(共7天)" in rec.summary()
    fin = next(r for r in ops.calendar(ws, "高桥村", 2026, TODAY).rows if r.name == FIN)
    assert [c.status for c in fin.cells] == ["missing", "posted", "posted", "late"]  # Q4 was due 10-20
    with pytest.raises(InputRejected, match="晚于张贴日期"):
        ops.record_posted(ws, "高桥村", item["id"], "2026-Q1", posted_on=date(2026, 1, 18), reviewer="王建国",
                          body="民主理财小组", reviewed_on=date(2026, 1, 19), location="村公示栏", today=TODAY)
    with pytest.raises(InputRejected, match="晚于今天"):
        ops.record_posted(ws, "高桥村", item["id"], "2026-Q1", posted_on=date(2026, 12, 1), reviewer="王建国",
                          body="民主理财小组", location="村公示栏", today=TODAY)
    # default dates of the next step follow the posting's own dates
    d = ops.new_for_slot(ws, "高桥村", item["id"], "2026-Q1", on=date(2026, 1, 12)).posting
    hist = ops.detail(ws, d["id"]).history
    assert ops.step_dates(d, hist, TODAY)["review"] == date(2026, 1, 12)


def test_withdraw_keeps_the_record_and_frees_the_period(ws, data_dir):
    cat.adopt(ws)
    cat.set_tracking_start(ws, date(2026, 1, 1))
    item = _item(ws)
    wrong = ops.record_posted(ws, "高桥村", item["id"], "2026-Q3", posted_on=date(2026, 7, 18), reviewer="王建国",
                              body="民主理财小组", location="村公示栏", today=TODAY)
    pid = wrong.posting["id"]
    with pytest.raises(InputRejected, match="请写明原因"):
        ops.withdraw(ws, pid, "  ")
    res = ops.withdraw(ws, pid, "登记错了村,应为柳树村", on=TODAY)
    assert res.posting["status"] == "withdrawn" and res.posting["status_label"] == "已撤回"
    assert list((data_dir / "backups").glob("*-before-posting-withdraw.sqlite3"))
    det = ops.detail(ws, pid)  # still there, with why
    assert det.history[-1]["label"] == "撤回" and "登记错了村" in det.history[-1]["detail"]
    assert det.actions == frozenset()
    assert pid in {r["id"] for r in ops.listed(ws, village="高桥村").rows}
    fin = next(r for r in ops.calendar(ws, "高桥村", 2026, TODAY).rows if r.name == FIN)
    assert fin.cells[2].status == "missing" and pid not in fin.cells[2].posting_ids
    assert [a.operator for a in _audit(ws, "posting.withdraw")] == ["李会计"]
    with pytest.raises(InputRejected, match="已撤回"):
        ops.withdraw(ws, pid, "再撤一次")


def test_amend_corrects_a_wrong_date_with_the_reason_in_the_history(ws):
    cat.adopt(ws)
    cat.set_tracking_start(ws, date(2026, 1, 1))
    item = _item(ws)
    p = ops.record_posted(ws, "高桥村", item["id"], "2026-Q3", posted_on=date(2026, 8, 18), reviewer="王建国",
                          body="民主理财小组", location="村公示栏", today=TODAY).posting
    with pytest.raises(InputRejected, match="应先审核后张贴"):
        ops.amend(ws, p["id"], "日期记错", posted_on=date(2026, 7, 1), on=TODAY)
    res = ops.amend(ws, p["id"], "日期记错,照片显示7月18日已张贴", reviewed_on=date(2026, 7, 16),
                    posted_on=date(2026, 7, 18), on=TODAY)
    assert res.posting["posted_on"] == date(2026, 7, 18) and res.posting["period_end"] == date(2026, 7, 24)
    assert "张贴日期:2026-08-18 → 2026-07-18" in res.summary()
    hist = ops.detail(ws, p["id"]).history
    assert hist[-1]["label"] == "更正记录" and "照片显示" in hist[-1]["detail"]
    fin = next(r for r in ops.calendar(ws, "高桥村", 2026, TODAY).rows if r.name == FIN)
    assert fin.cells[2].status == "posted"  # Q3 due 07-20: now on time, not late
    with pytest.raises(InputRejected, match="没有需要更正的内容"):
        ops.amend(ws, p["id"], "无", title=p["title"], on=TODAY)


def test_year_end_counts_a_payout_notice_printed_reviewed_posted_and_photographed(ws, store, tmp_path):
    rng = random.Random(5)
    with store.session() as s:
        people = make_people(township.villages(s), 6, rng)
        batch = make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期").id
    res = notices.print_payouts(ws, batch, tmp_path / "高桥村.pdf",
                                notices.NoticeOptions(start=date(2026, 12, 2), days=7), village="高桥村")
    pid = res.postings[0]
    with store.session() as s:
        assert year_end_checklist(s, "高桥村", 2026).lines[0].missing[0].startswith("公示“")
    ops.review(ws, pid, "王建国", "民主理财小组", on=date(2026, 12, 1))
    ops.post(ws, pid, location="村公示栏", on=date(2026, 12, 2))
    ops.attach_photos(ws, pid, [make_photo(tmp_path / "栏.jpg")], on=date(2026, 12, 2))
    [checklist] = ops.year_end(ws, 2026, "高桥村")
    assert [(ln.program, ln.done, ln.posting_id) for ln in checklist.lines] == [("耕地地力保护补贴", True, pid)]
    # the same notice does not count for another year
    with store.session() as s:
        assert year_end_checklist(s, "高桥村", 2027).lines == []
    assert lc  # lifecycle imported for its audit labels
