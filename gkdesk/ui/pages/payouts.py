"""补贴发放: the imported payout lists, a lazily loaded table of one batch, and the import wizard.

IDs and account numbers are masked on screen; "显示完整身份证号" reveals one row's ID through
the core, which writes an audit entry.
"""

from __future__ import annotations

from typing import Any

from gkdesk.errors import GkError
from gkdesk.paging import SqlRowSource
from gkdesk.payouts import queries
from gkdesk.ui.pages.base import Page
from gkdesk.ui.payout_import import PayoutImportDialog
from gkdesk.ui.qt import Qt, QtWidgets
from gkdesk.ui.tablemodel import LazyTableModel

ROW_COLUMNS = queries.ROW_COLUMNS


def _format(r: Any) -> tuple[Any, ...]:
    return (*queries.display_row(r), r[0])  # the payout id rides along, beyond the shown columns


class PayoutsPage(Page):
    watches = frozenset({"payouts", "villages", "all"})

    def __init__(self, ctx, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx, parent)
        self.batch_ids: list[str] = []
        layout = QtWidgets.QVBoxLayout(self)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.heading("补贴发放"))
        top.addStretch(1)
        self.import_btn = QtWidgets.QPushButton("导入清册…")
        self.delete_btn = QtWidgets.QPushButton("删除所选批次")
        self.import_btn.clicked.connect(self.open_import)
        self.delete_btn.clicked.connect(self.delete_selected)
        top.addWidget(self.import_btn)
        top.addWidget(self.delete_btn)
        layout.addLayout(top)
        split = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        self.batches = QtWidgets.QTableWidget(0, 6)
        self.batches.setHorizontalHeaderLabels(["补贴项目", "年度", "期次", "行数", "金额(元)", "文件"])
        self.batches.horizontalHeader().setStretchLastSection(True)
        self.batches.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.batches.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.batches.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.batches.itemSelectionChanged.connect(self.show_rows)
        split.addWidget(self.batches)
        lower = QtWidgets.QWidget()
        ll = QtWidgets.QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        bar = QtWidgets.QHBoxLayout()
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("按姓名、村(社区)、组或身份证号后几位查找")
        self.search.returnPressed.connect(self.show_rows)
        self.reveal_btn = QtWidgets.QPushButton("显示完整身份证号")
        self.reveal_btn.setToolTip("仅对所选一行显示,并记入操作日志")
        self.reveal_btn.clicked.connect(self.reveal_selected)
        self.count_label = QtWidgets.QLabel()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.reveal_btn)
        bar.addWidget(self.count_label)
        ll.addLayout(bar)
        self.rows = QtWidgets.QTableView()
        self.rows.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.rows.verticalHeader().setVisible(False)
        ll.addWidget(self.rows, 1)
        split.addWidget(lower)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        self.model: LazyTableModel | None = None

    def refresh(self) -> None:
        with self.ctx.store.session() as s:
            items = [queries.batch_dict(s, b) for b in queries.batches(s)]
        keep = self.current_batch()
        self.batch_ids = [b["id"] for b in items]
        self.batches.blockSignals(True)
        self.batches.setRowCount(len(items))
        for r, b in enumerate(items):
            for c, v in enumerate([b["program"], str(b["year"]), b["period"], f"{b['rows']:,}", b["total_amount"], b["file"]]):
                item = QtWidgets.QTableWidgetItem(v)
                if c in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.batches.setItem(r, c, item)
        self.batches.resizeColumnsToContents()
        self.batches.blockSignals(False)
        if items:
            self.batches.selectRow(self.batch_ids.index(keep) if keep in self.batch_ids else 0)
        self.delete_btn.setEnabled(bool(items))
        self.show_rows()

    def current_batch(self) -> str | None:
        sel = self.batches.selectionModel().selectedRows() if self.batches.selectionModel() else []
        return self.batch_ids[sel[0].row()] if sel and sel[0].row() < len(self.batch_ids) else None

    def show_rows(self) -> None:
        bid = self.current_batch()
        if bid is None:
            self.rows.setModel(None)
            self.model = None
            self.count_label.setText("")
            return
        source = SqlRowSource(self.ctx.store, queries.rows_select(bid, self.search.text()), ROW_COLUMNS, _format)
        if self.model is None:
            self.model = LazyTableModel(source, parent=self)
            self.rows.setModel(self.model)
        else:
            self.model.set_source(source)
        self.rows.resizeColumnsToContents()
        self.count_label.setText(f"共{self.model.total:,}行")

    def selected_payout(self) -> str | None:
        if self.model is None or self.rows.selectionModel() is None:
            return None
        sel = self.rows.selectionModel().selectedRows()
        return self.model.row(sel[0].row())[-1] if sel else None

    def reveal_selected(self) -> str | None:
        pid = self.selected_payout()
        if pid is None:
            QtWidgets.QMessageBox.information(self, "显示身份证号", "请先在表中选择一行。")
            return None
        try:
            with self.ctx.store.session() as s:
                number = queries.reveal_id(s, pid, self.ctx.operator)
        except GkError as exc:
            QtWidgets.QMessageBox.warning(self, "显示身份证号", exc.message)
            return None
        QtWidgets.QMessageBox.information(self, "完整身份证号", f"{number}\n\n(本次查看已记入操作日志)")
        return number

    def open_import(self) -> PayoutImportDialog:
        dlg = PayoutImportDialog(self.ctx, self)
        dlg.open()
        return dlg

    def delete_selected(self) -> None:
        bid = self.current_batch()
        if bid is None:
            return
        if QtWidgets.QMessageBox.question(self, "删除批次", "删除所选发放批次?删除前会自动备份。") \
                != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        with self.ctx.store.session() as s:
            queries.delete_batch(s, bid, self.ctx.operator, data_dir=self.ctx.store.data_dir)
        self.ctx.notify({"payouts"})
