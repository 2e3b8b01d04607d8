"""The county marks import layouts for its townships in the 导入模板 dialog (下发乡镇); a
township's dialog has no such column or button."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gkdesk import township
from gkdesk.payouts import layouts as L
from gkdesk.store import open_store
from gkdesk.ui.context import UiContext
from gkdesk.ui.pages.payouts import PayoutsPage
from gkdesk.ui.payout_layouts_dialog import LayoutsDialog
from gkdesk.ui.qt import QtWidgets

SPECS = (("信用社代发表", "sig-a"), ("财政一卡通", "sig-b"))


def _dialog(store, qtbot) -> LayoutsDialog:
    with store.session() as s:
        for name, sig in SPECS:
            L.save(s, L.LayoutSpec(name, sig, ["户名", "身份证", "金额"], {"name": "户名", "amount": "金额"}), "王会计")
    page = PayoutsPage(UiContext(store, operator="王会计"))
    qtbot.addWidget(page)
    dlg = LayoutsDialog(page)
    qtbot.addWidget(dlg)
    return dlg


def test_county_marks_and_unmarks_layouts_for_the_townships(tmp_path: Path, qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: pytest.fail(str(a[2])))
    store = open_store(tmp_path / "county")
    try:
        with store.session() as s:
            township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
        dlg = _dialog(store, qtbot)
        assert dlg.county and dlg.headers == ["模板", "来源", "下发乡镇", "列对应"] and dlg.send_btn.isVisibleTo(dlg)
        dlg.table.selectRow(dlg.names.index("财政一卡通"))
        assert dlg.send_btn.text() == "下发乡镇"
        assert dlg.toggle_send()
        with store.session() as s:
            assert L.sent_names(s) == {"财政一卡通"}
        row = dlg.names.index("财政一卡通")
        assert dlg.table.item(row, 2).text() == "是"
        dlg.resize(760, 300)
        dlg.show()
        dlg.table.selectRow(row)
        assert dlg.send_btn.text() == "取消下发"
        assert dlg.grab().save(str(tmp_path / "layouts-send-down.png"))  # docs/layouts-send-down.png was made so
        assert dlg.toggle_send()
        with store.session() as s:
            assert L.sent_names(s) == set()
        dlg.close()
    finally:
        store.close()


def test_township_dialog_has_no_send_down(store, qtbot) -> None:
    dlg = _dialog(store, qtbot)
    assert not dlg.county and "下发乡镇" not in dlg.headers and not dlg.send_btn.isVisibleTo(dlg)
    dlg.close()
