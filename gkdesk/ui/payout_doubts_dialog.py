"""疑点 of one stored batch (double payments, 低保+特困 in one month, amounts that do not add up),
with the 疑点核查表 export. IDs are shown masked; the check itself is ``ops.batch_doubts``."""

from __future__ import annotations

from gkdesk.app import payouts as ops
from gkdesk.payouts.doubts import DOUBT_COLUMNS
from gkdesk.ui.context import UiContext
from gkdesk.ui.jobs import show_error
from gkdesk.ui.qt import QtWidgets


class PayoutDoubtsDialog(QtWidgets.QDialog):
    def __init__(self, ctx: UiContext, batch: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batch = batch
        self.setWindowTitle("疑点核查")
        self.resize(960, 480)
        self.doubts = ops.batch_doubts(ctx.ws, batch)
        layout = QtWidgets.QVBoxLayout(self)
        self.summary = QtWidgets.QLabel(self.doubts.summary() + (
            "。请逐条核对(同一人重复领取、低保与特困同月、金额与数量×标准不符等),可导出疑点核查表交村里复核。"
            if self.doubts.doubts else "。"))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QtWidgets.QTableWidget(len(self.doubts.doubts), len(DOUBT_COLUMNS))
        self.table.setHorizontalHeaderLabels(DOUBT_COLUMNS)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, d in enumerate(self.doubts.doubts):
            for c, v in enumerate(d.cells()):
                self.table.setItem(r, c, QtWidgets.QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        self.export_btn = QtWidgets.QPushButton("导出疑点核查表…")
        self.export_btn.setEnabled(bool(self.doubts.doubts))
        self.export_btn.clicked.connect(self.export)
        close = QtWidgets.QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.export_btn)
        buttons.addWidget(close)
        layout.addLayout(buttons)

    def export(self, path: str | None = None) -> str | None:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出疑点核查表", "疑点核查表.xlsx", "Excel 文件 (*.xlsx)")
        if not path:
            return None
        try:
            res = ops.batch_doubts(self.ctx.ws, self.batch, path)
        except Exception as exc:  # a locked or read-only destination: a message, not a crash
            show_error(self, "导出疑点核查表", exc)
            return None
        QtWidgets.QMessageBox.information(self, "导出", res.summary())
        return path
