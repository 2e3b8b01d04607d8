"""The window fits a 1366×768 screen (and 1920×1080 at 150 %), remembers where it was,
and the 12-month village calendar needs no horizontal scrolling."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from gkdesk import demo
from gkdesk.store import open_store
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow, fit_rect
from gkdesk.ui.pages import PAGE_SPECS
from gkdesk.ui.qt import QtCore, QtWidgets

# Available geometry (screen minus the task bar) in logical pixels.
SMALL = QtCore.QRect(0, 0, 1366, 728)  # 1366×768 at 100 %
HIDPI = QtCore.QRect(0, 0, 1280, 692)  # 1920×1080 at 150 %: 1280×720 logical, minus the task bar
TITLE_BAR = 32


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    st = open_store(tmp_path_factory.mktemp("demo") / "data")
    with st.session() as s:
        demo.fill_demo(s, "王小红")
    yield st
    st.close()


def _prefs(tmp_path: Path) -> QtCore.QSettings:
    return QtCore.QSettings(str(tmp_path / "window.ini"), QtCore.QSettings.Format.IniFormat)


@pytest.mark.parametrize("avail", [SMALL, HIDPI], ids=["1366x768", "1920x1080@150"])
def test_first_window_fits_the_screen(qtbot, demo_store, tmp_path, avail) -> None:
    win = MainWindow(UiContext(demo_store, "王小红"), prefs=_prefs(tmp_path))
    qtbot.addWidget(win)
    win.place(avail)
    g = win.geometry()
    assert avail.contains(g), (g, avail)
    assert g.top() - TITLE_BAR >= avail.top() - 8 and g.height() + TITLE_BAR <= avail.height()
    win.show()
    for spec in PAGE_SPECS:  # no page may force the window past the screen's edge
        win.show_page(spec.key)
        QtWidgets.QApplication.processEvents()
        hint = win.minimumSizeHint()
        assert hint.width() <= avail.width() and hint.height() + TITLE_BAR <= avail.height(), (spec.key, hint)
        assert win.height() <= avail.height(), spec.key


def test_remembers_size_position_and_maximized(qtbot, demo_store, tmp_path) -> None:
    ctx = UiContext(demo_store, "王小红")
    win = MainWindow(ctx, prefs=_prefs(tmp_path))
    qtbot.addWidget(win)
    win.place(SMALL)
    win.show()
    win.setGeometry(QtCore.QRect(100, 80, 700, 500))  # the offscreen test screen is 800×600
    QtWidgets.QApplication.processEvents()
    win.remember()
    again = MainWindow(ctx, prefs=_prefs(tmp_path))
    qtbot.addWidget(again)
    again.place(SMALL)
    assert again.geometry() == QtCore.QRect(100, 80, 700, 500)
    win.showMaximized()
    QtWidgets.QApplication.processEvents()
    win.remember()
    third = MainWindow(ctx, prefs=_prefs(tmp_path))
    qtbot.addWidget(third)
    third.place(SMALL)
    assert third.isMaximized() or bool(third.windowState() & QtCore.Qt.WindowState.WindowMaximized)
    # A geometry remembered on a bigger monitor that is gone is refitted, not used off-screen.
    p = _prefs(tmp_path)
    p.setValue("normal", QtCore.QRect(2000, 100, 1600, 1000))
    p.setValue("maximized", "false")
    p.sync()
    far = MainWindow(ctx, prefs=_prefs(tmp_path))
    qtbot.addWidget(far)
    far.place(SMALL)
    assert SMALL.contains(far.geometry())


def test_fit_rect_never_exceeds_the_screen() -> None:
    for avail in (SMALL, HIDPI, QtCore.QRect(1920, 0, 1024, 728)):
        r = fit_rect(avail)
        assert avail.contains(r) and r.height() + 40 <= avail.height()


@pytest.mark.parametrize("size", [QtCore.QSize(1366, 728 - TITLE_BAR), QtCore.QSize(1280, 692 - TITLE_BAR)],
                         ids=["1366x768", "1920x1080@150"])
def test_calendar_twelve_months_without_horizontal_scrolling(qtbot, demo_store, size) -> None:
    win = MainWindow(UiContext(demo_store, "王小红"))
    qtbot.addWidget(win)
    win.resize(size)
    win.show()
    page = win.show_page("villages")
    page.today = date(2026, 11, 22)
    page.year.setValue(2026)
    page.select_village("石桥村")
    QtWidgets.QApplication.processEvents()
    head = page.grid.horizontalHeader()
    assert head.length() <= page.grid.viewport().width() + 1
    dec = page.grid.columnViewportPosition(2 + 11)
    assert dec >= 0 and dec + page.grid.columnWidth(2 + 11) <= page.grid.viewport().width() + 1  # 12月 visible
    assert page.grid.columnWidth(0) >= 120  # item names still readable (full name in the tooltip)
    # Every cell's text fits its column: a date where there is room, the mark alone where not.
    fm = page.grid.fontMetrics()
    for (r, col), _cell in page._cells.items():
        width = sum(page.grid.columnWidth(col + k) for k in range(page.grid.columnSpan(r, col)))
        assert fm.horizontalAdvance(page.grid.item(r, col).text()) <= width


def test_backup_time_column_shows_the_time(qtbot, demo_store) -> None:
    from gkdesk.app import backups as ops

    ctx = UiContext(demo_store, "王小红")
    ops.create(ctx.ws)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.resize(1366, 690)
    win.show()
    page = win.show_page("backups")
    QtWidgets.QApplication.processEvents()
    text = page.table.item(0, 0).text()
    assert len(text) == 19 and text[13] == ":"
    assert page.table.fontMetrics().horizontalAdvance(text) <= page.table.columnWidth(0)


def test_font_size_applies_at_once_and_ignores_the_scroll_wheel(qtbot, demo_store) -> None:
    from gkdesk.ui.qt import QtGui

    app = QtWidgets.QApplication.instance()
    before = app.font().pointSize()
    win = MainWindow(UiContext(demo_store, "王小红"))
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("settings")
    spin = page.font_size
    start = spin.value()
    ev = QtGui.QWheelEvent(QtCore.QPointF(5, 5), QtCore.QPointF(5, 5), QtCore.QPoint(0, 0), QtCore.QPoint(0, 120),
                           QtCore.Qt.MouseButton.NoButton, QtCore.Qt.KeyboardModifier.NoModifier,
                           QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtWidgets.QApplication.sendEvent(spin, ev)
    assert spin.value() == start  # scrolling the page over the box changes nothing
    try:
        spin.setValue(start + 2)
        assert app.font().pointSize() == start + 2
        assert "立即生效" in win.statusBar().currentMessage()
    finally:
        spin.setValue(start)
        f = app.font()
        f.setPointSize(before)
        app.setFont(f)
