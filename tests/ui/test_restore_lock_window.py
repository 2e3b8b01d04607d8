"""The window's restore while a command has the same data open: refused, naming it, data kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from gkdesk import backups, township
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.qt import QtWidgets
from tests.store_lock_helpers import Holder


@pytest.fixture
def window(qtbot, store):
    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_window_restore_is_refused_while_a_command_has_the_data_open(window, store, data_dir: Path,
                                                                    monkeypatch, tmp_path: Path) -> None:
    page = window.show_page("backups")
    page.create()
    with store.session() as s:
        township.add_village(s, "恢复后仍在村", 0, "测试员")
    shown: list[tuple[str, str]] = []

    def capture(parent, title, text):  # type: ignore[no-untyped-def]
        shown.append((title, text))
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Warning, title, text, parent=parent)
        box.show()
        box.grab().save(str(tmp_path / "restore-refused.png"))  # looked at: the refusal as the clerk sees it
        box.close()

    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", capture)
    cmd = Holder(data_dir, "cli")
    try:
        page.table.selectRow(0)
        page.restore(confirm=False)
    finally:
        cmd.stop()
    [(title, text)] = shown
    assert title == "无法恢复" and f"命令行(进程号 {cmd.pid}" in text and "不能从备份恢复" in text
    with window.ctx.store.session() as s:  # the window's own data is untouched and still writable
        assert "恢复后仍在村" in [v.name for v in township.villages(s)]
        township.add_village(s, "之后再加村", 0, "测试员")
    assert not any(b.reason == "before-restore" for b in backups.list_backups(data_dir))
    assert (tmp_path / "restore-refused.png").stat().st_size > 0
