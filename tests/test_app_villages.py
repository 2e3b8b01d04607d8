"""The 村务公开 operations (gkdesk.app.village_catalogue, gkdesk.app.postings) on a real store.

What a clerk cares about: the figures the result reports, a backup before the catalogue
changes that drop or add many duties, an audit entry per step, which steps a posting
allows next, and refusals that say what is wrong with a hint instead of a command.
"""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from sqlalchemy import select

from gkdesk.app import Workspace
from gkdesk.app import postings as ops
from gkdesk.app import village_catalogue as cat
from gkdesk.cli.hints import with_hint as cli_hint
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.models.audit import AuditEntry
from gkdesk.ui.hints import with_hint as ui_hint
from tests.photo_helpers import make_photo

FIN = "村集体财务收支明细"


@pytest.fixture
def ws(store):
    return Workspace(store, "测试员")


def _backups(data_dir, reason):
    return sorted(p.name for p in (data_dir / "backups").glob(f"*-{reason}.sqlite3"))


def _actions(ws):
    with ws.session() as s:
        return [(e.operator, e.action, e.target) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def _no_command(text: str) -> None:
    assert "--" not in text and "gkdesk " not in text, text


def test_adopt_reports_figures_and_backs_up_first(ws, data_dir):
    res = cat.adopt(ws)
    assert (res.villages, res.added, res.kept) == (3, 84, 0)
    assert res.counts() == {"villages": 3, "added": 84, "kept": 0}
    assert res.summary() == "已为 3 个村(社区)采用目录模板:新增事项 84 项,保留已有 0 项"
    assert res.changes == {"village_catalogue"}
    assert len(_backups(data_dir, "before-catalogue-adopt")) == 1
    assert ("测试员", "village_catalogue.adopt", "内置模板") in _actions(ws)
    again = cat.adopt(ws, villages=["高桥村"])
    assert (again.villages, again.added, again.kept) == (1, 0, 28)


def test_import_remove_and_profile(ws, data_dir, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["公开事项", "公开时限"])
    wb.active.append(["村级光伏电站收益分配", "每年"])
    wb.save(tmp_path / "县目录.xlsx")
    res = cat.import_file(ws, tmp_path / "县目录.xlsx", villages=["柳树村"])
    assert res.counts() == {"villages": 1, "added": 1, "kept": 0, "items": 1}
    assert "导入目录 1 项" in res.summary()
    assert len(_backups(data_dir, "before-catalogue-import")) == 1

    cat.adopt(ws, villages=["高桥村"])
    with pytest.raises(InputRejected) as err:
        cat.remove_item(ws, "高桥村", "宅基地", "")
    assert err.value.code == "rejected" and "删除时请写明原因" in err.value.message
    _no_command(err.value.message)
    gone = cat.remove_item(ws, "高桥村", "宅基地", "本村不涉及")
    assert gone.item == "宅基地审批情况" and gone.summary() == "已从高桥村的目录中删除“宅基地审批情况”"
    assert _backups(data_dir, "before-catalogue-remove")
    assert ("测试员", "village_catalogue.remove", "高桥村/宅基地审批情况") in _actions(ws)
    assert "宅基地审批情况" not in {i["name"] for i in cat.items(ws, "高桥村")}

    changed = cat.set_frequency(ws, "高桥村", "财务收支", "每月")
    assert (changed.old, changed.item["frequency_text"]) == ("每季度首月20日", "每月")
    busy = cat.set_busy_finance(ws, "高桥村", True)
    assert busy.busy and FIN not in busy.raised  # already monthly
    assert busy.summary().startswith("高桥村已标记为财务往来较多")
    assert cat.set_busy_finance(ws, "高桥村", False).summary() == "高桥村已取消“财务往来较多”标记"
    added = cat.add_item(ws, "高桥村", "光伏收益分配", "财务", "每年")
    assert added.summary() == "已为高桥村添加“光伏收益分配”(每年)"
    rv = cat.set_reviewers(ws, "高桥村", finance="李秀英")
    assert (rv.supervision_head, rv.finance_group_head) == ("", "李秀英")


def test_next_actions_follow_the_status():
    assert ops.next_actions(None) == frozenset()
    assert ops.next_actions(None, slot_open=True) == {"new", "record"}
    d = {"status": "draft", "objections_open": 0}
    assert ops.next_actions(d) == {"review", "amend", "withdraw"}
    assert ops.next_actions(d | {"status": "reviewed"}) == {"post", "amend", "withdraw"}
    assert ops.next_actions(d | {"status": "posted"}) == {"attach", "object", "correct", "archive", "end", "amend",
                                                          "withdraw"}
    assert ops.next_actions(d | {"status": "posted", "objections_open": 1}) == {
        "attach", "object", "correct", "archive", "end", "amend", "withdraw", "answer"}
    assert ops.next_actions(d | {"status": "archived"}) == {"attach", "amend"}
    assert ops.next_actions(d | {"status": "superseded"}) == {"attach", "archive", "amend"}
    assert ops.next_actions(d | {"status": "withdrawn"}) == frozenset()


def test_a_postings_life_through_the_operations(ws, data_dir, tmp_path):
    cat.adopt(ws, villages=["高桥村"])
    cat.set_tracking_start(ws, date(2026, 1, 1))
    cat.set_reviewers(ws, "高桥村", supervision="王建国", finance="李秀英")
    item = next(i for i in cat.items(ws, "高桥村") if i["name"] == FIN)
    step = ops.new_for_slot(ws, "高桥村", item["id"], "2026-Q3", on=date(2026, 10, 12))
    pid = step.posting["id"]
    assert step.posting["title"] == f"高桥村三季度{FIN}" and step.changes == {"postings"}
    assert ops.next_actions(step.posting) == {"review", "amend", "withdraw"}
    assert ops.reviewer_default(ws, pid) == ("李秀英", "民主理财小组")

    with pytest.raises(InputRejected) as err:
        ops.post(ws, pid, location="村公示栏", days=7, on=date(2026, 10, 13))
    assert err.value.hint == Hint.REVIEW_POSTING and err.value.code == "rejected"
    _no_command(err.value.message)
    assert "gkdesk posting review" in cli_hint(err.value.message, err.value.hint)
    assert "登记审核" in ui_hint(err.value.message, err.value.hint)

    ops.review(ws, pid, "李秀英", "民主理财小组", on=date(2026, 10, 12))
    posted = ops.post(ws, pid, location="村公示栏", days=7, working=False, on=date(2026, 10, 13))
    assert posted.period == "2026-10-13至2026-10-19(共7天)" and posted.period in posted.summary()
    assert ops.post_defaults(posted.posting) == (7, False)
    pics = ops.attach_photos(ws, pid, [make_photo(tmp_path / "栏.jpg")], on=date(2026, 10, 13))
    assert len(pics.photos) == 1 and pics.summary() == "已附照片 栏.jpg(640×480)"
    obj = ops.add_objection(ws, pid, "少列一笔", by="李四", on=date(2026, 10, 14))
    assert obj.summary() == f"已登记异议 {obj.objection_id[:8]}" and obj.posting["objections_open"] == 1
    with pytest.raises(InputRejected, match="尚有 1 条异议未答复"):
        ops.archive(ws, pid, on=date(2026, 10, 25))
    ops.answer_open(ws, pid, "已补列", on=date(2026, 10, 15))
    with pytest.raises(InputRejected, match="没有未答复的异议"):
        ops.answer_open(ws, pid, "再答一次", on=date(2026, 10, 15))
    done = ops.archive(ws, pid, on=date(2026, 10, 25))
    assert done.posting["status"] == "archived" and not done.warnings  # it has its photo

    det = ops.detail(ws, pid, thumbs=96)
    assert det.actions == {"attach", "amend"} and det.photos[0].thumb
    assert ops.photo_file(ws, pid, det.photos[0].sha256).is_file()
    assert [h["label"] for h in det.history] == ["登记", "审核", "张贴", "附照片", "异议", "答复异议", "公示期满", "归档"]
    assert sum(1 for _, a, _ in _actions(ws) if a.startswith("posting.")) == 8

    out = ops.export_register(ws, 2026, tmp_path / "台账.xlsx")
    assert (out.rows, out.photos) == (1, 1) and out.summary().endswith("台账.xlsx")
    view = ops.village_view(ws, "高桥村", 2026, date(2026, 11, 22))
    fin = next(r for r in view.calendar.rows if r.name == FIN)
    assert [c.status for c in fin.cells] == ["missing", "missing", "late", "missing"]
    assert ops.overview(ws, date(2026, 11, 22)).overdue["高桥村"] > 0


def test_working_days_without_holidays_hint_the_year(ws):
    pid = ops.new(ws, "柳树村", "三月财务", on=date(2027, 3, 1)).posting["id"]
    ops.review(ws, pid, "王建国", "村务监督委员会", on=date(2027, 3, 1))
    with pytest.raises(InputRejected) as err:
        ops.post(ws, pid, location="村公示栏", days=7, working=True, on=date(2027, 3, 2))
    assert err.value.hint == Hint.SET_HOLIDAYS and err.value.hint_args == {"year": 2027}
    assert "待补充2027年节假日安排" in err.value.message
    _no_command(err.value.message)
    assert "2027年节假日" in ui_hint(err.value.message, err.value.hint, err.value.hint_args)


def test_archive_without_photo_warns_and_correction_links(ws):
    pid = ops.new(ws, "新华社区", "物业收费", on=date(2026, 10, 1)).posting["id"]
    ops.review(ws, pid, "王建国", "村务监督委员会", on=date(2026, 10, 1))
    ops.post(ws, pid, location="村公示栏", days=7, on=date(2026, 10, 2))
    fix = ops.correct(ws, pid, "金额有误", on=date(2026, 10, 3))
    assert fix.replaces == pid and fix.posting["replaces_id"] == pid and fix.posting["status"] == "draft"
    done = ops.archive(ws, pid, on=date(2026, 10, 20))
    assert done.warning_lines() == ["公示“物业收费”没有张贴照片,县级检查时缺少佐证"]
