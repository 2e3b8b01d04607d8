"""标准目录 and 首页 with the demo township (and the screenshots under docs/)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gkdesk import demo
from gkdesk.store import open_store

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def demo_ctx(data_dir, qapp):
    from gkdesk.ui.context import UiContext

    store = open_store(data_dir)
    with store.session() as s:
        demo.fill_demo(s, "演示")
    ctx = UiContext(store, "演示")
    yield ctx
    store.close()


def _shot(ctx, key: str, prepare=None) -> None:
    """With GKDESK_SCREENSHOTS=1: the whole window, styled as the app is, on page ``key``."""
    if not os.environ.get("GKDESK_SCREENSHOTS"):
        return
    from gkdesk.ui.app import load_style
    from gkdesk.ui.fonts import apply_font
    from gkdesk.ui.mainwindow import MainWindow
    from gkdesk.ui.qt import QtWidgets

    app = QtWidgets.QApplication.instance()
    load_style(app)
    apply_font(app, 10)
    win = MainWindow(ctx, demo=True)
    win.resize(1360, 820)
    win.show()
    page = win.show_page(key)
    if prepare:
        prepare(page)
    QtWidgets.QApplication.processEvents()
    win.grab().save(str(DOCS / f"{key}.png"))
    win.close()


def test_home_shows_overdue_due_and_completion(qtbot, demo_ctx):
    from gkdesk.ui.pages.home import HomePage

    page = HomePage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1200, 720)
    page.show()
    assert page.overdue.rowCount() == 3
    labels = {page.overdue.item(r, 2).text() for r in range(3)}
    assert "最低生活保障 / 审核信息" in labels
    assert page.soon.rowCount() == 1 and page.soon.item(0, 2).text() == "特困人员救助供养 / 审核信息"
    never = {page.never.item(r, 1).text() for r in range(page.never.rowCount())}
    assert "临时救助 / 办事指南" in never
    assert "最低生活保障 / 审批信息" not in never  # 县级民政's: listed apart, not the township's
    assert page.tabs.tabText(0) == "逾期未公开(3)"
    domains = [page.completion.item(r, 0).text() for r in range(page.completion.rowCount())]
    assert {"社会救助", "涉农补贴"} <= set(domains)
    _shot(demo_ctx, "home")


def test_catalogue_tree_search_filter_and_publish(qtbot, demo_ctx, monkeypatch):
    from gkdesk.ui.pages import catalogue as cat
    from gkdesk.ui.qt import QtWidgets

    page = cat.CataloguePage(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.show()
    total = len(page.rows)
    assert page.table.rowCount() == total
    # choose 社会救助 in the tree
    node = next(it for it in _walk(page.tree) if it.text(0) == "社会救助")
    page.tree.setCurrentItem(node)
    assert page.table.rowCount() == 15
    # filter: overdue only
    page.filter.setCurrentIndex(1)
    assert [page.table.item(r, 2).text() for r in range(page.table.rowCount())] == ["审核信息"]
    assert "逾期未公开" in page.detail.toPlainText()
    # record a publication through the dialog
    def fake_exec(dlg):
        dlg.title.setText("低保初审对象公示")
        dlg.channel.setCurrentText("村务公开栏")
        return QtWidgets.QDialog.DialogCode.Accepted
    monkeypatch.setattr(cat.PublicationDialog, "exec", fake_exec)
    page.add_publication()
    page.filter.setCurrentIndex(0)
    row = page.current_row()
    assert row.item["level2"] == "审核信息" and row.publications[-1]["title"] == "低保初审对象公示"
    assert "低保初审对象公示" in page.detail.toPlainText()
    # search (two characters: LIKE) across all domains
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    page.search.setText("耕地")
    page._run_search()
    assert [page.table.item(r, 2).text() for r in range(page.table.rowCount())] == ["耕地地力保护和种粮大户补贴"]
    page.search.clear()
    page._run_search()

    def pick(p):
        node = next(it for it in _walk(p.tree) if it.text(0) == "社会救助")
        p.tree.setCurrentItem(node)
        p.table.selectRow(2)

    _shot(demo_ctx, "catalogue", pick)


def test_catalogue_import_asks_for_domain_then_imports(qtbot, store, tmp_path, monkeypatch):
    """A file that names no 领域: the page asks for one (keyed off the error's hint) and imports."""
    import openpyxl

    from gkdesk.ui.context import UiContext
    from gkdesk.ui.pages import catalogue as cat
    from gkdesk.ui.qt import QtWidgets

    book = tmp_path / "目录.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["序号", "一级事项", "二级事项", "公开内容", "公开时限"])
    wb.active.append([1, "农业生产发展资金", "耕地地力保护", "补贴对象", "20个工作日内"])
    wb.save(book)
    ctx = UiContext(store, "测试员")
    page = cat.CataloguePage(ctx)
    qtbot.addWidget(page)
    page.show()
    asked, shown = [], []
    monkeypatch.setattr(cat, "ask_domain", lambda _p, msg, names: asked.append((msg, names)) or "涉农补贴")
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(cat.ImportDialog, "exec", lambda dlg: QtWidgets.QDialog.DialogCode.Accepted)
    page.import_directory(path=str(book))
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert asked and "无法确定所属领域" in asked[0][0] and "涉农补贴" in asked[0][1]
    # the dialog judged the file whole and proposed 耕地地力保护 → 耕地地力保护和种粮大户补贴 (kept ticked)
    assert [p["new"] for p in page.last_import_dialog.preview.proposals] == ["农业生产发展资金 / 耕地地力保护"]
    assert shown[0].startswith("导入“目录.xlsx”(按整个目录导入):涉农补贴 1项;新增 0,变更 0,改名 1,删除 3\n改名:涉农补贴 ")
    assert list((store.data_dir / "backups").glob("*before-catalogue-import*"))
    qtbot.waitUntil(lambda: any(r.item["level2"] == "耕地地力保护" and r.item["origin"] == "imported"
                                and r.item["former_names"] for r in page.rows), timeout=5000)


def test_catalogue_not_applicable_toggle_and_selfcheck(qtbot, store, tmp_path, monkeypatch):
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.pages import catalogue as cat
    from gkdesk.ui.qt import QtWidgets

    ctx = UiContext(store, "测试员")
    page = cat.CataloguePage(ctx)
    qtbot.addWidget(page)
    page.show()
    node = next(it for it in _walk(page.tree) if it.text(0) == "社会救助")
    page.tree.setCurrentItem(node)
    first = page.current_row().item["id"]
    monkeypatch.setattr(cat, "ask_reason", lambda _p, _t: "县民政局办理")
    page.toggle_not_applicable()
    row = next(r for r in page.rows if r.item["id"] == first)
    assert row.status == "na" and row.item["not_applicable_reason"] == "县民政局办理"
    page.filter.setCurrentIndex(4)  # 未涉及
    assert page.current_row().item["id"] == first and page.btn_na.text() == "取消未涉及"
    page.toggle_not_applicable()
    assert next(r for r in page.rows if r.item["id"] == first).status != "na"

    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    page.export_selfcheck(path=str(tmp_path / "回头看.xlsx"))
    assert (tmp_path / "回头看.xlsx").exists() and shown[-1].startswith("已导出“回头看”自查表:")
    page.export_selfcheck(path=str(tmp_path / "回头看.doc"))
    assert "类型不支持" in shown[-1] and "--" not in shown[-1]


def _walk(tree):
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        it = stack.pop(0)
        yield it
        stack.extend(it.child(i) for i in range(it.childCount()))


def test_import_dialog_shows_mode_reason_and_renames(qtbot, store, tmp_path, monkeypatch):
    """The 续表 page is taken as a part (and why); a revised directory proposes renames per pair."""
    from gkdesk.app import catalogue as ops
    from gkdesk.app.workspace import Workspace
    from gkdesk.ui.pages.catalogue_import_dialog import ImportDialog
    from gkdesk.ui.qt import Qt
    from tests.catalogue_layouts import RELIEF, directory_book
    from tests.test_catalogue_parts import SUBSIDY_TOP, subsidy_2024, subsidy_2025

    ws = Workspace(store, "测试员")
    ops.import_directory(ws, directory_book(tmp_path / "a.xlsx", RELIEF[:5], "社会救助领域基层政务公开标准目录"))
    cont = ops.preview_directory(ws, directory_book(tmp_path / "b.xlsx", RELIEF[10:],
                                                    "社会救助领域基层政务公开标准目录(续表)"))
    dlg = ImportDialog(cont)
    qtbot.addWidget(dlg)
    assert dlg.part.isChecked() and "序号从11开始" in dlg.why.text() and "续表" in dlg.why.text()
    assert not dlg.renames_box.isEnabled()
    assert dlg.values() == {"part": True, "renames": []}

    ops.import_directory(ws, directory_book(tmp_path / "2024.xlsx", subsidy_2024(), SUBSIDY_TOP))
    ops.add_publication(ws, "涉农补贴/农机购置补贴", date(2024, 5, 6), channel="政府网站", title="农机补贴方案")
    rev = ops.preview_directory(ws, directory_book(tmp_path / "2025.xlsx", subsidy_2025(), SUBSIDY_TOP))
    dlg = ImportDialog(rev)
    qtbot.addWidget(dlg)
    dlg.resize(1040, 560)
    dlg.show()
    assert dlg.whole.isChecked() and dlg.renames_box.isEnabled() and dlg.table.rowCount() == 2
    texts = {dlg.table.item(r, 1).text(): r for r in range(2)}
    land = texts["涉农补贴:农业生产发展资金 / 耕地地力保护"]
    machine = texts["涉农补贴:农业生产发展资金 / 农机购置补贴"]
    assert dlg.table.item(machine, 4).text() == "1条"
    dlg.table.item(land, 0).setCheckState(Qt.CheckState.Unchecked)  # the clerk rejects one pair
    assert "停用 1" in dlg.counts.text()
    if os.environ.get("GKDESK_SCREENSHOTS"):
        dlg.grab().save(str(DOCS / "catalogue-import.png"))
    chosen = dlg.values()
    assert chosen["part"] is False and len(chosen["renames"]) == 1
    res = ops.import_directory(ws, tmp_path / "2025.xlsx", part=chosen["part"], renames=chosen["renames"])
    assert [r["new"] for r in res.renamed] == ["农业产业发展资金 / 农机购置与应用补贴"]
    pubs = ops.publications(ws, "涉农补贴/农机购置与应用补贴")
    assert [p["title"] for p in pubs] == ["农机补贴方案"]


def test_update_builtin_button_reports(qtbot, store, monkeypatch):
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.pages import catalogue as cat
    from gkdesk.ui.qt import QtWidgets

    page = cat.CataloguePage(UiContext(store, "测试员"))
    qtbot.addWidget(page)
    page.show()
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    page.update_builtin()
    assert shown == ["内置标准目录模板已是最新"]
    assert page.filter.findText("县级部门负责(不计入)") >= 0
