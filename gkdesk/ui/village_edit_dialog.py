"""修改村(社区): rename, merge into another, delete when unused, number of 村民小组.

Each button calls one operation of ``gkdesk.app.setup`` (backed up and audited there); a
refusal (a used village cannot be deleted, a group is never a village) is shown as the
operation's message. Opened from the village list of the 设置 page.
"""

from __future__ import annotations

from gkdesk.app import setup
from gkdesk.app.payouts import village_names
from gkdesk.errors import GkError
from gkdesk.ui.context import UiContext
from gkdesk.ui.hints import with_hint
from gkdesk.ui.qt import QtWidgets


class VillageEditDialog(QtWidgets.QDialog):
    def __init__(self, ctx: UiContext, name: str = "", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("修改村(社区)")
        self.setMinimumWidth(460)
        self.done_texts: list[str] = []
        form = QtWidgets.QFormLayout(self)
        self.village = QtWidgets.QComboBox()
        form.addRow("村(社区):", self.village)
        self.new_name = QtWidgets.QLineEdit()
        rename = QtWidgets.QPushButton("改名")
        rename.clicked.connect(self.rename)
        form.addRow("新名称:", self._row(self.new_name, rename))
        self.target = QtWidgets.QComboBox()
        merge = QtWidgets.QPushButton("合并")
        merge.clicked.connect(self.merge)
        form.addRow("合并到:", self._row(self.target, merge))
        self.groups = QtWidgets.QSpinBox()
        self.groups.setRange(0, 99)
        set_groups = QtWidgets.QPushButton("设置")
        set_groups.clicked.connect(self.set_groups)
        form.addRow("村民小组数:", self._row(self.groups, set_groups))
        delete = QtWidgets.QPushButton("删除该村(社区)(仅限没有任何数据时)")
        delete.clicked.connect(self.delete)
        form.addRow("", delete)
        note = QtWidgets.QLabel("合并会把该村的发放记录、公开记录等全部移到目标村,并删除原村名;每次修改前都会自动备份。")
        note.setWordWrap(True)
        form.addRow(note)
        close = QtWidgets.QPushButton("关闭")
        close.clicked.connect(self.accept)
        form.addRow("", close)
        self.village.currentTextChanged.connect(self._selected)
        self._load(name)

    @staticmethod
    def _row(*widgets: QtWidgets.QWidget) -> QtWidgets.QHBoxLayout:
        row = QtWidgets.QHBoxLayout()
        for w in widgets:
            row.addWidget(w, 1 if isinstance(w, QtWidgets.QLineEdit | QtWidgets.QComboBox) else 0)
        return row

    def _load(self, select: str = "") -> None:
        names = village_names(self.ctx.ws)
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItems(names)
        if select in names:
            self.village.setCurrentText(select)
        self.village.blockSignals(False)
        self._selected(self.village.currentText())

    def _selected(self, name: str) -> None:
        from gkdesk import township

        self.new_name.setText(name)
        self.target.clear()
        self.target.addItems([n for n in village_names(self.ctx.ws) if n != name])
        with self.ctx.ws.session() as s:
            v = next((x for x in township.villages(s) if x.name == name), None)
            self.groups.setValue(township.village_dict(v)["groups"] if v is not None else 0)

    def _do(self, op, keep: str = "") -> bool:  # type: ignore[no-untyped-def]
        try:
            res = op(self.ctx.ws)
        except GkError as exc:
            QtWidgets.QMessageBox.warning(self, "未修改", with_hint(exc.message, exc.hint, exc.hint_args))
            return False
        self.done_texts.append(res.summary())
        self.ctx.notify(set(res.changes) or {"villages"})
        self._load(keep)
        return True

    def rename(self) -> bool:
        old, new = self.village.currentText(), self.new_name.text()
        return self._do(lambda ws: setup.rename_village(ws, old, new), keep=new.strip())

    def merge(self) -> bool:
        src, dst = self.village.currentText(), self.target.currentText()
        if not src or not dst:
            return False
        if QtWidgets.QMessageBox.question(self, "合并村(社区)", f"把“{src}”的全部数据移到“{dst}”,并删除“{src}”?") \
                != QtWidgets.QMessageBox.StandardButton.Yes:
            return False
        return self._do(lambda ws: setup.merge_villages(ws, src, dst), keep=dst)

    def set_groups(self) -> bool:
        name, n = self.village.currentText(), self.groups.value()
        return self._do(lambda ws: setup.set_group_count(ws, name, n), keep=name)

    def delete(self) -> bool:
        name = self.village.currentText()
        if QtWidgets.QMessageBox.question(self, "删除村(社区)", f"删除“{name}”?") != QtWidgets.QMessageBox.StandardButton.Yes:
            return False
        return self._do(lambda ws: setup.delete_village(ws, name))
