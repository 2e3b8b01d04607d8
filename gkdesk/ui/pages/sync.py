"""同步: export packages to a folder (USB stick), import by file dialog or drag-and-drop,
history with reports, receipts — on the township and on the county side."""

from __future__ import annotations

from pathlib import Path

from gkdesk.app import county as county_ops
from gkdesk.app import sync as ops
from gkdesk.errors import GkError
from gkdesk.hints import Hint
from gkdesk.ui.hints import hint_text, with_hint
from gkdesk.ui.jobs import run_job, show_error
from gkdesk.ui.pages.base import Page
from gkdesk.ui.pages.sync_county import CountyPanel
from gkdesk.ui.pages.sync_migrate import ask_database
from gkdesk.ui.pages.sync_trust import TrustPanel, plain_label
from gkdesk.ui.qt import Qt, QtWidgets, Signal

DIRECTION = {"out": "导出", "in": "导入"}


def _local(stamp: str) -> str:
    """History times are stored in UTC (ISO text); the clerk reads local time."""
    from datetime import datetime

    from gkdesk.audit import local_time

    try:
        return f"{local_time(datetime.fromisoformat(stamp).replace(tzinfo=None)):%Y-%m-%d %H:%M:%S}"
    except ValueError:
        return stamp


class DropArea(QtWidgets.QLabel):
    """A box that takes ``.gkpkg`` files dropped from the file manager."""

    dropped = Signal(object)  # list[Path]

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__("把同步包(.gkpkg)拖到这里导入,或点击“导入同步包…”", parent)
        self.setAcceptDrops(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(56)
        self.setObjectName("dropArea")
        self.setStyleSheet("#dropArea { border: 2px dashed #8a9bb0; border-radius: 6px; color: #4a5a70; }")

    @staticmethod
    def _paths(mime) -> list[Path]:
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile().endswith(".gkpkg")]

    def dragEnterEvent(self, event) -> None:
        if self._paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if self._paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = self._paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)


