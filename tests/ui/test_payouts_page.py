"""补贴发放 page: import wizard end to end, lazy rows with search, masked IDs, audited reveal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gkdesk import demo
from gkdesk.audit import recent
from gkdesk.store import open_store
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.qt import QtWidgets
from tests.payout_files import messy_area_xlsx, pid


@pytest.fixture
def window(qtbot, store):
    ctx = UiContext(store, "测试员")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1200, 760)
    win.show()
    return win


def test_import_wizard_then_search_and_reveal(window, qtbot, store, tmp_path: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    page = window.show_page("payouts")
    assert page.batches.rowCount() == 0
    dlg = page.open_import()
    dlg.path.setText(str(messy_area_xlsx(tmp_path / "清册.xlsx")))
    dlg.program.setCurrentText("耕地地力保护补贴")
    dlg.year.setValue(2026)
    dlg.next()  # read file, detect header
    qtbot.waitUntil(lambda: dlg.stack.currentIndex() == 1, timeout=10000)
    assert "第4行" in dlg.header_info.text()
    assert dlg.column_combos[8].currentText() == "金额" and dlg.column_combos[7].currentText() == "标准"
    dlg.next()  # validate every row
    qtbot.waitUntil(lambda: dlg.stack.currentIndex() == 2, timeout=10000)
    assert "可导入5行,合计1151.36元" in dlg.summary.text() and dlg.next_btn.isEnabled()
    dlg.next()  # import
    qtbot.waitUntil(lambda: dlg.result_batch is not None, timeout=10000)
    assert "已导入5行" in shown[-1]
    qtbot.waitUntil(lambda: page.batches.rowCount() == 1, timeout=5000)
    assert page.model is not None and page.model.total == 5
    assert page.model.data(page.model.index(2, 3)) == pid(3)[:6] + "********" + pid(3)[-4:]
    page.search.setText("王五")
    page.show_rows()
    assert page.model.total == 1
    page.rows.selectRow(0)
    assert page.reveal_selected() == pid(3)
    with store.session() as s:
        assert recent(s, 1)[0].action == "payouts.reveal_id"


def test_screenshot_with_demo_data(qtbot, tmp_path: Path) -> None:
    st = open_store(tmp_path / "demo")
    with st.session() as s:
        demo.fill_demo(s, "演示")
    ctx = UiContext(st, "演示")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    page = win.show_page("payouts")
    assert page.batches.rowCount() == 2 and page.model.total > 20
    page.batches.selectRow(1)
    qtbot.wait(50)
    # GKDESK_SCREENSHOTS=1 refreshes the committed docs/payouts.png; otherwise keep the repo untouched.
    docs = Path(__file__).resolve().parents[2] / "docs"
    out = docs / "payouts.png" if os.environ.get("GKDESK_SCREENSHOTS") else tmp_path / "payouts.png"
    win.grab().save(str(out))
    assert out.stat().st_size > 10_000
    st.close()
