"""The main window: left navigation (DESIGN §7) over a stack of lazily built pages."""

from __future__ import annotations

import importlib

from gkdesk import township
from gkdesk.app import setup
from gkdesk.ui.context import UiContext
from gkdesk.ui.pages import PAGE_SPECS, PLACEHOLDER, PageSpec
from gkdesk.ui.qt import QtCore, QtGui, QtWidgets


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, ctx: UiContext, demo: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.demo = demo
        self.pages: dict[str, QtWidgets.QWidget] = {}
        self.resize(1200, 780)

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
        self.nav.setCurrentRow(0)

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
            old = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            self.stack.removeWidget(old)
            old.deleteLater()
            self.pages[spec.key] = page
        return self.pages[spec.key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page = self._ensure(row, PAGE_SPECS[row])
        self.stack.setCurrentWidget(page)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.ctx.store.is_sqlite:
            try:
                setup.close_backup(self.ctx.ws)
            except OSError as exc:
                QtWidgets.QMessageBox.warning(self, "备份失败", f"关闭时备份失败:{exc}")
        super().closeEvent(event)
