"""Risky actions: confirmations that name the thing, Enter that never cancels a running job,
closing the window during work, and a county set up in a county's words."""

from __future__ import annotations

import threading
import time

import pytest

from gkdesk import township
from gkdesk.app import backups as backup_ops
from gkdesk.errors import Cancelled
from gkdesk.store import open_store
from gkdesk.ui import jobs
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.qt import QtCore, QtWidgets
from gkdesk.ui.widgets import confirm as confirm_mod
from gkdesk.ui.wizard import FirstRunWizard


def _slow(started: threading.Event, seconds: float = 20):
    def fn(report, cancelled):
        started.set()
        t0 = time.monotonic()
        while time.monotonic() - t0 < seconds:
            if cancelled():
                raise Cancelled("已取消,数据未做改动。")
            report(0.5, "处理中……")
            time.sleep(0.02)
        return "done"
    return fn


def test_enter_never_cancels_a_running_job(qtbot, qapp):
    started = threading.Event()
    errors: list[BaseException] = []
    parent = QtWidgets.QWidget()
    qtbot.addWidget(parent)
    parent.show()
    job = jobs.run_job(parent, "导入清册", _slow(started), lambda _r: None, errors.append)
    qtbot.waitUntil(lambda: job.dialog is not None and job.dialog.isVisible(), timeout=5000)
    for key in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
        qtbot.keyClick(job.dialog, key)
        qapp.processEvents()
    assert not job.cancel_event.is_set() and not job.done
    button = next(b for b in job.dialog.findChildren(QtWidgets.QPushButton) if b.text() == "取消")
    assert not button.isDefault() and not button.autoDefault()
    button.click()
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert isinstance(errors[0], Cancelled)


def test_closing_during_work_asks_then_cancels_cleanly(qtbot, store, monkeypatch):
    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    win.show()
    started = threading.Event()
    job = jobs.run_job(win, "导出公示台账", _slow(started), lambda _r: None, lambda _e: None)
    assert started.wait(5)
    asked: list[str] = []
    answer = [QtWidgets.QMessageBox.StandardButton.No]
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or answer[0])
    win.close()
    assert win.isVisible() and not job.cancel_event.is_set()  # "No": keep working
    assert "导出公示台账" in asked[-1]
    answer[0] = QtWidgets.QMessageBox.StandardButton.Yes
    t0 = time.monotonic()
    win.close()
    assert not win.isVisible() and job.cancel_event.is_set()
    assert QtCore.QThreadPool.globalInstance().activeThreadCount() == 0  # nothing left running
    assert time.monotonic() - t0 < 5


def test_restore_confirmation_names_the_backup(qtbot, store, monkeypatch):
    ctx = UiContext(store, "测试员")
    made = backup_ops.create(ctx.ws, force=True)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("backups")
    page.table.selectRow(0)
    seen: list[tuple] = []
    monkeypatch.setattr(confirm_mod, "answer_for_tests", lambda t, q, f: seen.append((t, q, f)) or False)
    page.restore()
    title, question, facts = seen[-1]
    assert "替换当前的全部数据" in question
    info = dict(facts)
    assert title == "确认恢复" and info["文件"] == page.items[0].path.name
    assert len(info["备份时间"]) == 19 and info["原因"] and info["大小"].endswith("KB")
    assert made is not None


def test_confirm_dialog_defaults_to_cancel(qtbot):
    QtCore.QTimer.singleShot(200, lambda: qtbot.keyClick(QtWidgets.QApplication.activeModalWidget(),
                                                         QtCore.Qt.Key.Key_Return))
    ok = confirm_mod.confirm(None, "删除发放批次", "删除这个发放批次?",
                             [("补贴项目", "耕地地力保护补贴"), ("年度", 2026), ("期次", "第2期"), ("笔数", 412),
                              ("金额", "54,123.40 元")], action="删除")
    assert ok is False  # Enter pressed the default button, which is 取消


def test_county_first_run_is_worded_for_a_county(qtbot, data_dir):
    store = open_store(data_dir)
    wiz = FirstRunWizard(store)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.opt_county.setChecked(True)
    wiz.next()
    assert wiz.currentPage() is wiz.dpage  # where the county's data live: this PC's file by default
    wiz.next()
    assert wiz.tpage.title() == "本县(区)政务公开办信息"
    assert wiz.labels["name"].text() == "单位名称*" and "乡镇" not in wiz.labels["name"].text()
    wiz.name.setText("通川区政务公开办")
    wiz.code.setText("511702")
    wiz.county.setText("通川区")
    assert wiz.nextId() == -1  # no villages page
    wiz.button(QtWidgets.QWizard.WizardButton.FinishButton).click()
    assert wiz.result() == QtWidgets.QDialog.DialogCode.Accepted
    with store.session() as s:
        t = township.current(s)
        assert (t.name, t.role) == ("通川区政务公开办", "county")
    store.close()


@pytest.fixture(autouse=True)
def _no_left_jobs():
    yield
    jobs.cancel_all_and_wait(5000)
