"""The notice and calendar operations called directly, as both faces call them: what the clerk
reads in the summary, what was recorded and by whom, and refusals that say what would fix them
without naming a command-line flag."""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from gkdesk import backups, township
from gkdesk.app import Workspace, notices
from gkdesk.app import calendar as cal_ops
from gkdesk.errors import CalendarMissing, InputRejected, NotFound, UnreadableInput
from gkdesk.hints import Hint
from gkdesk.models import Posting
from gkdesk.models.audit import AuditEntry
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from tests.notice_helpers import page_texts


@pytest.fixture
def ws(store):
    return Workspace(store, "李会计")


@pytest.fixture
def batch_id(store) -> str:
    rng = random.Random(11)
    with store.session() as s:
        people = make_people(township.villages(s), 20, rng)
        return make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期").id


def _audit(store, action: str) -> list[AuditEntry]:
    with store.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_print_for_posting_records_a_posting_per_village_by_the_workspace_operator(ws, store, batch_id, tmp_path):
    opts = notices.NoticeOptions(start=notices.parse_start("2026-03-02"), days=5)
    res = notices.print_payouts(ws, batch_id[:8], tmp_path / "folder", opts)
    assert sorted(f.path.name.split("-")[0] for f in res.files) == sorted(["高桥村", "柳树村", "新华社区"])
    assert len(res.files) == 3 and len(res.postings) == 3 and res.persons == 60
    assert res.pages == sum(len(page_texts(f.path)) for f in res.files)
    assert res.changes == frozenset({"postings"}) and res.missing_glyphs == 0
    text = res.summary()
    assert text.startswith("已生成《2026年耕地地力保护补贴发放结果公示》:3 个文件")
    assert "60 人" in text and "已记录 3 条公示(张贴)记录" in text
    with store.session() as s:
        posts = list(s.scalars(select(Posting)))
    assert len(posts) == 3 and {p.printed_by for p in posts} == {"李会计"}
    entries = _audit(store, "notice.post")
    assert len(entries) == 3 and {e.operator for e in entries} == {"李会计"}
    assert res.payload()["counts"] == {"files": 3, "pages": res.pages, "rows": 60, "postings": 3}


def test_draft_records_nothing_and_preview_matches_the_print(ws, store, batch_id, tmp_path):
    opts = notices.NoticeOptions()
    preview = notices.preview_payouts(ws, batch_id, opts, "高桥村")
    res = notices.print_payouts(ws, batch_id, tmp_path / "高桥村.pdf", opts, village="高桥村")
    assert preview.pdf.startswith(b"%PDF") and preview.pages == res.pages and preview.rows == res.rows == 20
    assert f"共 {preview.pages} 页,20 人" in preview.summary()
    assert res.postings == [] and "已记录" not in res.summary() and res.changes == frozenset()
    with store.session() as s:
        assert s.scalar(select(Posting)) is None
    assert notices.batch_choices(ws)[0][0] == batch_id
    assert sorted(notices.batch_villages(ws, batch_id)) == sorted(["高桥村", "柳树村", "新华社区"])
    path = notices.default_pdf_path(ws, None, "2026年 耕地", today=date(2026, 3, 2))
    assert path.parent == store.data_dir / "notices" and path.name == "20260302-全部村-2026年_耕地.pdf"


def test_table_notice_counts_lines_and_reports_left_out_columns(ws, tmp_path):
    src = tmp_path / "名单.csv"
    src.write_text("姓名,身份证号,金额\n张三,11010519491231002X,100\n李四,440524188001010014,200\n", encoding="utf-8")
    res = notices.print_table(ws, src, "低保公示", tmp_path / "t.pdf", notices.NoticeOptions(), village="高桥村")
    assert res.rows == 2 and res.persons == 0 and "2 行" in res.summary()
    assert any("身份证号" in line for line in res.warning_lines())


