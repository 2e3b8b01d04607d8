"""备份: list, create, restore (with confirmation)."""

from __future__ import annotations

from gkdesk import backups
from gkdesk.app import backups as ops
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
        row = QtWidgets.QHBoxLayout()
        self.create_btn = QtWidgets.QPushButton("立即备份")
        self.restore_btn = QtWidgets.QPushButton("从所选备份恢复…")
        self.create_btn.clicked.connect(self.create)
        self.restore_btn.clicked.connect(self.restore)
        row.addWidget(self.create_btn)
        row.addWidget(self.restore_btn)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.items: list[backups.BackupInfo] = []

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
