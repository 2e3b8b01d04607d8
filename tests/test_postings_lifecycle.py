"""The posting lifecycle: every transition, and the refused ones with the clerk's message."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from gkdesk.errors import InputRejected
from gkdesk.models.audit import AuditEntry
from gkdesk.models.posting import Posting
from gkdesk.postings import lifecycle as lc

OP = "测试员"


def _draft(s, title="2026年第三季度财务收支明细", village="高桥村", **kw) -> str:
    return lc.create_posting(s, OP, village_name=village, title=title, on=date(2026, 10, 8), **kw).data["posting"]["id"]


def _posted(s, **kw) -> str:
    pid = _draft(s, **kw)
    lc.review(s, pid, OP, reviewer="王建国", body="村务监督委员会", on=date(2026, 10, 9))
    lc.post(s, pid, OP, on=date(2026, 10, 10), location="村公示栏", length=7)
    return pid


def test_full_lifecycle_draft_to_archive(store):
    with store.session() as s:
        pid = _draft(s)
        assert s.get(Posting, pid).status == "draft"
        lc.review(s, pid, OP, reviewer="王建国", body="民主理财小组", on=date(2026, 10, 9))
        p = s.get(Posting, pid)
        assert (p.status, p.reviewer, p.reviewer_body, p.reviewed_on) == ("reviewed", "王建国", "民主理财小组", date(2026, 10, 9))
        lc.post(s, pid, OP, on=date(2026, 10, 10), location="村公示栏", length=7)
        assert (p.status, p.period_start, p.period_end, p.period_days, p.period_unit) == (
            "posted", date(2026, 10, 10), date(2026, 10, 16), 7, "natural")
        assert lc.period_text(p) == "2026-10-10至2026-10-16(共7天)"
        lc.end_period(s, pid, OP, on=date(2026, 10, 17))
        assert (p.status, p.ended_on) == ("ended", date(2026, 10, 17))
        res = lc.archive(s, pid, OP, on=date(2026, 10, 20))
        assert (p.status, p.archived_on, p.archive_place) == ("archived", date(2026, 10, 20), "村委会")
        assert [w.message for w in res.warnings] == ["公示“2026年第三季度财务收支明细”没有张贴照片,县级检查时缺少佐证"]
        assert [e["action"] for e in lc.history(p)] == ["create", "review", "post", "end", "archive"]
        actions = [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions[-5:] == ["posting.create", "posting.review", "posting.post", "posting.end", "posting.archive"]


def test_working_day_period_skips_the_national_day_holiday(store):
    with store.session() as s:
        pid = _draft(s)
        lc.review(s, pid, OP, reviewer="王建国", body="村务监督委员会", on=date(2026, 9, 28))
        # 2026-09-30 is a working day, 10-01..10-07 National Day holiday; 7 working days counting the start day.
        lc.post(s, pid, OP, on=date(2026, 9, 30), location="村公示栏", length=7, unit="working")
        p = s.get(Posting, pid)
        assert p.period_end > date(2026, 10, 8)
        assert lc.period_text(p).endswith("(共7个工作日)")


def test_working_day_period_in_a_year_without_holiday_data_is_refused(store):
    with store.session() as s:
        pid = _draft(s)
        lc.review(s, pid, OP, reviewer="王建国", body="村务监督委员会", on=date(2027, 3, 1))
        with pytest.raises(InputRejected, match="待补充2027年节假日安排"):
            lc.post(s, pid, OP, on=date(2027, 3, 2), location="村公示栏", length=7, unit="working")
        assert s.get(Posting, pid).status == "reviewed"
        lc.post(s, pid, OP, on=date(2027, 3, 2), location="村公示栏", length=7, unit="natural")
        assert s.get(Posting, pid).period_end == date(2027, 3, 8)


@pytest.mark.parametrize(("setup", "action", "message"), [
    ("draft", lambda s, pid: lc.post(s, pid, OP, on=date(2026, 10, 10), location="村公示栏", length=7),
     "尚未经村务监督委员会或民主理财小组审核,不能张贴"),
    ("draft", lambda s, pid: lc.review(s, pid, OP, reviewer="", body="村务监督委员会", on=date(2026, 10, 9)),
     "请填写审核人姓名"),
    ("draft", lambda s, pid: lc.review(s, pid, OP, reviewer="王", body="村委会", on=date(2026, 10, 9)),
     "审核机构“村委会”无效"),
    ("draft", lambda s, pid: lc.archive(s, pid, OP, on=date(2026, 12, 1)), "尚未张贴,不能归档"),
    ("draft", lambda s, pid: lc.end_period(s, pid, OP, on=date(2026, 12, 1)), "只有公示中的公示才能登记期满"),
    ("draft", lambda s, pid: lc.add_objection(s, pid, OP, on=date(2026, 10, 11), content="面积不对"),
     "不在公示期内,不能登记公示期异议"),
    ("draft", lambda s, pid: lc.correct(s, pid, OP, on=date(2026, 10, 11), reason="改"), "尚未张贴,直接修改后再审核即可"),
    ("posted", lambda s, pid: lc.review(s, pid, OP, reviewer="李", body="村务监督委员会", on=date(2026, 10, 11)),
     "只有草稿才能审核"),
    ("posted", lambda s, pid: lc.post(s, pid, OP, on=date(2026, 10, 11), location="村公示栏", length=7),
     "不能重复张贴"),
    ("posted", lambda s, pid: lc.end_period(s, pid, OP, on=date(2026, 10, 16)),
     "公示期至 2026-10-16 结束,尚未期满(含当日还剩 1 天)"),
    ("posted", lambda s, pid: lc.archive(s, pid, OP, on=date(2026, 10, 12)), "公示期至 2026-10-16 结束,期满后才能归档"),
    ("posted", lambda s, pid: lc.add_objection(s, pid, OP, on=date(2026, 10, 20), content="面积不对"),
     "异议日期 2026-10-20 不在公示期(2026-10-10至2026-10-16)内"),
    ("posted", lambda s, pid: lc.correct(s, pid, OP, on=date(2026, 10, 12), reason=" "), "请写明更正原因"),
])
def test_refused_transitions_say_why_and_change_nothing(store, setup, action, message):
    with store.session() as s:
        pid = _posted(s) if setup == "posted" else _draft(s)
        before = s.get(Posting, pid).status
        with pytest.raises(InputRejected) as err:
            action(s, pid)
        assert message in err.value.message
        assert s.get(Posting, pid).status == before


def test_review_twice_names_the_first_review(store):
    with store.session() as s:
        pid = _draft(s)
        lc.review(s, pid, OP, reviewer="王建国", body="村务监督委员会", on=date(2026, 10, 9))
        with pytest.raises(InputRejected, match="已于2026-10-09由村务监督委员会王建国审核,不能重复审核"):
            lc.review(s, pid, OP, reviewer="李四", body="村务监督委员会", on=date(2026, 10, 9))


def test_post_checks_dates_and_place(store):
    with store.session() as s:
        pid = _draft(s)
        lc.review(s, pid, OP, reviewer="王建国", body="村务监督委员会", on=date(2026, 10, 9))
        with pytest.raises(InputRejected, match="张贴日期 2026-10-08 早于审核日期 2026-10-09"):
            lc.post(s, pid, OP, on=date(2026, 10, 8), location="村公示栏", length=7)
        with pytest.raises(InputRejected, match="张贴地点“路边”无效"):
            lc.post(s, pid, OP, on=date(2026, 10, 10), location="路边", length=7)
        with pytest.raises(InputRejected, match="请在公示上注明是哪个组"):
            lc.post(s, pid, OP, on=date(2026, 10, 10), location="组", length=7)


def test_objection_answer_then_archive(store):
    with store.session() as s:
        pid = _posted(s)
        oid = lc.add_objection(s, pid, OP, on=date(2026, 10, 12), content="3组张三面积少算0.5亩", raised_by="张三").data["objection_id"]
        with pytest.raises(InputRejected, match="尚有 1 条异议未答复,答复后才能归档"):
            lc.archive(s, pid, OP, on=date(2026, 10, 20))
        assert s.get(Posting, pid).status == "posted"  # the refused archive did not end the period either
        with pytest.raises(InputRejected, match="答复日期 2026-10-11 早于异议提出日期 2026-10-12"):
            lc.answer_objection(s, oid, OP, on=date(2026, 10, 11), answer="已核实")
        lc.answer_objection(s, oid, OP, on=date(2026, 10, 14), answer="经核实属实,已更正并重新公示", answered_by="村委会")
        with pytest.raises(InputRejected, match="该异议已于 2026-10-14 答复"):
            lc.answer_objection(s, oid, OP, on=date(2026, 10, 15), answer="再答")
        lc.archive(s, pid, OP, on=date(2026, 10, 20))  # ends the period and archives
        p = s.get(Posting, pid)
        assert p.status == "archived"
        assert [e["action"] for e in lc.history(p)] == ["create", "review", "post", "object", "answer", "end", "archive"]


def test_corrected_notice_is_linked_and_supersedes_the_first_when_posted(store):
    with store.session() as s:
        first = _posted(s, title="2026年耕地地力保护补贴发放公示")
        res = lc.correct(s, first, OP, on=date(2026, 10, 14), reason="核实异议后更正张三面积")
        second = res.data["posting"]["id"]
        new = s.get(Posting, second)
        assert (new.replaces_id, new.status, new.title) == (first, "draft", "2026年耕地地力保护补贴发放公示(更正)")
        with pytest.raises(InputRejected, match="已有更正稿"):
            lc.correct(s, first, OP, on=date(2026, 10, 14), reason="再更正")
        assert s.get(Posting, first).status == "posted"  # still on the board until the correction goes up
        lc.review(s, second, OP, reviewer="王建国", body="村务监督委员会", on=date(2026, 10, 15))
        lc.post(s, second, OP, on=date(2026, 10, 15), location="村公示栏", length=7)
        old = s.get(Posting, first)
        assert old.status == "superseded"
        assert [e["action"] for e in lc.history(old)][-2:] == ["correct", "superseded"]
        with pytest.raises(InputRejected, match="当前为“已更正重贴”,不能再更正"):
            lc.correct(s, first, OP, on=date(2026, 10, 16), reason="x")
        lc.archive(s, first, OP, on=date(2026, 10, 30))  # the replaced sheet is filed too
        assert old.status == "archived"


def test_find_posting_by_prefix_and_unknown(store):
    with store.session() as s:
        pid = _draft(s)
        assert lc.find_posting(s, pid[:8].upper()).id == pid
        with pytest.raises(Exception, match="找不到编号为“zzzzzzzz”的公示"):
            lc.find_posting(s, "zzzzzzzz")


def test_printed_notice_flows_into_the_lifecycle_with_its_planned_period(store):
    """A posting the notices feature recorded at print time (draft, planned period) is reviewed and posted."""
    from gkdesk import township
    from gkdesk.models.posting import KIND_PAYOUT

    with store.session() as s:
        t = township.current(s)
        v = township.find_village(s, "柳树村")
        p = Posting(township_id=t.id, village_id=v.id, kind=KIND_PAYOUT, title="柳树村2026年耕地地力保护补贴发放公示",
                    source_ref="payout_batch:abc", period_start=date(2026, 11, 2), period_end=date(2026, 11, 8),
                    period_days=7, period_unit="natural", printed_by="打印员")
        s.add(p)
        s.flush()
        lc.review(s, p.id, OP, reviewer="赵六", body="民主理财小组", on=date(2026, 10, 30))
        lc.post(s, p.id, OP, on=date(2026, 10, 31), location="村公示栏")  # before the planned start: keep the plan
        assert (p.posted_on, p.period_start, p.period_end) == (date(2026, 10, 31), date(2026, 11, 2), date(2026, 11, 8))


def test_status_labels_cover_every_lifecycle_status() -> None:
    from gkdesk.models import posting as p
    from gkdesk.models import posting_lifecycle as pl
    from gkdesk.postings.labels import STATUS_LABELS

    codes = {p.STATUS_DRAFT, pl.STATUS_REVIEWED, p.STATUS_POSTED, pl.STATUS_ENDED, pl.STATUS_ARCHIVED,
             pl.STATUS_SUPERSEDED, pl.STATUS_WITHDRAWN}
    assert set(STATUS_LABELS) == codes