class SyncPage(Page):
    watches = frozenset({"sync", "township", "all"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.last_job = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading("同步"))
        self.identity = plain_label()  # names come from identity files: never rich text
        layout.addWidget(self.identity)

        keys_row = QtWidgets.QHBoxLayout()
        self.export_id_btn = QtWidgets.QPushButton("导出本单位身份文件…")
        self.trust_btn = QtWidgets.QPushButton("信任对方身份文件…")
        self.trust_btn.setToolTip("导入对方的身份文件;电话核对指纹并输入对方读出的数字后才收发同步包")
        self.export_id_btn.clicked.connect(self._ask_export_identity)
        self.trust_btn.clicked.connect(self._ask_trust)
        keys_row.addWidget(self.export_id_btn)
        keys_row.addWidget(self.trust_btn)
        keys_row.addStretch(1)
        layout.addLayout(keys_row)
        self.trust_panel = TrustPanel(self, self._act)
        layout.addWidget(self.trust_panel)

        act = QtWidgets.QHBoxLayout()
        self.export_btn = QtWidgets.QPushButton("导出数据包到U盘/文件夹…")
        self.export_btn.setShortcut("Ctrl+E")
        self.full_box = QtWidgets.QCheckBox("重新发送全部数据")
        self.resync_box = QtWidgets.QCheckBox("从旧备份恢复后重新同步")
        self.resync_box.setToolTip("县级因“旧包或重放的包”拒收时勾选:发送全部数据,县级接受一次并重新接续包序号")
        self.update_btn = QtWidgets.QPushButton("向乡镇下发更新(节假日等)…")
        self.import_btn = QtWidgets.QPushButton("导入同步包…")
        self.import_btn.setShortcut("Ctrl+I")
        self.xlsx_btn = QtWidgets.QPushButton("导出汇总表…")
        self.migrate_btn = QtWidgets.QPushButton("迁移到 PostgreSQL…")
        self.migrate_btn.setToolTip("把县级数据从本机数据文件迁移到 PostgreSQL 数据库服务器")
        self.migrate_btn.clicked.connect(self.migrate_dialog)
        self.export_btn.clicked.connect(self._ask_export)
        self.update_btn.clicked.connect(self._ask_update)
        self.import_btn.clicked.connect(self._ask_import)
        self.xlsx_btn.clicked.connect(self._ask_xlsx)
        for w in (self.export_btn, self.full_box, self.resync_box, self.update_btn, self.import_btn, self.xlsx_btn,
                  self.migrate_btn):
            act.addWidget(w)
        act.addStretch(1)
        layout.addLayout(act)

        self.drop = DropArea()
        self.drop.dropped.connect(self.import_paths)
        layout.addWidget(self.drop)
        self.message = plain_label()  # package reports quote file names: plain text only
        self.message.setObjectName("syncMessage")
        layout.addWidget(self.message)

        self.county_panel = CountyPanel(self)  # county: the views across townships, conflicts
        self.county_panel.setMinimumHeight(230)
        self.status_table = self.county_panel.status_table
        layout.addWidget(self.county_panel, 3)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.history = QtWidgets.QTableWidget(0, 7)
        self.history.setHorizontalHeaderLabels(["时间", "方向", "类型", "对方", "序号", "结果", "文件"])
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.itemSelectionChanged.connect(self._show_report)
        self.report = QtWidgets.QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("选择左侧一条记录查看报告")
        split.addWidget(self.history)
        split.addWidget(self.report)
        split.setSizes([620, 380])
        layout.addWidget(split, 2)
        self.entries: list[dict] = []
        self.is_county = False

    # --- data -------------------------------------------------------------------------
    def refresh(self) -> None:
        me = ops.identity(self.ctx.ws)
        self.is_county = me.is_county
        hist = ops.history(self.ctx.ws, 200)
        if self.is_county:
            self.county_panel.refresh()
        self.identity.setText(f"本单位:{me.identity['name']}({me.identity['code']})\n"
                              f"本单位指纹(电话核对时读给对方):{me.fingerprint}"
                              + (f"\n{me.enrolment}" if me.enrolment else ""))
        self.trust_panel.refresh(me)
        self.export_btn.setVisible(not self.is_county)
        self.full_box.setVisible(not self.is_county)
        self.update_btn.setVisible(self.is_county)
        self.xlsx_btn.setVisible(self.is_county)
        self.migrate_btn.setVisible(self.is_county and self.ctx.ws.store.is_sqlite)
        self.county_panel.setVisible(self.is_county)
        self.resync_box.setVisible(not self.is_county)
        names = {p["code"]: p["name"] for p in me.peers}
        self.entries = hist.entries()
        self.history.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            kind, peer, result = ops.entry_cells(e, names)
            vals = [_local(e["processed_at"]), DIRECTION[e["direction"]], kind, peer, str(e["seq"]), result, e["file"]]
            for c, v in enumerate(vals):
                item = QtWidgets.QTableWidgetItem(v)
                if e["status"] == "refused":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.history.setItem(r, c, item)
        self.history.resizeColumnsToContents()

    def _show_report(self) -> None:
        rows = self.history.selectionModel().selectedRows()
        if not rows:
            return
        self.report.setPlainText("\n".join(ops.report_lines(self.entries[rows[0].row()], hint_text)))

    # --- actions (the ask_* wrappers only add a dialog) ---------------------------------
    def _folder(self, title: str) -> Path | None:
        d = QtWidgets.QFileDialog.getExistingDirectory(self, title)
        return Path(d) if d else None

    def _ask_export(self) -> None:
        folder = self._folder("选择 U 盘或文件夹")
        if folder:
            self.export_to(folder)

    def _ask_update(self) -> None:
        folder = self._folder("选择 U 盘或文件夹")
        if folder:
            self.update_to(folder)

    def _ask_import(self) -> None:
        files, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "选择同步包", "", "同步包 (*.gkpkg)")
        if files:
            self.import_paths([Path(f) for f in files])

    def _ask_xlsx(self) -> None:
        f, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出汇总表", "县级汇总.xlsx", "Excel (*.xlsx)")
        if f:
            self._act(lambda ws: county_ops.export_workbook(ws, Path(f)), "导出汇总表")

    def _ask_export_identity(self) -> None:
        f, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出身份文件", "身份文件.json", "身份文件 (*.json)")
        if f:
            self._act(lambda ws: ops.export_identity(ws, Path(f)), "导出身份文件")

    def _ask_trust(self) -> None:
        f, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择对方的身份文件", "", "身份文件 (*.json)")
        if f:
            self.trust_file(Path(f))

    def _act(self, op, title: str):  # type: ignore[no-untyped-def]
        """Run one operation; its summary (or the refusal with the window's hint) goes to the message line."""
        result = self.run_action(op, title=title)
        if result is not None:
            self.message.setText(result.summary())
        return result

    def trust_file(self, path: Path, replace: bool = False, *, confirm: bool = True) -> None:
        """Trust a peer's identity file; when the peer changed keys, offer to re-enrol it."""
        try:
            res = ops.trust(self.ctx.ws, path, replace=replace)
        except GkError as exc:
            text = with_hint(exc.message, exc.hint, exc.hint_args)
            self.message.setText(text)
            if exc.hint == Hint.REPLACE_TRUST and not replace and confirm and QtWidgets.QMessageBox.question(
                    self, "重新登记", f"{exc.message}\n\n电话核对对方的新指纹无误后,确认替换吗?(替换前会自动备份)"
            ) == QtWidgets.QMessageBox.StandardButton.Yes:
                self.trust_file(path, replace=True)
            return
        self.message.setText(res.summary())
        self.ctx.notify(res.changes)
        if confirm and not res.peer.get("verified"):  # the phone check right away, while it is fresh
            self.trust_panel.refresh(ops.identity(self.ctx.ws))
            for r, p in enumerate(self.trust_panel.peers):
                if p["code"] == res.peer["code"]:
                    self.trust_panel.table.selectRow(r)
            self.trust_panel._ask_verify()

    def _fail(self, exc: BaseException) -> None:
        if isinstance(exc, GkError):
            self.message.setText(with_hint(exc.message, exc.hint, exc.hint_args))
        else:
            show_error(self, "同步", exc)

    def export_to(self, folder: Path) -> None:
        full, resync = self.full_box.isChecked(), self.resync_box.isChecked()

        def work(report, cancelled):
            return ops.export_package(self.ctx.ws, folder, full=full, resync=resync, report=report,
                                      cancelled=cancelled)

        def done(res: ops.PackageExported) -> None:
            self.message.setText(res.summary())
            self.resync_box.setChecked(False)
            self.ctx.notify(res.changes)

        self.last_job = run_job(self, "导出数据包", work, done, self._fail)

    def update_to(self, folder: Path) -> None:
        def work(report, cancelled):
            return ops.send_update(self.ctx.ws, folder)

        def done(res: ops.UpdatesSent) -> None:
            self.message.setText(res.summary())
            self.ctx.notify(res.changes)

        self.last_job = run_job(self, "下发更新", work, done, self._fail)

    def import_paths(self, paths: list[Path]) -> None:
        def work(report, cancelled):
            return ops.import_packages(self.ctx.ws, paths, report=report, cancelled=cancelled)

        def done(res: ops.PackagesImported) -> None:
            self.message.setText("\n".join([res.summary(), *(line.strip() for line in res.lines(hint_text))]))
            self.ctx.notify(res.changes)

        self.last_job = run_job(self, "导入同步包", work, done, self._fail)

    def _ask_database(self) -> str | None:
        """The PostgreSQL address with the password combined in; tests replace this."""
        return ask_database(self)

    def migrate_dialog(self, _checked: bool = False) -> None:
        """County only: copy the data into an empty PostgreSQL database (the window restarts to use it)."""
        if not self.is_county:
            return
        url = self._ask_database()
        if not url:
            return
        ws, title = self.ctx.ws, "迁移到 PostgreSQL"

        def work(report, cancelled):
            return county_ops.migrate_to_postgresql(ws, url, report=report)

        def done(res: county_ops.MigratedToPostgres) -> None:
            self.message.setText(res.summary())
            self.migrate_btn.setEnabled(False)  # this window still has the SQLite file open
            QtWidgets.QMessageBox.information(self, title, res.summary() + "\n\n请关闭并重新启动本程序,以使用新的数据库。")

        self.last_job = run_job(self, title, work, done, lambda exc: show_error(self, title, exc))
