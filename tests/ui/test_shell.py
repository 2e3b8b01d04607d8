"""The window shell driven with pytest-qt: wizard, navigation, settings, backups, jobs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from gkdesk import backups, paths, township
from gkdesk.errors import Cancelled
from gkdesk.models.audit import AuditEntry
from gkdesk.paging import ListRowSource
from gkdesk.store import open_store
from gkdesk.ui.context import UiContext
from gkdesk.ui.jobs import run_job
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.pages import PAGE_SPECS
from gkdesk.ui.qt import QtWidgets
from gkdesk.ui.tablemodel import LazyTableModel
from gkdesk.ui.wizard import FirstRunWizard, parse_village_lines


def test_wizard_sets_up_township_and_villages(qtbot, data_dir: Path) -> None:
    store = open_store(data_dir)
    wiz = FirstRunWizard(store)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.next()  # welcome → township
    wiz.name.setText("高桥镇")
    wiz.code.setText("511702101")
    wiz.county.setText("通川区")
    wiz.operator.setText("李会计")
    wiz.next()
    wiz.villages.setPlainText("高桥村 8\n柳树村,6\n新华社区\n")
    wiz.button(QtWidgets.QWizard.WizardButton.FinishButton).click()
    assert wiz.result() == QtWidgets.QDialog.DialogCode.Accepted
    with store.session() as s:
        assert township.current(s).name == "高桥镇"
        got = [(v.name, len(v.groups)) for v in township.villages(s)]
    assert got == [("高桥村", 8), ("柳树村", 6), ("新华社区", 0)]
    store.close()


def test_wizard_refuses_incomplete_township(qtbot, data_dir: Path, monkeypatch) -> None:
    store = open_store(data_dir)
    warned = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    wiz = FirstRunWizard(store)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.next()
    wiz.name.setText("高桥镇")
    wiz.code.setText("12")
    wiz.county.setText("通川区")
    wiz.next()
    assert wiz.currentPage() is wiz.tpage and "6 至 12 位数字" in warned[-1]
    store.close()


def test_parse_village_lines() -> None:
    assert parse_village_lines("高桥村 8\n柳树村,6个组\n 新华社区 \n") == [("高桥村", 8), ("柳树村", 6), ("新华社区", 0)]
    with pytest.raises(ValueError):
        parse_village_lines("高桥村 八 组")


@pytest.fixture
def window(qtbot, store):
    ctx = UiContext(store, "测试员")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    return win


def test_navigation_reaches_every_page(window, qtbot) -> None:
    for row, spec in enumerate(PAGE_SPECS):
        window.nav.setCurrentRow(row)
        assert window.stack.currentWidget().widget() is window.pages[spec.key]
    assert "高桥镇" in window.windowTitle()


def test_settings_page_adds_village_and_calendar_year(window, store) -> None:
    page = window.show_page("settings")
    page.v_name.setText("白鹤村")
    page.v_groups.setValue(4)
    page.add_village()
    assert page.villages.rowCount() == 4
    page.cal_year.setValue(2027)
    page.cal_holidays.setText("2027-01-01 2027-02-06..2027-02-12")
    page.cal_workdays.setText("2027-02-14")
    page.save_year()
    assert "2004–2027年" in page.cal_years.text() and page.cal_holidays.text() == ""
    with store.session() as s:
        assert [v.name for v in township.villages(s)][-1] == "白鹤村"
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "calendar.set_year"))
    assert (entry.operator, entry.target) == ("测试员", "2027")
    assert "已保存2027年:放假 8 天,调休上班 1 天" in window.statusBar().currentMessage()


def test_settings_page_refuses_a_bad_holiday_in_window_words(window, monkeypatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    page = window.show_page("settings")
    page.cal_year.setValue(2028)
    page.cal_holidays.setText("2028-13-01")
    page.save_year()
    assert "2028-13-01" in warned[-1] and "--" not in warned[-1] and "gkdesk" not in warned[-1]
    assert page.cal_holidays.text() == "2028-13-01"  # kept for the clerk to correct
    assert "2028年" not in page.cal_years.text().split("。")[0]


def test_settings_page_operator_is_used_by_later_actions(window, store) -> None:
    page = window.show_page("settings")
    page.operator.setText("李会计")
    page.save_operator()
    assert window.ctx.operator == "李会计"
    page.cal_year.setValue(2027)
    page.cal_holidays.setText("2027-01-01")
    page.save_year()
    with store.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "calendar.set_year"))
    assert entry.operator == "李会计"


def test_backups_page_restores_selected_backup(window, store, data_dir: Path) -> None:
    page = window.show_page("backups")
    page.create()
    assert page.table.rowCount() == 1
    with store.session() as s:
        township.add_village(s, "误加村", 0, "测试员")
    page.table.selectRow(0)
    page.restore(confirm=False)
    with window.ctx.store.session() as s:
        assert "误加村" not in [v.name for v in township.villages(s)]
    assert any(b.reason == "before-restore" for b in backups.list_backups(data_dir))
    assert "恢复前的数据已备份" in page.status.text()


def test_close_makes_on_close_backup(window, data_dir: Path) -> None:
    window.close()
    assert [b.reason for b in backups.list_backups(data_dir)] == ["on-close"]


def test_job_runner_success_and_cancel(qtbot) -> None:
    results: list[object] = []

    def work(report, cancelled):
        for i in range(5):
            report(i / 5, f"第{i}步")
        return 42

    job = run_job(None, "测试", work, results.append)
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert results == [42]

    errors: list[BaseException] = []

    def slow(report, cancelled):
        import time

        while not cancelled():
            time.sleep(0.01)
        raise Cancelled()

    job = run_job(None, "测试", slow, results.append, errors.append)
    qtbot.wait(700)  # past the 0.5 s threshold the progress dialog is up
    assert job.dialog is not None and job.dialog.isVisible()
    job.dialog.findChild(QtWidgets.QPushButton).click()  # the clerk presses 取消
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert isinstance(errors[0], Cancelled) and results == [42]


def test_lazy_model_fetches_in_pages(qtbot) -> None:
    src = ListRowSource(["序号", "姓名"], [(i, f"人{i}") for i in range(1000)])
    model = LazyTableModel(src, page_size=200)
    assert model.rowCount() == 200 and model.total == 1000
    from gkdesk.ui.qt import QtCore

    assert model.canFetchMore(QtCore.QModelIndex())
    model.fetchMore(QtCore.QModelIndex())
    assert model.rowCount() == 400
    assert model.data(model.index(399, 1)) == "人399"


def test_corrupt_database_offers_newest_good_backup(qtbot, store, data_dir: Path, monkeypatch) -> None:
    from gkdesk.ui.app import open_store_interactive

    backups.create_backup(data_dir, "manual")
    store.close()
    db = data_dir / paths.DB_FILENAME
    raw = bytearray(db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    db.write_bytes(bytes(raw))
    asked = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda *a, **k: asked.append(a[2]) or QtWidgets.QMessageBox.StandardButton.Yes)
    reopened = open_store_interactive(data_dir)
    assert reopened is not None and "是否用最新的完好备份恢复" in asked[0]
    with reopened.session() as s:
        assert len(township.villages(s)) == 3
    reopened.close()


def test_home_lists_villages_with_overdue_postings_and_opens_them(qtbot, data_dir: Path) -> None:
    from gkdesk import demo

    store = open_store(data_dir)
    with store.session() as s:
        demo.fill_demo(s, "测试员")
    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    win.show()
    home = win.pages["home"]
    box = home.villages_box
    assert box.table.rowCount() >= 1
    name = box.table.item(0, 0).text()
    home.open_village(name)
    assert win.stack.currentWidget().widget() is win.pages["villages"]
    store.close()
