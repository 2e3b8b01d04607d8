"""Villages can be corrected: rename, merge (every row moves), delete when unused, group count."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from gkdesk.models import AuditEntry, Payout, Village
from tests.payout_files import pid, simple_xlsx


def test_rename_merge_delete_and_groups(store, cli, data_dir: Path, tmp_path: Path) -> None:
    assert cli("villages", "add", "高桥村2组").code != 0  # a group is never a village
    assert cli("villages", "add", "红石村", "--groups", "2").code == 0
    f = simple_xlsx(tmp_path / "a.xlsx", [["红石村", "2组", "甲", pid(1), 1, 100, 100], ["高桥村", "1组", "乙", pid(2), 1, 100, 100]])
    j = cli("payouts", "import", str(f), "--program", "耕地地力保护补贴", "--year", "2026", "--json").json
    assert j["status"] == "imported"
    r = cli("villages", "delete", "红石村")
    assert r.code != 0 and "仍有数据" in (r.out + r.err)
    r = cli("villages", "rename", "红石村", "红石头村", "--json")
    assert r.code == 0 and r.json["village"]["name"] == "红石头村"
    r = cli("villages", "merge", "红石头村", "高桥村", "--json")
    assert r.code == 0 and r.json["moved"]["payout"] == 1
    with store.session() as s:
        names = {v.id: v.name for v in s.scalars(select(Village))}
        assert {names[p.village_id] for p in s.scalars(select(Payout))} == {"高桥村"}
        live = [v.name for v in s.scalars(select(Village).where(Village.deleted_at.is_(None)))]
        assert "红石头村" not in live
        actions = [a.action for a in s.scalars(select(AuditEntry))]
        assert {"village.rename", "village.merge"} <= set(actions)
    assert any("before-village-merge" in p.name for p in (data_dir / "backups").iterdir())
    assert cli("villages", "add", "空村").code == 0
    assert cli("villages", "delete", "空村").code == 0
    r = cli("villages", "groups", "柳树村", "6", "--json")
    assert r.code == 0 and r.json["village"]["groups"] == 6
    r = cli("villages", "groups", "柳树村", "2", "--json")
    assert r.code == 0 and r.json["village"]["groups"] == 2


def test_village_edit_dialog(qtbot, store, monkeypatch) -> None:
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.mainwindow import MainWindow
    from gkdesk.ui.qt import QtWidgets

    monkeypatch.setattr(QtWidgets.QMessageBox, "question", lambda *a, **k: QtWidgets.QMessageBox.StandardButton.Yes)
    warnings: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda p, t, text, *a, **k: warnings.append(text))
    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    page = win.show_page("settings")
    dlg = page.edit_village()
    dlg.village.setCurrentText("柳树村")
    dlg.new_name.setText("柳树2组")
    assert not dlg.rename() and "村民小组" in warnings[-1]
    dlg.new_name.setText("杨柳村")
    assert dlg.rename() and dlg.village.currentText() == "杨柳村"
    dlg.groups.setValue(7)
    assert dlg.set_groups()
    dlg.target.setCurrentText("高桥村")
    assert dlg.merge()
    assert "杨柳村" not in [dlg.village.itemText(i) for i in range(dlg.village.count())]
    page.refresh()
    names = [page.villages.item(r, 0).text() for r in range(page.villages.rowCount())]
    assert names == ["高桥村", "新华社区"]
