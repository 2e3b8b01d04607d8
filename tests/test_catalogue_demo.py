"""The demo township shows every kind of 首页 entry."""

from __future__ import annotations

from gkdesk import demo
from gkdesk.catalogue import due
from gkdesk.store import open_store


def test_demo_catalogue_fills_the_dashboard(data_dir):
    store = open_store(data_dir)
    try:
        with store.session() as s:
            res = demo.fill_demo(s, "演示")
            assert res.counts["publications"] == 7
        with store.session() as s:
            board = due.dashboard(s)
            labels = {o.label for o in board.overdue}
            assert {"最低生活保障 / 审核信息", "乡镇预算决算 / 乡镇部门预算"} <= labels
            assert [o.label for o in board.due_soon] == ["特困人员救助供养 / 审核信息"]
            assert "临时救助 / 办事指南" in {o.label for o in board.never}
            assert "最低生活保障 / 审批信息" in {c["label"] for c in board.county_duty}
            assert {c["domain"] for c in board.completion} >= {"社会救助", "涉农补贴"}
    finally:
        store.close()
