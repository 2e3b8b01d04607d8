"""设置: township details, villages, operator, font size (适老化), holiday calendar."""

from __future__ import annotations

from datetime import date

from gkdesk import settings, township
from gkdesk.app import calendar, setup
from gkdesk.ui.fonts import MAX_SIZE, MIN_SIZE, apply_font
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import QtWidgets
from gkdesk.ui.widgets.inputs import guard_wheel


class SettingsPage(Page):
    watches = frozenset({"township", "villages", "settings", "calendar", "all"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        outer = QtWidgets.QVBoxLayout(self)
        outer.addWidget(self.heading("设置"))
        scroll = QtWidgets.QScrollArea()
        scroll.setWidgetResizable(True)
        body = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        # township
        box = QtWidgets.QGroupBox("本乡镇")
        form = QtWidgets.QFormLayout(box)
        self.t_name = QtWidgets.QLineEdit()
        self.t_code = QtWidgets.QLabel()
        self.t_county = QtWidgets.QLineEdit()
        self.t_phone = QtWidgets.QLineEdit()
        save = QtWidgets.QPushButton("保存")
        save.clicked.connect(self.save_township)
        for label, w in [("名称", self.t_name), ("行政区划代码", self.t_code), ("所属县(区)", self.t_county),
                         ("监督举报电话", self.t_phone), ("", save)]:
            form.addRow(label, w)
        layout.addWidget(box)

        # operator and font
        box = QtWidgets.QGroupBox("操作人与显示")
        form = QtWidgets.QFormLayout(box)
        self.operator = QtWidgets.QLineEdit()
        op_btn = QtWidgets.QPushButton("保存操作人")
        op_btn.clicked.connect(self.save_operator)
        self.font_size = QtWidgets.QSpinBox()
        self.font_size.setRange(MIN_SIZE, MAX_SIZE)
        self.font_size.setSuffix(" 磅")
        self.font_size.valueChanged.connect(self.save_font)
        self.font_size.setToolTip("改动立即生效,并记住到下次启动")
        guard_wheel(self.font_size)
        self.data_dir = QtWidgets.QLabel()
        self.data_dir.setTextInteractionFlags(self.data_dir.textInteractionFlags() | self.t_code.textInteractionFlags())
        form.addRow("操作人", self.operator)
        form.addRow("", op_btn)
        form.addRow("字号(适老化可调大)", self.font_size)
        form.addRow("数据目录", self.data_dir)
        layout.addWidget(box)

        # villages
        box = QtWidgets.QGroupBox("村(社区)")
        vl = QtWidgets.QVBoxLayout(box)
        self.villages = QtWidgets.QTableWidget(0, 3)
        self.villages.setHorizontalHeaderLabels(["名称", "类型", "村民小组数"])
        self.villages.horizontalHeader().setStretchLastSection(True)
        self.villages.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.villages.setMinimumHeight(180)
        vl.addWidget(self.villages)
        row = QtWidgets.QHBoxLayout()
        self.v_name = QtWidgets.QLineEdit(placeholderText="村(社区)名称")
        self.v_groups = QtWidgets.QSpinBox()
        self.v_groups.setRange(0, township.MAX_GROUPS)
        self.v_groups.setPrefix("组数 ")
        add = QtWidgets.QPushButton("添加")
        add.clicked.connect(self.add_village)
        imp = QtWidgets.QPushButton("从 Excel 导入…")
        imp.clicked.connect(self.import_villages)
        for w in (self.v_name, self.v_groups, add, imp):
            row.addWidget(w)
        vl.addLayout(row)
        layout.addWidget(box)

        # calendar
        box = QtWidgets.QGroupBox("节假日安排(计算工作日期限)")
        cl = QtWidgets.QFormLayout(box)
        self.cal_years = QtWidgets.QLabel()
        self.cal_years.setWordWrap(True)
        self.cal_year = QtWidgets.QSpinBox()
        self.cal_year.setRange(2000, 2100)
        self.cal_year.setValue(date.today().year + 1)
        self.cal_holidays = QtWidgets.QLineEdit(placeholderText="放假日期,如 2027-01-01 2027-02-06..2027-02-12")
        self.cal_workdays = QtWidgets.QLineEdit(placeholderText="调休上班日,如 2027-02-14 2027-02-20")
        cal_btn = QtWidgets.QPushButton("保存该年节假日")
        cal_btn.clicked.connect(self.save_year)
        cl.addRow("已有数据", self.cal_years)
        cl.addRow("年份", self.cal_year)
        cl.addRow("放假日期", self.cal_holidays)
        cl.addRow("调休上班日", self.cal_workdays)
        cl.addRow("", cal_btn)
        layout.addWidget(box)
        layout.addStretch(1)

    def refresh(self) -> None:
        with self.ctx.store.session() as s:
            t = township.current(s)
            self.t_name.setText(t.name)
            self.t_code.setText(t.code)
            self.t_county.setText(t.county_name)
            self.t_phone.setText(t.supervision_phone)
            size = settings.FONT_SIZE.get(s)
            vs = [township.village_dict(v) for v in township.villages(s)]
        self.operator.setText(self.ctx.operator)
        self.font_size.blockSignals(True)
        self.font_size.setValue(size)
        self.font_size.blockSignals(False)
        self.data_dir.setText(str(self.ctx.store.data_dir))
        self.villages.setRowCount(len(vs))
        for r, v in enumerate(vs):
            for c, val in enumerate([v["name"], v["kind"], str(v["groups"])]):
                self.villages.setItem(r, c, QtWidgets.QTableWidgetItem(val))
        self.cal_years.setText(calendar.coverage(self.ctx.ws).summary())

    def save_township(self) -> None:
        self.run_action(lambda ws: setup.update_township(ws, name=self.t_name.text(), county=self.t_county.text(),
                                                         supervision_phone=self.t_phone.text()),
                        title="未保存", ok="已保存本乡镇信息")

    def save_operator(self) -> None:
        """The name the audit log records for this and later runs (the Workspace keeps it)."""
        self.ctx.set_operator(self.operator.text().strip())
        win = self.window()
        if isinstance(win, QtWidgets.QMainWindow):
            win.statusBar().showMessage(f"操作人已设为:{self.ctx.operator}", 5000)

    def save_font(self, size: int) -> None:
        """Applied at once to every open window and remembered for the next start."""
        if self.run_action(lambda ws: setup.set_font_size(ws, size), title="未保存字号", ok=f"字号已改为 {size} 磅,已立即生效") is None:
            return
        apply_font(QtWidgets.QApplication.instance(), size)

    def add_village(self) -> None:
        name, groups = self.v_name.text(), self.v_groups.value()
        if self.run_action(lambda ws: setup.add_village(ws, name, groups), title="未添加") is not None:
            self.v_name.clear()
            self.v_groups.setValue(0)

    def import_villages(self, _checked: bool = False, path: str | None = None) -> None:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择村(社区)名单", "", "表格 (*.xlsx *.xls *.ods *.csv)")
        if path:
            self.run_action(lambda ws: setup.import_villages(ws, path), title="未导入")

    def save_year(self) -> None:
        year, hol, work = self.cal_year.value(), self.cal_holidays.text(), self.cal_workdays.text()
        if self.run_action(lambda ws: calendar.set_year(ws, year, hol, work), title="未保存节假日"):
            self.cal_holidays.clear()
            self.cal_workdays.clear()
