"""The import wizard of 补贴发放: file → detected header and mapping → validation report → import.

Every step calls an operation of ``gkdesk.app.payouts`` (preview, check, import — the import
takes its own backup); reading, checking and storing run through ``run_job`` so big files show
progress and can be cancelled. The questions "添加这些村?" and "替换?" follow the result's
fields and hint, never its message text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gkdesk.app import payouts as ops
from gkdesk.app.payouts import PayoutImport
from gkdesk.hints import Hint
from gkdesk.payouts import layouts as L
from gkdesk.payouts.preview import FilePreview
from gkdesk.ui.context import UiContext
from gkdesk.ui.jobs import run_job, show_error
from gkdesk.ui.qt import QtWidgets

NOT_MAPPED = "(无)"


class PayoutImportDialog(QtWidgets.QDialog):
    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("导入补贴发放清册")
        self.resize(900, 600)
        self.preview: FilePreview | None = None
        self.checked: PayoutImport | None = None
        self.result_batch: str | None = None
        self.village_map: dict[str, str] = {}
        self.job: Any = None
        self.stack = QtWidgets.QStackedWidget()
        self.stack.addWidget(self._file_step())
        self.stack.addWidget(self._mapping_step())
        self.stack.addWidget(self._report_step())
        self.back_btn = QtWidgets.QPushButton("上一步")
        self.next_btn = QtWidgets.QPushButton("下一步")
        self.back_btn.clicked.connect(self.back)
        self.next_btn.clicked.connect(self.next)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_btn)
        buttons.addWidget(self.next_btn)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # --- steps ---------------------------------------------------------------------------
    def _file_step(self) -> QtWidgets.QWidget:
        w = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(w)
        self.path = QtWidgets.QLineEdit()
        browse = QtWidgets.QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow("清册文件:", row)
        self.program = QtWidgets.QComboBox()
        self.program.addItems([p["name"] for p in ops.list_programs(self.ctx.ws)])
        form.addRow("补贴项目:", self.program)
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        form.addRow("年度:", self.year)
        self.period = QtWidgets.QLineEdit()
        self.period.setPlaceholderText("如 2026年10月、第一批(可空)")
        form.addRow("期次:", self.period)
        self.valid_only = QtWidgets.QCheckBox("只导入正确的行(错误行另存为错误工作簿,改正后再导入)")
        form.addRow("", self.valid_only)
        return w

    def _mapping_step(self) -> QtWidgets.QWidget:
        """The file's first rows, a drop-down over each column prefilled with the importer's
        guess (姓名, 身份证号, 村, 组, 村组, 金额 … 忽略); the choice can be saved as a template."""
        w = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(w)
        self.header_info = QtWidgets.QLabel()
        self.header_info.setWordWrap(True)
        layout.addWidget(self.header_info)
        self.sample = QtWidgets.QTableWidget(0, 0)
        self.sample.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.sample, 1)
        self.column_combos: list[QtWidgets.QComboBox] = []
        form = QtWidgets.QFormLayout()
        self.whole_village = QtWidgets.QComboBox()
        form.addRow("整个文件所属村(社区):", self.whole_village)
        row = QtWidgets.QHBoxLayout()
        self.save_layout = QtWidgets.QCheckBox("保存为导入模板,下次自动对应,名称:")
        self.layout_name = QtWidgets.QLineEdit()
        self.layout_name.setPlaceholderText("如 一卡通导出")
        row.addWidget(self.save_layout)
        row.addWidget(self.layout_name, 1)
        form.addRow("", row)
        layout.addLayout(form)
        return w

    def _report_step(self) -> QtWidgets.QWidget:
        w = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(w)
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems = QtWidgets.QTableWidget(0, 5)
        self.problems.setHorizontalHeaderLabels(["类型", "工作表", "行", "列", "说明"])
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.problems.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.problems, 1)
        self.doubts_btn = QtWidgets.QPushButton("导出疑点核查表…")
        self.doubts_btn.clicked.connect(self.export_doubts)
        self.doubts_btn.setVisible(False)
        layout.addWidget(self.doubts_btn)
        return w

    def export_doubts(self) -> None:
        res = self.checked
        if res is None or not res.doubts:
            return
        name, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出疑点核查表", "疑点核查表.xlsx", "Excel 文件 (*.xlsx)")
        if name:
            ops.write_doubts(res.doubts, name, f"{self.program.currentText()} 疑点核查表(文件“{res.file}”)")
            QtWidgets.QMessageBox.information(self, "导出", f"疑点核查表已写入:{name}")

    # --- navigation ------------------------------------------------------------------------
    def browse(self) -> None:
        name, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择发放清册", "", "表格文件 (*.xlsx *.xls *.ods *.csv)")
        if name:
            self.path.setText(name)

    def _update_buttons(self) -> None:
        i = self.stack.currentIndex()
        self.back_btn.setEnabled(i > 0)
        self.next_btn.setText({0: "识别表头", 1: "检查全部行", 2: "导入"}[i])
        if i == 2 and self.checked is not None:
            res = self.checked
            # Rows of villages the township lacks are errors only until the clerk agrees to add them
            # (asked when importing), so they alone do not block the import button.
            fixable = res.only_unknown_villages or not res.errors
            self.next_btn.setEnabled((res.rows > 0 or fixable) and (fixable or self.valid_only.isChecked()))
        else:
            self.next_btn.setEnabled(True)

    def back(self) -> None:
        self.stack.setCurrentIndex(max(0, self.stack.currentIndex() - 1))
        self._update_buttons()

    def next(self) -> None:
        i = self.stack.currentIndex()
        if i == 0:
            self._load_preview()
        elif i == 1:
            self._run(dry_run=True)
        else:
            unknown = self.checked.unknown_villages if self.checked is not None else None
            if unknown and self._ask_add_villages(unknown):
                self._run(dry_run=False, add_villages=True)
            elif not unknown or self.valid_only.isChecked():  # declined: only valid-only can go on
                self._run(dry_run=False)

    def _ask_add_villages(self, names: list[str]) -> bool:
        return QtWidgets.QMessageBox.question(
            self, "添加村(社区)", f"名单中有本乡镇没有的村(社区):{'、'.join(names)}。\n添加这些村(社区)?") \
            == QtWidgets.QMessageBox.StandardButton.Yes

    def _load_preview(self) -> None:
        path = self.path.text().strip()
        if not path:
            QtWidgets.QMessageBox.information(self, "导入", "请先选择清册文件。")
            return

        def done(pv: FilePreview) -> None:
            self.preview = pv
            self._show_preview()
            self.stack.setCurrentIndex(1)
            self._update_buttons()

        ws = self.ctx.ws
        self.job = run_job(self, "正在读取表格", lambda report, cancelled: ops.preview(path, ws=ws), done,
                           lambda exc: show_error(self, "无法读取", exc))

    def _show_preview(self) -> None:
        pv = self.preview
        assert pv is not None
        sp = pv.sheets[0]
        names = "、".join(s.name for s in pv.sheets)
        extra = f";已跳过:{'、'.join(pv.skipped)}" if pv.skipped else ""
        village = f";本表为“{sp.village}”的名单" if sp.village else ""
        how = f"已按模板『{sp.layout}』对应各列。" if sp.layout else (
            "部分列是按内容猜的,请逐列核对:" if sp.unsure else "请核对每一列的用途,必要时在列上方的下拉框中调整:")
        notes = ("\n" + "\n".join(sp.notes)) if sp.notes else ""
        self.header_info.setText(f"工作表:{names}{extra}。表头在第{sp.header_row}行{village}。{how}{notes}")
        by_col = {c: f for f, c in sp.mapping.items()}
        labels = {v: k for k, v in reversed(list(L.FIELD_CHOICES.items()))}  # field -> its first (shortest) choice
        self.sample.clear()
        self.sample.setColumnCount(len(sp.headers))
        self.sample.setHorizontalHeaderLabels(sp.headers)
        self.sample.setRowCount(len(sp.sample) + 1)
        self.sample.setVerticalHeaderLabels(["用途"] + [str(sp.header_row + 1 + i) for i in range(len(sp.sample))])
        self.column_combos = []
        for c in range(len(sp.headers)):
            combo = QtWidgets.QComboBox()
            combo.addItems(list(L.CHOICE_ORDER))
            f = by_col.get(c)
            combo.setCurrentText(labels.get(f, L.IGNORE) if f else L.IGNORE)
            combo.setEnabled(len(pv.sheets) == 1)
            self.sample.setCellWidget(0, c, combo)
            self.column_combos.append(combo)
        for r, row in enumerate(sp.sample, 1):
            for c, v in enumerate(row):
                self.sample.setItem(r, c, QtWidgets.QTableWidgetItem(v))
        self.sample.resizeColumnsToContents()
        self.whole_village.clear()
        self.whole_village.addItem("(按名单中的村名)", "")
        for name in ops.village_names(self.ctx.ws):
            self.whole_village.addItem(name, name)
        self.save_layout.setChecked(sp.unsure and not sp.layout)

    def mapping(self) -> dict[str, int] | None:
        """Field -> column as the drop-downs say (None: unchanged from the importer's guess)."""
        if self.preview is None or len(self.preview.sheets) != 1:
            return None
        m: dict[str, int] = {}
        for c, combo in enumerate(self.column_combos):
            choice = combo.currentText()
            if choice != L.IGNORE:
                m.setdefault(L.FIELD_CHOICES[choice], c)
        return None if m == self.preview.sheets[0].mapping and not self.save_layout.isChecked() else m

    def set_column(self, column: int, choice: str) -> None:
        """Choose what one column is (as the clerk does with the drop-down)."""
        self.column_combos[column].setCurrentText(choice)

    def _run(self, dry_run: bool, add_villages: bool = False, replace: bool = False,
             allow_duplicate: bool = False) -> None:
        path, ws = self.path.text().strip(), self.ctx.ws
        what: dict[str, Any] = dict(program=self.program.currentText(), year=self.year.value(),
                                    period=self.period.text(), mapping=self.mapping(),
                                    village=self.whole_village.currentData() or None,
                                    village_map=self.village_map or None)
        save_as = self.layout_name.text().strip() if self.save_layout.isChecked() else ""
        valid_only = self.valid_only.isChecked()

        def work(report, cancelled) -> PayoutImport:  # type: ignore[no-untyped-def]
            if dry_run:
                return ops.check_list(ws, path, **what, report=report, cancelled=cancelled)
            return ops.import_list(ws, path, **what, valid_only=valid_only, add_villages=add_villages,
                                   replace=replace, save_layout=save_as or None, allow_duplicate=allow_duplicate,
                                   report=report, cancelled=cancelled)

        self.job = run_job(self, "正在检查" if dry_run else "正在导入", work,
                           lambda res: self._checked(res) if dry_run else self._imported(res),
                           lambda exc: show_error(self, "导入", exc))

    def _checked(self, res: PayoutImport) -> None:
        self.checked = res
        text = res.summary()
        if res.status == "checked" and res.existing_batch:
            text += ",导入时会询问是否替换(替换前自动备份)"
        if res.columns_line():
            text += "\n" + res.columns_line()
        if res.doubts:
            text += f"\n发现疑点{len(res.doubts)}条(重复领取等),请逐条核对;可导出疑点核查表。"
        self.summary.setText(text)
        items: list[tuple[str, str, str, str, str]] = [
            ("错误", e.sheet or "", "" if e.row is None else str(e.row), e.column or "", e.message) for e in res.errors]
        items += [(f"疑点:{d.kind}", d.where, "", d.name, f"{d.id_masked} {d.message}") for d in res.doubts]
        items += [("提示", w.sheet or "", "" if w.row is None else str(w.row), w.column or "", w.message)
                  for w in res.warnings]
        self.problems.setRowCount(len(items))
        for r, cells in enumerate(items):
            for c, v in enumerate(cells):
                self.problems.setItem(r, c, QtWidgets.QTableWidgetItem(v))
        self.doubts_btn.setVisible(bool(res.doubts))
        self.stack.setCurrentIndex(2)
        self._update_buttons()
        if res.status == "unchanged":
            self.next_btn.setEnabled(False)

    def _imported(self, res: PayoutImport, ask: bool = True) -> None:
        if res.refused and res.hint == Hint.ADD_VILLAGES and ask:
            if self._ask_add_villages(list(res.hint_args.get("names") or res.unknown_villages)):
                self._run(dry_run=False, add_villages=True)
            return
        if res.refused and res.hint == Hint.ALLOW_DUPLICATE and ask:
            if QtWidgets.QMessageBox.question(self, "可能重复导入", f"{res.message}。\n\n确认不是重复发放,仍然导入?") \
                    == QtWidgets.QMessageBox.StandardButton.Yes:
                self._run(dry_run=False, allow_duplicate=True)
            return
        if res.refused and res.hint == Hint.MAP_VILLAGES and ask and res.village_suggestions:
            pairs = "、".join(f"“{k}”→“{v}”" for k, v in res.village_suggestions.items())
            if QtWidgets.QMessageBox.question(self, "对应到已有的村(社区)", f"名单中的名称可能是已有的村(社区):{pairs}。\n按此对应?") \
                    == QtWidgets.QMessageBox.StandardButton.Yes:
                self.village_map = dict(res.village_suggestions)
                self._run(dry_run=False)
            return
        if res.refused and res.hint == Hint.REPLACE_BATCH and ask:
            if QtWidgets.QMessageBox.question(self, "替换清册", f"{res.message}。\n\n用本文件替换?(替换前会自动备份)") \
                    == QtWidgets.QMessageBox.StandardButton.Yes:
                self._run(dry_run=False, replace=True)
            return
        if res.status == "imported":
            self.result_batch = res.batch
            self.ctx.notify(res.changes)
            msg = res.summary()
            if res.columns_line():
                msg += "\n" + res.columns_line()
            if res.layout_saved:
                msg += f"\n列对应已保存为导入模板『{res.layout_saved}』,下次自动套用"
            if res.doubts:
                msg += f"\n发现疑点{len(res.doubts)}条,可在“疑点核查”中逐条核对"
            if res.error_workbook:
                msg += "\n" + res.error_workbook_note(full_path=False)
            QtWidgets.QMessageBox.information(self, "导入完成", msg)
            self.accept()
        else:
            self._checked(res)
