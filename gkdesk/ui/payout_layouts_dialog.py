"""导入模板: the saved column layouts of payout imports, to look at, delete, export and import.

A layout is saved from the import wizard; here the clerk sees which exist, removes one that
is wrong, or moves them between computers as a JSON file. At the county a layout can be marked
to go down to the townships with the next update package (下发乡镇). Every action is a function of
``gkdesk.app.payouts``, run through the page's ``run_action`` (errors shown in Chinese).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from gkdesk.app import payouts as ops
from gkdesk.sheets.synonyms import FIELD_LABELS
from gkdesk.ui.qt import QtWidgets
from gkdesk.ui.widgets.confirm import confirm

if TYPE_CHECKING:
    from gkdesk.ui.pages.base import Page

JSON_FILTER = "导入模板文件 (*.json)"
ORIGIN_LABELS = {"local": "本机保存", "county": "县级下发"}


class LayoutsDialog(QtWidgets.QDialog):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.page = page
        self.county = _is_county(page)
        self.setWindowTitle("导入模板")
        self.resize(720, 380)
        layout = QtWidgets.QVBoxLayout(self)
        note = QtWidgets.QLabel("导入清册时保存的列对应。表头相同的文件再次导入时会自动套用。"
                                + ("标为“下发乡镇”的模板随下次县级更新包发给各乡镇。" if self.county else ""))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.headers = ["模板", "来源", *(["下发乡镇"] if self.county else []), "列对应"]
        self.table = QtWidgets.QTableWidget(0, len(self.headers))
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        self.empty = QtWidgets.QLabel("还没有保存的导入模板。")
        layout.addWidget(self.empty)
        buttons = QtWidgets.QHBoxLayout()
        self.delete_btn = QtWidgets.QPushButton("删除")
        self.export_btn = QtWidgets.QPushButton("导出…")
        self.export_btn.setToolTip("把所选模板(未选时为全部)保存为文件,可在别的电脑上导入")
        self.import_btn = QtWidgets.QPushButton("导入…")
        self.send_btn = QtWidgets.QPushButton("下发乡镇")
        self.send_btn.setToolTip("所选模板随下次县级更新包发给各乡镇(再点一次取消)")
        self.send_btn.setVisible(self.county)
        self.send_btn.clicked.connect(self.toggle_send)
        close = QtWidgets.QPushButton("关闭")
        self.delete_btn.clicked.connect(self.delete_selected)
        self.export_btn.clicked.connect(self.export_layouts)
        self.import_btn.clicked.connect(self.import_layouts)
        close.clicked.connect(self.accept)
        for b in (self.delete_btn, self.export_btn, self.import_btn, self.send_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reload()

    def reload(self) -> None:
        rows = ops.list_layouts(self.page.ctx.ws)
        self.names = [r["name"] for r in rows]
        self.sent = {r["name"] for r in rows if r.get("send_down")}
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            fields = "、".join(f"{FIELD_LABELS.get(k, k)}←{v}" for k, v in r["fields"].items())
            origin = ORIGIN_LABELS.get(r["origin"], r["origin"])
            cells = [r["name"], origin, *(["是" if r.get("send_down") else ""] if self.county else []), fields]
            for c, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(str(text))
                item.setToolTip(str(text))
                self.table.setItem(i, c, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.empty.setVisible(not rows)
        self.export_btn.setEnabled(bool(rows))
        self._selection_changed()

    def _selection_changed(self) -> None:
        names = self.selected_names()
        self.delete_btn.setEnabled(bool(names))
        self.send_btn.setEnabled(bool(names))
        self.send_btn.setText("取消下发" if names and set(names) <= self.sent else "下发乡镇")

    def selected_names(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.names[r] for r in rows if r < len(self.names)]

    # ---- what the clerk is asked (tests replace these) -------------------------------------
    def ask_export_path(self) -> str:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出导入模板", str(Path.home() / "导入模板.json"),
                                                        JSON_FILTER)
        if path and not path.lower().endswith(".json"):
            path += ".json"
        return path

    def ask_import_path(self) -> str:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "导入导入模板", str(Path.home()), JSON_FILTER)
        return path

    # ---- actions ------------------------------------------------------------------------------
    def delete_selected(self) -> bool:
        names = self.selected_names()
        if not names:
            return False
        if not confirm(self, "删除导入模板", f"删除这 {len(names)} 个导入模板?", [("模板", "、".join(names))],
                       action="删除", note="删除后,表头相同的文件导入时需要重新对应各列。"):
            return False
        done = False
        for name in names:
            done = self.page.run_action(lambda ws, n=name: ops.delete_layout(ws, n), title="删除导入模板") is not None \
                or done
        self.reload()
        return done

    def toggle_send(self) -> bool:
        """County: mark the selected layouts for the townships, or unmark them if all are marked."""
        names = self.selected_names()
        if not names:
            return False
        send = not set(names) <= self.sent
        done = False
        for name in names:
            done = self.page.run_action(lambda ws, n=name: ops.send_layout(ws, n, send),
                                        title="下发导入模板" if send else "取消下发导入模板") is not None or done
        self.reload()
        return done

    def export_layouts(self) -> ops.LayoutsMoved | None:
        out = self.ask_export_path()
        if not out:
            return None
        only = self.selected_names() or None
        res = self.page.run_action(lambda ws: ops.export_layouts(ws, out, only), title="导出导入模板")
        if res is not None:
            QtWidgets.QMessageBox.information(self, "导出导入模板", res.summary())
        return res

    def import_layouts(self) -> ops.LayoutsMoved | None:
        src = self.ask_import_path()
        if not src:
            return None
        res = self.page.run_action(lambda ws: ops.import_layouts(ws, src), title="导入导入模板")
        self.reload()
        if res is not None:
            QtWidgets.QMessageBox.information(self, "导入导入模板", res.summary())
        return res


def _is_county(page: Page) -> bool:
    from gkdesk import township
    from gkdesk.models.township import ROLE_COUNTY

    try:
        with page.ctx.store.session() as s:
            return township.current(s).role == ROLE_COUNTY
    except Exception:  # not set up yet: a township's dialog
        return False
