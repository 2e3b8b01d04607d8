"""村务公开 page: adopt, calendar colours, a posting's whole life from the window, the screenshot."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from gkdesk import demo
from gkdesk.store import open_store
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.pages.villages import COLOURS
from gkdesk.ui.qt import QtWidgets
from gkdesk.ui.widgets.village_overdue import VillageOverdueBox
from tests.photo_helpers import make_photo

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def quiet(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    return shown


def _row(page, name):
    return next(r for r in range(page.grid.rowCount()) if page.grid.item(r, 0).text() == name)


def test_posting_life_from_the_window(qtbot, store, tmp_path, quiet):
    ctx = UiContext(store, "测试员")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    page = win.show_page("villages")
    page.today = date(2026, 11, 22)
    page.year.setValue(2026)
    assert page.grid.rowCount() == 0 and "请先“采用目录模板”" in page.summary.text()
    assert page.adopt()
    assert list((store.data_dir / "backups").glob("*-before-catalogue-adopt.sqlite3"))
    page.select_village("柳树村")
    assert page.do_tracking(date(2026, 1, 1), all_villages=True)  # this township kept the whole year
    assert page.grid.rowCount() == 28
    r = _row(page, "村集体财务收支明细")
    q3 = 2 + 6  # July column: the third quarter's cell spans 7–9月
    assert page.grid.columnSpan(r, q3) == 3
    assert page.grid.item(r, q3).text() == "✘"
    assert page.grid.item(r, q3).background().color().name() == COLOURS["missing"][0]
    page.select_cell(r, q3)
    assert page.actions["new"].isEnabled() and not page.actions["review"].isEnabled()
    assert page.new_for_cell(on=date(2026, 10, 25))
    assert page.actions["review"].isEnabled() and not page.actions["post"].isEnabled()
    assert not page.do_post(date(2026, 10, 25), "村公示栏", 7)
    assert "尚未经村务监督委员会或民主理财小组审核,不能张贴" in quiet[-1]
    assert "请先在“村务公开”页点“登记审核”" in quiet[-1] and "gkdesk" not in quiet[-1]  # the window's hint
    assert page.do_review("王建国", "民主理财小组", date(2026, 10, 25))
    assert page.do_post(date(2026, 10, 26), "村公示栏", 7)
    assert page.grid.item(r, q3).text() == "迟 10/26"
    assert page.grid.item(r, q3).background().color().name() == COLOURS["late"][0]
    assert page.do_attach([str(make_photo(tmp_path / "栏.jpg"))], date(2026, 10, 26))
    assert page.photo_list.count() == 1 and not page.photo_list.item(0).icon().isNull()
    assert page.do_object(date(2026, 10, 27), "少列一笔", "李四")
    assert not page.do_archive(date(2026, 11, 10))
    assert "尚有 1 条异议未答复" in quiet[-1]
    assert page.do_answer(date(2026, 10, 28), "已补列")
    assert page.do_archive(date(2026, 11, 10))
    assert "已归档" in page.info.text()
    labels = [page.history.item(i, 1).text() for i in range(page.history.rowCount())]
    assert labels == ["登记", "审核", "张贴", "附照片", "异议", "答复异议", "公示期满", "归档"]
    assert page.postings.rowCount() == 1


def test_overdue_widget(qtbot, store):
    ctx = UiContext(store, "测试员")
    page_ctx_box = VillageOverdueBox(ctx, today=date(2026, 11, 22))
    qtbot.addWidget(page_ctx_box)
    assert page_ctx_box.table.rowCount() == 0 and not page_ctx_box.empty.isHidden()
    from gkdesk import village_catalogue

    with store.session() as s:
        village_catalogue.adopt_template(s, "测试员", village_names=["新华社区"], on=date(2026, 1, 1))
    ctx.notify({"village_catalogue"})
    assert page_ctx_box.table.rowCount() == 1 and page_ctx_box.table.item(0, 0).text() == "新华社区"


def test_screenshot_with_demo_data(qtbot, tmp_path):
    """Runs the page on the demo township; writes docs/villages*.png only with GKDESK_SCREENSHOTS=1."""
    shots = DOCS if os.environ.get("GKDESK_SCREENSHOTS") == "1" else tmp_path
    st = open_store(tmp_path / "demo")
    with st.session() as s:
        demo.fill_demo(s, "王小红")
    win = MainWindow(UiContext(st, "王小红"))
    qtbot.addWidget(win)
    win.resize(1400, 860)
    win.show()
    page = win.show_page("villages")
    page.select_village("石桥村")
    r = _row(page, "村集体财务收支明细")
    col = next(c for c in range(2, 14) if (r, c) in page._cells and page._cells[(r, c)][1].posting_ids)
    page.select_cell(r, col)
    page.grid.horizontalScrollBar().setValue(0)
    assert page.photo_list.count() >= 0 and page.history.rowCount() >= 3
    qtbot.wait(50)
    out = shots / "villages.png"
    win.grab().save(str(out))
    assert out.stat().st_size > 20_000
    page.select_village("高桥村")
    page.tabs.setCurrentIndex(1)
    assert page.yearend.rowCount() >= 1  # the payouts demo paid 高桥村 this year
    qtbot.wait(50)
    page.grab().save(str(shots / "villages-yearend.png"))
    st.close()


def test_catalogue_adjustments_from_the_calendar(qtbot, store, quiet):
    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("villages")
    page.adopt()
    page.select_village("高桥村")
    assert not page.do_set_frequency("村集体财务收支明细", "每半年")
    assert "至少每季度公开一次,不能改为每半年" in quiet[-1]
    assert page.do_set_frequency("村集体财务收支明细", "每月20日")
    r = _row(page, "村集体财务收支明细")
    assert page.grid.item(r, 1).text() == "每月20日" and page.grid.columnSpan(r, 2) == 1
    assert page.do_add_item("光伏收益分配", "财务", "每年")
    assert page.grid.rowCount() == 29
    assert not page.do_remove_item("宅基地审批情况", "")
    assert "删除时请写明原因" in quiet[-1]
    assert page.do_remove_item("宅基地审批情况", "本村不涉及")
    assert page.grid.rowCount() == 28
    assert list((store.data_dir / "backups").glob("*-before-catalogue-remove.sqlite3"))
