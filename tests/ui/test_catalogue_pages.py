"""标准目录 and 首页 with the demo township (and the screenshots under docs/)."""

from __future__ import annotations

import os
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
    assert page.soon.rowCount() == 1 and page.soon.item(0, 2).text() == "最低生活保障 / 审批信息"
    assert page.never.rowCount() == 7
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
    assert page.table.rowCount() == 8
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
    assert [page.table.item(r, 2).text() for r in range(page.table.rowCount())] == ["耕地地力保护"]
    page.search.clear()
    page._run_search()

    def pick(p):
        node = next(it for it in _walk(p.tree) if it.text(0) == "社会救助")
        p.tree.setCurrentItem(node)
        p.table.selectRow(2)

    _shot(demo_ctx, "catalogue", pick)


def _walk(tree):
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        it = stack.pop(0)
        yield it
        stack.extend(it.child(i) for i in range(it.childCount()))
