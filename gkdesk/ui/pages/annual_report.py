"""年度报告: the year's 政府信息公开工作年度报告 — tables from the register, hand figures, texts,
checks (waived only with a reason) and export. In the county's copy it also shows which
townships have submitted theirs."""

from __future__ import annotations

from datetime import date
from typing import Any

from gkdesk.annual_report import tables as T
from gkdesk.annual_report.report import SECTION_TITLES, SECTIONS
from gkdesk.app import annual_report as app
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import QtGui, QtWidgets
from gkdesk.ui.widgets.tables import fill_table, readonly_table

RED, GREEN, AMBER = "#c8372d", "#2e7d32", "#b86e00"


class AnnualReportPage(Page):
    watches = frozenset({"annual_report", "disclosure"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.report: Any = None
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading("年度报告"))
        top = QtWidgets.QHBoxLayout()
        self.year = QtWidgets.QComboBox()
        for y in range(date.today().year, 2018, -1):
            self.year.addItem(f"{y}年", y)
        if date.today().month <= 3:  # January–March: last year's report is the one being written
            self.year.setCurrentIndex(1)
        self.year.currentIndexChanged.connect(self.refresh)
        top.addWidget(QtWidgets.QLabel("报告年度"))
        top.addWidget(self.year)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        top.addWidget(self.status, 1)
        for text, suffix in (("导出 Word", ".docx"), ("导出 PDF", ".pdf"), ("导出 Excel 表格", ".xlsx")):
            b = QtWidgets.QPushButton(text)
            b.clicked.connect(lambda _c=False, s=suffix: self.do_export(s))
            top.addWidget(b)
        layout.addLayout(top)

        self.tabs = QtWidgets.QTabWidget()
        layout.addWidget(self.tabs, 1)
        # checks
        checks = QtWidgets.QWidget()
        cl = QtWidgets.QVBoxLayout(checks)
        self.checks = readonly_table(["检查", "结果", "问题", "放行理由"])
        cl.addWidget(self.checks)
        waive = QtWidgets.QPushButton("对选中的检查写明放行理由…")
        waive.clicked.connect(self.do_override)
        cl.addWidget(waive)
        self.tabs.addTab(checks, "检查")
        # texts
        texts = QtWidgets.QWidget()
        tl = QtWidgets.QVBoxLayout(texts)
        self.section = QtWidgets.QComboBox()
        for s in SECTIONS:
            self.section.addItem(SECTION_TITLES[s], s)
        self.section.currentIndexChanged.connect(self._show_section)
        self.text = QtWidgets.QPlainTextEdit()
        self.text_note = QtWidgets.QLabel()
        row = QtWidgets.QHBoxLayout()
        save = QtWidgets.QPushButton("保存这一部分")
        save.clicked.connect(self.do_save_text)
        reset = QtWidgets.QPushButton("恢复自动草稿")
        reset.clicked.connect(self.do_reset_text)
        row.addWidget(self.section)
        row.addWidget(self.text_note, 1)
        row.addWidget(reset)
        row.addWidget(save)
        tl.addLayout(row)
        tl.addWidget(self.text, 1)
        self.tabs.addTab(texts, "正文")
        # table 二: hand-entered figures
        t2 = QtWidgets.QWidget()
        form = QtWidgets.QFormLayout(t2)
        form.addRow(QtWidgets.QLabel("本系统没有这些事项的记录,以下数字均为手工填报(导出时照此填入表二)。"))
        self.t2_edits: dict[str, QtWidgets.QLineEdit] = {}
        for key, block, row_label, col, _dec in T.T2_FIELDS:
            e = QtWidgets.QLineEdit()
            e.setPlaceholderText("未填写")
            self.t2_edits[key] = e
            form.addRow(f"{block} {row_label}:{col}", e)
        save2 = QtWidgets.QPushButton("保存表二")
        save2.clicked.connect(self.do_save_t2)
        form.addRow(save2)
        self.tabs.addTab(t2, "表二(手工填报)")
        # tables 三 / 四 (from the register)
        self.t3 = readonly_table(["办理情况"] + [T.T3_COL_LABELS[c] for c in T.T3_COLS])
        self.tabs.addTab(self.t3, "表三(按登记台账)")
        self.t4 = readonly_table(["类别"] + [T.T4_COL_LABELS[c] for c in T.T4_COLS])
        self.tabs.addTab(self.t4, "表四")
        county = QtWidgets.QWidget()
        cyl = QtWidgets.QVBoxLayout(county)
        self.county = readonly_table(["乡镇(街道)", "报送", "检查", "导出日期"])
        cyl.addWidget(self.county)
        sums = QtWidgets.QPushButton("导出全县合计表…")
        sums.clicked.connect(self.do_export_county)
        cyl.addWidget(sums)
        self.county_tab = self.tabs.addTab(county, "各乡镇报送情况")

    # --- reads -----------------------------------------------------------------------
    def refresh(self) -> None:
        year = self.year.currentData()
        view = self.run_silently(lambda ws: app.show(ws, year))
        if view is None:
            return
        self.report = r = view.report
        self.status.setText(view.summary())
        rows = []
        for c in r.checks:
            rows.append([c.name, "通过" if c.ok else ("已放行" if c.override else "未通过"), ";".join(c.problems),
                         c.override])
        fill_table(self.checks, rows)
        self.checks.horizontalHeader().setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for i, c in enumerate(r.checks):
            colour = GREEN if c.ok else (AMBER if c.override else RED)
            item = self.checks.item(i, 1)
            if item is not None:
                item.setForeground(QtGui.QBrush(QtGui.QColor(colour)))
        for key, e in self.t2_edits.items():
            v = r.table2.get(key)
            e.setText("" if v is None else str(v))
        fill_table(self.t3, [[T.T3_ROW_LABELS[k]] + [r.table3[k][c] for c in T.T3_COLS] for k in T.T3_ROWS],
                   right=range(1, 8))
        fill_table(self.t4, [[T.T4_BLOCK_LABELS[b]] + [r.table4[b][c] for c in T.T4_COLS] for b in T.T4_BLOCKS],
                   right=range(1, 6))
        self._show_section()
        from gkdesk import township
        from gkdesk.models.township import ROLE_COUNTY

        with self.ctx.store.session() as s:
            is_county = township.current(s).role == ROLE_COUNTY
        cres = self.run_silently(lambda ws: app.county_reports(ws, year)) if is_county else None
        towns = cres.townships if cres else []
        self.tabs.setTabVisible(self.county_tab, bool(towns))
        fill_table(self.county, [[t["township"], "已报送" if t["submitted"] else "未报送",
                                  ("通过" if t["checks_ok"] else "有放行项") if t["submitted"] else "",
                                  t["exported_on"] or ""] for t in towns])

    def run_silently(self, op):  # type: ignore[no-untyped-def]
        from gkdesk.errors import GkError

        try:
            return op(self.ctx.ws)
        except GkError as exc:
            self.status.setText(exc.message)
            return None

    def _show_section(self) -> None:
        if self.report is None:
            return
        s = self.section.currentData()
        self.text.setPlainText(self.report.sections[s])
        self.text_note.setText("已修改" if s in self.report.edited else "自动草稿(由本年数据生成,请修改后保存)")

    # --- actions -----------------------------------------------------------------------
    def do_save_text(self) -> None:
        year, s, text = self.year.currentData(), self.section.currentData(), self.text.toPlainText()
        self.run_action(lambda ws: app.set_section(ws, year, s, text))

    def do_reset_text(self) -> None:
        year, s = self.year.currentData(), self.section.currentData()
        self.run_action(lambda ws: app.set_section(ws, year, s, ""))

    def do_save_t2(self) -> None:
        year = self.year.currentData()
        values = {k: e.text() for k, e in self.t2_edits.items()}
        self.run_action(lambda ws: app.set_figures(ws, year, values))

    def do_override(self) -> None:
        rows = self.checks.selectionModel().selectedRows()
        if not rows or self.report is None:
            return
        c = self.report.checks[rows[0].row()]
        reason, ok = QtWidgets.QInputDialog.getText(self, "放行理由", f"“{c.name}”未通过仍要导出的理由(留空则取消放行):",
                                                    text=c.override)
        if ok:
            year = self.year.currentData()
            self.run_action(lambda ws: app.override(ws, year, c.key, reason))

    def do_export(self, suffix: str) -> None:
        year = self.year.currentData()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出年度报告", f"{year}年政府信息公开工作年度报告{suffix}",
                                                        f"*{suffix}")
        if path:
            self.run_action(lambda ws: app.export(ws, year, path), title="未导出")

    def do_export_county(self) -> None:
        year = self.year.currentData()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出全县合计", f"{year}年政府信息公开年度报告全县合计.xlsx",
                                                        "*.xlsx")
        if path:
            self.run_action(lambda ws: app.county_reports(ws, year, path), title="未导出")
