"""备份: list, create, restore (with confirmation)."""

from __future__ import annotations

from gkdesk import backups
from gkdesk.app import backups as ops
from gkdesk.errors import GkError
from gkdesk.redo import RedoEntry
from gkdesk.ui.hints import with_hint
from gkdesk.ui.jobs import run_job, show_error
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import Qt, QtWidgets
from gkdesk.ui.widgets.confirm import confirm as ask_confirm


class BackupsPage(Page):
    watches = frozenset({"backups", "all"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading("备份与恢复"))
        layout.addWidget(QtWidgets.QLabel(
            "导入、删除、同步、恢复之前以及关闭程序时都会自动备份;内容没有变化时不重复备份。"
            "较早的备份按天、周、月保留。"))
        self.table = QtWidgets.QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["时间", "原因", "大小"])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        self.use_label = QtWidgets.QLabel()
        self.use_label.setWordWrap(True)
        layout.addWidget(self.use_label)
        row = QtWidgets.QHBoxLayout()
        self.create_btn = QtWidgets.QPushButton("立即备份")
        self.restore_btn = QtWidgets.QPushButton("从所选备份恢复…")
        self.create_btn.clicked.connect(self.create)
        self.restore_btn.clicked.connect(self.restore)
        row.addWidget(self.create_btn)
        row.addWidget(self.restore_btn)
        self.undo_btn = QtWidgets.QPushButton("撤销某次导入…")
        self.undo_btn.setToolTip("回到今天某次导入同步包之前的状态:先恢复当天的备份,再重新导入那次之前的数据包")
        self.undo_btn.clicked.connect(self.undo_import)
        row.addWidget(self.undo_btn)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.items: list[backups.BackupInfo] = []
        self.last_job = None

    def refresh(self) -> None:
        self.items = ops.listed(self.ctx.ws.data_dir)
        self.table.setRowCount(len(self.items))
        for r, b in enumerate(self.items):
            for c, v in enumerate([f"{b.created:%Y-%m-%d %H:%M:%S}", b.reason_label, f"{b.size / 1024:,.0f} KB"]):
                cell = QtWidgets.QTableWidgetItem(v)
                cell.setToolTip(f"{v}\n{b.path.name}")
                if c == 2:
                    cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()  # the time column shows the time, never "2026-11-2…"
        self.use_label.setText(ops.disk_use(self.ctx.ws.data_dir).summary())
        self.restore_btn.setEnabled(bool(self.items))

    def create(self) -> None:
        res = self.run_action(ops.create, title="备份失败")
        if res is not None:
            self.status.setText(res.summary())
        self.refresh()

    def selected(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows else None

    def restore(self, _checked: bool = False, confirm: bool = True) -> None:
        b = self.selected()
        if b is None:
            self.status.setText("请先选择一个备份。")
            return
        if confirm and not ask_confirm(
                self, "确认恢复", "用这个备份替换当前的全部数据?",
                [("备份时间", f"{b.created:%Y-%m-%d %H:%M:%S}"), ("原因", b.reason_label), ("文件", b.path.name),
                 ("大小", f"{b.size / 1024:,.0f} KB")],
                action="恢复", note="当前数据会先自动备份;恢复后,此后录入的内容将不在数据中。"):
            return
        res = self.run_action(lambda ws: ops.restore(ws, b), title="无法恢复")
        if res is None:
            return
        self.status.setText(f"已恢复。恢复前的数据已备份为 {res.safety.path.name}" if res.safety else "已恢复。")
        self.refresh()
        if res.old_keys:  # the county will refuse every package signed with the old keys
            QtWidgets.QMessageBox.warning(self, "恢复的是旧密钥", res.summary())

    @staticmethod
    def import_label(e: RedoEntry) -> str:
        return f"{e.created:%Y-%m-%d %H:%M:%S} 导入 {len(e.files)} 个数据包:{'、'.join(e.files)}"

    def _choose_import(self, entries: list[RedoEntry]) -> RedoEntry | None:
        """The import to undo, newest first in the list; tests replace this."""
        labels = [self.import_label(e) for e in entries]
        text, ok = QtWidgets.QInputDialog.getItem(self, "撤销某次导入", "恢复到哪次导入之前:", labels, 0, False)
        return entries[labels.index(text)] if ok and text in labels else None

    def undo_import(self, _checked: bool = False, confirm: bool = True) -> None:
        """Put back the state just before one of today's imports (day's backup + earlier packages)."""
        entries = ops.imports(self.ctx.ws.data_dir)
        if not entries:
            QtWidgets.QMessageBox.information(self, "撤销某次导入", "今天尚无可撤销的导入。")
            return
        e = self._choose_import(entries)
        if e is None:
            return
        later = entries.index(e)  # entries are newest first: these many imports came after it
        if confirm and not ask_confirm(
                self, "确认撤销导入", "恢复到这次导入之前的数据?",
                [("导入时间", f"{e.created:%Y-%m-%d %H:%M:%S}"), ("数据包", "、".join(e.files)),
                 ("此后的导入", f"{later} 次,一并撤销" if later else "")],
                action="撤销导入",
                note="先恢复当天的备份,再重新导入这次之前的数据包。其间手工修改的内容(不是导入的)不会恢复;"
                     "当前数据会先自动备份。"):
            return
        ws, entry_id, title = self.ctx.ws, e.id, "撤销导入"

        def work(report, cancelled):
            return ops.restore_before_import(ws, entry_id)

        def done(res: ops.RestoredBeforeImport) -> None:
            self.status.setText(res.summary())
            self.ctx.notify(res.changes)
            self.refresh()
            if res.restored.old_keys:
                QtWidgets.QMessageBox.warning(self, "恢复的是旧密钥", res.restored.summary())

        def failed(exc: BaseException) -> None:
            if isinstance(exc, GkError):
                self.status.setText(with_hint(exc.message, exc.hint, exc.hint_args))
            show_error(self, title, exc)
            self.refresh()

        self.last_job = run_job(self, title, work, done, failed)
