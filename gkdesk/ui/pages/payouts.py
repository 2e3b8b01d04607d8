"""补贴发放: the imported payout lists, a lazily loaded table of one batch, and the import wizard.

IDs and account numbers are masked on screen; "显示完整身份证号" reveals one row's ID through
the operation layer, which writes an audit entry. Deleting and revealing are operations of
``gkdesk.app.payouts`` (they take the backup and record the operator); the page only asks and shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gkdesk.app import payouts as ops
from gkdesk.paging import SqlRowSource
from gkdesk.payouts import queries
from gkdesk.ui.pages.base import Page
from gkdesk.ui.payout_import import PayoutImportDialog
from gkdesk.ui.qt import Qt, QtWidgets
from gkdesk.ui.tablemodel import LazyTableModel
from gkdesk.ui.widgets.confirm import confirm

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
        self.doubts_btn = QtWidgets.QPushButton("疑点核查…")
        self.doubts_btn.clicked.connect(self.open_doubts)
        self.programs_btn = QtWidgets.QToolButton()
        self.programs_btn.setText("补贴项目")
        self.programs_btn.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(self.programs_btn)
        menu.addAction("添加补贴项目…", self.add_program)
        menu.addAction("补贴项目改名…", self.rename_program)
        menu.addSeparator()
        menu.addAction("导入模板…", self.layouts_dialog)
        self.programs_btn.setMenu(menu)
        self.export_btn = QtWidgets.QPushButton("导出所选批次…")
        self.export_btn.setToolTip("导出完整数据(含完整身份证号与账号)为 Excel 文件,仅供内部使用")
        self.export_btn.clicked.connect(self.export_selected)
        top.addWidget(self.programs_btn)
        top.addWidget(self.import_btn)
        top.addWidget(self.doubts_btn)
        top.addWidget(self.export_btn)
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
        items = ops.list_batches(self.ctx.ws)
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
        self.export_btn.setEnabled(bool(items))
        self.doubts_btn.setEnabled(bool(items))
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
        res = self.run_action(lambda ws: ops.reveal_id(ws, pid), title="显示身份证号")
        if res is None:
            return None
        QtWidgets.QMessageBox.information(self, "完整身份证号", f"{res.id_number}\n\n({res.summary()})")
        return res.id_number

    def open_import(self) -> PayoutImportDialog:
        dlg = PayoutImportDialog(self.ctx, self)
        dlg.open()
        return dlg

    def open_doubts(self) -> QtWidgets.QDialog | None:
        from gkdesk.ui.payout_doubts_dialog import PayoutDoubtsDialog

        bid = self.current_batch()
        if bid is None:
            return None
        dlg = PayoutDoubtsDialog(self.ctx, bid, self)
        dlg.open()
        return dlg

    def batch_facts(self) -> list[tuple[str, object]]:
        """What tells the selected batch apart from its neighbours, as shown in its table row."""
        sel = self.batches.selectionModel().selectedRows() if self.batches.selectionModel() else []
        if not sel:
            return []
        r = sel[0].row()
        cell = [self.batches.item(r, c).text() if self.batches.item(r, c) else "" for c in range(6)]
        return [("补贴项目", cell[0]), ("年度", cell[1]), ("期次", cell[2]), ("行数", cell[3]),
                ("金额(元)", cell[4]), ("文件", cell[5])]

    def delete_selected(self) -> ops.BatchDeleted | None:
        bid = self.current_batch()
        if bid is None:
            return None
        if not confirm(self, "删除批次", "删除下面这个发放批次?", self.batch_facts(), action="删除",
                       note="删除前会自动备份,需要时可从备份恢复。"):
            return None
        return self.run_action(lambda ws: ops.delete_batch(ws, bid), title="删除批次")

    def ask_export_path(self) -> str:
        """Where to write the export; '' when the clerk cancels (tests replace this)."""
        facts = dict(self.batch_facts())
        name = f"{facts.get('补贴项目', '发放清册')}-{facts.get('年度', '')}{facts.get('期次', '')}-完整数据.xlsx"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出发放批次", str(Path.home() / name),
                                                        "Excel 文件 (*.xlsx)")
        if path and not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        return path

    def export_selected(self) -> ops.BatchExported | None:
        """The selected batch with full IDs and accounts to .xlsx, after a warning that it is internal."""
        bid = self.current_batch()
        if bid is None:
            return None
        if not confirm(self, "导出发放批次", "导出下面这个发放批次的完整数据?", self.batch_facts(), action="导出",
                       note="导出的文件含完整身份证号和银行(一卡通)账号,仅供内部使用:"
                            "不得张贴、公开或外发,用完请妥善保管或删除。"):
            return None
        out = self.ask_export_path()
        if not out:
            return None
        res = self.run_action(lambda ws: ops.export_batch(ws, bid, out), title="导出发放批次")
        if res is not None:
            QtWidgets.QMessageBox.information(self, "导出发放批次", res.summary())
        return res

    def layouts_dialog(self) -> QtWidgets.QDialog:
        from gkdesk.ui.payout_layouts_dialog import LayoutsDialog

        dlg = LayoutsDialog(self)
        dlg.open()
        return dlg

    def add_program(self) -> ops.ProgramSaved | None:
        name, ok = QtWidgets.QInputDialog.getText(self, "添加补贴项目", "补贴项目名称:")
        if not ok or not name.strip():
            return None
        kinds = list(ops.PROGRAM_KINDS.items())
        label, ok = QtWidgets.QInputDialog.getItem(self, "添加补贴项目", "发放方式:", [v for _, v in kinds], 0, False)
        if not ok:
            return None
        kind = next(k for k, v in kinds if v == label)
        unit, ok = QtWidgets.QInputDialog.getText(self, "添加补贴项目", "计量单位(如 亩、人,可空):")
        if not ok:
            return None
        return self.run_action(lambda ws: ops.add_program(ws, name, kind, unit), title="添加补贴项目")

    def rename_program(self) -> ops.ProgramSaved | None:
        names = [p["name"] for p in ops.list_programs(self.ctx.ws)]
        old, ok = QtWidgets.QInputDialog.getItem(self, "补贴项目改名", "要改名的补贴项目:", names, 0, False)
        if not ok or not old:
            return None
        new, ok = QtWidgets.QInputDialog.getText(self, "补贴项目改名", f"“{old}”的新名称:", text=old)
        if not ok or not new.strip():
            return None
        return self.run_action(lambda ws: ops.rename_program(ws, old, new), title="补贴项目改名")
