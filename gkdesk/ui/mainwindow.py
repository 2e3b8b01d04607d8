"""The main window: left navigation (DESIGN §7) over a stack of lazily built pages."""

from __future__ import annotations

import importlib

from gkdesk import township
from gkdesk.app import setup
from gkdesk.ui.context import UiContext
from gkdesk.ui.pages import PAGE_SPECS, PLACEHOLDER, PageSpec
from gkdesk.ui.qt import QtCore, QtGui, QtWidgets

#: the size the window asks for when nothing is remembered (client area, logical pixels)
PREFERRED = QtCore.QSize(1280, 800)
#: room left for the title bar and frame the window manager adds around the client area
FRAME_ALLOWANCE = QtCore.QSize(16, 40)


def window_prefs() -> QtCore.QSettings:
    """Per-machine window state (size, position, maximized): screens differ between PCs,
    so it lives in the user's settings file, not in the data directory that is synced."""
    return QtCore.QSettings(QtCore.QSettings.Format.IniFormat, QtCore.QSettings.Scope.UserScope, "gkdesk", "window")


def fit_rect(available: QtCore.QRect, want: QtCore.QSize = PREFERRED) -> QtCore.QRect:
    """The client rectangle for ``want`` shrunk to fit ``available`` with its frame, centred."""
    w = max(640, min(want.width(), available.width() - FRAME_ALLOWANCE.width()))
    h = max(480, min(want.height(), available.height() - FRAME_ALLOWANCE.height()))
    rect = QtCore.QRect(0, 0, w, h)
    rect.moveCenter(available.center())
    rect.moveTop(max(available.top() + FRAME_ALLOWANCE.height() - 8, rect.top()))
    return rect


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, ctx: UiContext, demo: bool = False, prefs: QtCore.QSettings | None = None,
                 defer_first_page: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.demo = demo
        self.prefs = prefs
        self.pages: dict[str, QtWidgets.QWidget] = {}
        self.hosts: dict[str, QtWidgets.QScrollArea] = {}
        self.resize(PREFERRED)

        self.nav = QtWidgets.QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.nav.setIconSize(QtCore.QSize(20, 20))
        self.stack = QtWidgets.QStackedWidget()
        for i, spec in enumerate(PAGE_SPECS):
            item = QtWidgets.QListWidgetItem(spec.title)
            item.setToolTip(f"{spec.tip}(Ctrl+{i + 1})" if i < 9 else spec.tip)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QtCore.QSize(150, 44))
            self.nav.addItem(item)
            self.stack.addWidget(QtWidgets.QWidget())  # replaced on first visit
            if i < 9:
                sc = QtGui.QShortcut(QtGui.QKeySequence(f"Ctrl+{i + 1}"), self)
                sc.activated.connect(lambda i=i: self.nav.setCurrentRow(i))
        self.nav.currentRowChanged.connect(self._show_row)

        central = QtWidgets.QWidget()
        layout = QtWidgets.QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Quit, self, activated=self.close)
        ctx.changed.connect(lambda _c: self._update_title())
        self._update_title()
        if defer_first_page:  # paint the window first, then read the data for 首页 (start-up time)
            QtCore.QTimer.singleShot(0, lambda: self.nav.currentRow() < 0 and self.nav.setCurrentRow(0))
        else:
            self.nav.setCurrentRow(0)

    # --- geometry ------------------------------------------------------------------
    def available(self) -> QtCore.QRect:
        screen = self.screen() or QtGui.QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QtCore.QRect(0, 0, 1366, 728)

    def place(self, available: QtCore.QRect | None = None) -> None:
        """Restore the remembered size, position and maximized state when the rectangle still
        lies on the screen (a monitor may have gone), else fit ``available``; call before show()."""
        avail = available or self.available()
        saved = self.prefs.value("normal") if self.prefs is not None else None
        maximized = self.prefs is not None and str(self.prefs.value("maximized", "false")).lower() == "true"
        rect = saved if isinstance(saved, QtCore.QRect) and saved.isValid() else None
        if rect is not None and avail.contains(rect.center()) and rect.height() <= avail.height() \
                and rect.width() <= avail.width():
            self.setGeometry(rect)
        else:
            self.setGeometry(fit_rect(avail))
        if maximized:
            self.setWindowState(self.windowState() | QtCore.Qt.WindowState.WindowMaximized)

    def remember(self) -> None:
        """Keep the un-maximized rectangle and whether the window is maximized."""
        if self.prefs is None:
            return
        maximized = self.isMaximized()
        self.prefs.setValue("normal", self.normalGeometry() if maximized else self.geometry())
        self.prefs.setValue("maximized", "true" if maximized else "false")
        self.prefs.sync()

    def _update_title(self) -> None:
        with self.ctx.store.session() as s:
            t = township.current(s)
            name = t.name
        prefix = "【演示数据】" if self.demo else ""
        self.setWindowTitle(f"{prefix}{name}")  # Qt appends the application display name
        self.statusBar().showMessage(f"{prefix}{name}  ·  操作人:{self.ctx.operator}  ·  数据目录:{self.ctx.store.data_dir}")

    def page(self, key: str) -> QtWidgets.QWidget:
        """The page for ``key``, building it on first use."""
        for row, spec in enumerate(PAGE_SPECS):
            if spec.key == key:
                return self._ensure(row, spec)
        raise KeyError(key)

    def show_page(self, key: str) -> QtWidgets.QWidget:
        for row, spec in enumerate(PAGE_SPECS):
            if spec.key == key:
                self.nav.setCurrentRow(row)
                return self._ensure(row, spec)
        raise KeyError(key)

    def _ensure(self, row: int, spec: PageSpec) -> QtWidgets.QWidget:
        if spec.key not in self.pages:
            cls = getattr(importlib.import_module(spec.module), spec.class_name)
            if (spec.module, spec.class_name) == PLACEHOLDER:
                page = cls(self.ctx, title=spec.title)
            else:
                page = cls(self.ctx)
            # A page taller or wider than a small screen scrolls instead of pushing the
            # window past the screen's edge (1366×768, or 1920×1080 at 150 %).
            host = QtWidgets.QScrollArea()
            host.setObjectName("pageHost")
            host.setWidgetResizable(True)
            host.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
            host.setWidget(page)
            old = self.stack.widget(row)
            self.stack.insertWidget(row, host)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[spec.key] = page
            self.hosts[spec.key] = host
        return self.pages[spec.key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        spec = PAGE_SPECS[row]
        self._ensure(row, spec)
        self.stack.setCurrentWidget(self.hosts[spec.key])

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        from gkdesk.ui import jobs

        busy = [j for j in jobs.running() if j.ask_on_close]
        if busy and self.isVisible():
            names = "、".join(dict.fromkeys(j.title for j in busy))
            answer = QtWidgets.QMessageBox.question(
                self, "正在进行的工作", f"“{names}”还没有完成。\n停止这项工作并关闭程序?(已做的部分不会保存)",
                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No,
                QtWidgets.QMessageBox.StandardButton.No)
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        jobs.cancel_all_and_wait()  # also any job whose dialog was not shown yet
        self.remember()
        if self.ctx.store.is_sqlite:
            try:
                setup.close_backup(self.ctx.ws)
            except OSError as exc:
                QtWidgets.QMessageBox.warning(self, "备份失败", f"关闭时备份失败:{exc}")
        super().closeEvent(event)