def test_refusals_carry_code_and_hint_and_name_no_flag(ws, batch_id, tmp_path):
    out = tmp_path / "x.pdf"
    cases = [
        (lambda: notices.print_payouts(ws, batch_id, out, notices.NoticeOptions(start=date(2026, 1, 5))),
         InputRejected, "rejected", Hint.NOTICE_PERIOD),
        (lambda: notices.print_payouts(ws, batch_id, out, notices.NoticeOptions(days=7)),
         InputRejected, "rejected", Hint.NOTICE_PERIOD),
        (lambda: notices.print_table(ws, tmp_path, "  ", out, notices.NoticeOptions()),
         InputRejected, "rejected", Hint.NOTICE_TITLE),
        (lambda: notices.print_payouts(ws, "ffffffff", out, notices.NoticeOptions()),
         NotFound, "not_found", Hint.LIST_BATCHES),
        (lambda: notices.parse_start("2026-13-01"), UnreadableInput, "unreadable", None),
        (lambda: cal_ops.show_year(ws, 2099), CalendarMissing, "calendar_missing", Hint.SET_HOLIDAYS),
    ]
    for call, kind, code, hint in cases:
        with pytest.raises(kind) as exc:
            call()
        assert (exc.value.code, exc.value.hint) == (code, hint), exc.value.message
        assert "--" not in exc.value.message and "gkdesk " not in exc.value.message
    assert not out.exists()


def test_set_year_is_audited_and_replacing_a_year_backs_up_first(ws, store, data_dir):
    res = cal_ops.set_year(ws, 2027, "2027-01-01 2027-02-06..2027-02-12", "2027-02-14")
    assert (res.year, res.holidays, res.workdays, res.replaced) == (2027, 8, 1, False)
    assert res.summary() == "已保存2027年:放假 8 天,调休上班 1 天" and res.changes == frozenset({"calendar"})
    assert res.payload() == {"status": "ok", "year": 2027, "holidays": 8, "workdays": 1}
    assert backups.list_backups(data_dir) == []  # a new year overwrites nothing
    again = cal_ops.set_year(ws, 2027, ["2027-01-01"], [])
    assert again.replaced and [b.reason for b in backups.list_backups(data_dir)] == ["before-replace"]
    entries = _audit(store, "calendar.set_year")
    assert [e.target for e in entries] == ["2027", "2027"] and {e.operator for e in entries} == {"李会计"}
    assert json.loads(entries[0].detail) == {"year": 2027, "holidays": 8, "workdays": 1}
    shown = cal_ops.show_year(ws, 2027)
    assert shown.holidays == [(date(2027, 1, 1), "节假日")] and shown.workdays == []
    cov = cal_ops.coverage(ws, today=date(2026, 6, 1))
    assert cov.years[-1].year == 2027 and not cov.next_year_missing and cov.summary().endswith("2027年")


def test_set_year_refusals_store_nothing(ws, store, data_dir):
    with pytest.raises(InputRejected) as exc:
        cal_ops.set_year(ws, 2027, "2027-13-01", "")
    assert "2027-13-01" in exc.value.message
    with pytest.raises(InputRejected, match="既是放假日又是调休上班日"):
        cal_ops.set_year(ws, 2027, "2027-01-01", "2027-01-01")
    assert 2027 not in [y.year for y in cal_ops.coverage(ws).years]
    assert _audit(store, "calendar.set_year") == []


def test_import_file_and_deadlines(ws, tmp_path):
    f = tmp_path / "2027.txt"
    f.write_text("年份: 2027\n放假: 2027-01-01, 2027-02-06..2027-02-12\n调休上班: 2027-02-14\n", encoding="utf-8")
    res = cal_ops.import_file(ws, f)
    assert res.source == "文件导入:2027.txt" and res.holidays == 8
    ok = cal_ops.deadline(ws, "2026-12-31", 1)
    assert ok.ok and ok.due == date(2027, 1, 4) and ok.summary() == "2027-01-04"
    missing = cal_ops.deadline(ws, date(2027, 12, 20), 20)
    assert not missing.ok and missing.missing_year == 2028 and missing.summary() == "待补充2028年节假日安排"
    assert missing.payload()["message"] == "待补充2028年节假日安排" and missing.payload()["deadline"] is None
    with pytest.raises(InputRejected, match="无效"):
        cal_ops.deadline(ws, "明天", 3)
