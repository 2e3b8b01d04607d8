"""导入县级目录: before anything is written, the clerk sees what the file is taken for.

The dialog shows the mode the file is judged to be (the whole directory of its 领域, or one
part of it such as a 续表 page) and why, lets the clerk choose the other, and lists each
proposed rename (原事项 → 新事项) to accept or reject one by one. It only asks; the page runs
the import with the answers.
"""

from __future__ import annotations

from typing import Any

from gkdesk.ui.qt import Qt, QtWidgets

PART_TEXT = "目录的一部分(如分页发布的续表):只新增和更新,不停用任何事项"
WHOLE_TEXT = "整个目录:文件中没有的事项将停用(发布记录保留)"


class ImportDialog(QtWidgets.QDialog):
    """Mode (whole / part, with the reason) and per-pair rename acceptance."""

    def __init__(self, preview: Any, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle("导入县级目录")
        self.setMinimumSize(760, 520)
        lay = QtWidgets.QVBoxLayout(self)
        doms = ",".join(f"{k} {v}项" for k, v in preview.domains.items())
        head = QtWidgets.QLabel(f"<b>{preview.file}</b>:{doms}")
        head.setWordWrap(True)
        lay.addWidget(head)
        if preview.new_domains:
            lay.addWidget(QtWidgets.QLabel("将新建本乡镇自定领域:" + "、".join(preview.new_domains)))

        box = QtWidgets.QGroupBox("这个文件是")
        bl = QtWidgets.QVBoxLayout(box)
        self.whole = QtWidgets.QRadioButton(WHOLE_TEXT)
        self.part = QtWidgets.QRadioButton(PART_TEXT)
        (self.part if preview.assumed_part else self.whole).setChecked(True)
        bl.addWidget(self.whole)
        bl.addWidget(self.part)
        self.why = QtWidgets.QLabel()
        self.why.setWordWrap(True)
        self.why.setStyleSheet("color:#1f3b5c")
        bl.addWidget(self.why)
        self.counts = QtWidgets.QLabel()
        bl.addWidget(self.counts)
        lay.addWidget(box)

        self.renames_box = QtWidgets.QGroupBox("可能是改名的事项(勾选的视为同一事项改名,保留发布记录、历史和待公开状态)")
        rl = QtWidgets.QVBoxLayout(self.renames_box)
        self.table = QtWidgets.QTableWidget(len(preview.proposals), 5)
        self.table.setHorizontalHeaderLabels(["采用", "原事项", "新事项", "相近程度", "发布记录"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, p in enumerate(preview.proposals):
            check = QtWidgets.QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(r, 0, check)
            for c, text in enumerate((f"{p['domain']}:{p['old']}", p["new"], p["why"],
                                      f"{p['publications']}条"), start=1):
                cell = QtWidgets.QTableWidgetItem(text)
                cell.setToolTip(text)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        for c, cap in ((1, 320), (2, 320), (3, 200)):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), cap))
        rl.addWidget(self.table)
        none = QtWidgets.QLabel("没有发现可能改名的事项。")
        none.setVisible(not preview.proposals)
        self.table.setVisible(bool(preview.proposals))
        rl.addWidget(none)
        lay.addWidget(self.renames_box, 1)

        if preview.warnings:
            warn = QtWidgets.QLabel(f"读取时有 {len(preview.warnings)} 条提示,导入后列出。")
            warn.setStyleSheet("color:#a94400")
            lay.addWidget(warn)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("导入")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.whole.toggled.connect(lambda _on: self._mode_changed())
        self.table.itemChanged.connect(lambda _i: self._mode_changed())
        self._mode_changed()

    def _mode_changed(self) -> None:
        p = self.preview
        part = self.part.isChecked()
        if p.assumed_part:
            why = "判断为目录的一部分,因为:" + ";".join(p.reasons)
        else:
            why = "判断为整个目录(序号从1开始或未编号,标题没有“续表”)" + (";注意:" + ";".join(p.notes) if p.notes else "")
        self.why.setText(why)
        c = p.part_counts if part else p.whole_counts
        renames = 0 if part else self.accepted_count()
        self.counts.setText(f"预计:新增 {c['added'] + (0 if part else len(p.proposals) - renames)},"
                            f"更新 {c['changed'] - (0 if part else len(p.proposals) - renames)},"
                            f"停用 {0 if part else c['removed'] + len(p.proposals) - renames}")
        self.renames_box.setEnabled(not part)

    def _accepted(self, row: int) -> bool:
        item = self.table.item(row, 0)
        if item is None:
            raise RuntimeError(f"rename proposal row {row} has no check box item")
        return item.checkState() == Qt.CheckState.Checked

    def accepted_count(self) -> int:
        return sum(1 for r in range(self.table.rowCount()) if self._accepted(r))

    def values(self) -> dict[str, Any]:
        """``part`` and the accepted ``renames`` as (stored item id, new identity) pairs."""
        part = self.part.isChecked()
        renames = [] if part else [
            (p["old_id"], p["new_identity"]) for r, p in enumerate(self.preview.proposals)
            if self._accepted(r)]
        return {"part": part, "renames": renames}
