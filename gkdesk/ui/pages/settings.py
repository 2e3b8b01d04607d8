"""设置: township details, villages, operator, font size (适老化), holiday calendar; a county's database."""

from __future__ import annotations

from datetime import date

from gkdesk import settings, township
from gkdesk.app import calendar, setup
from gkdesk.app import village_catalogue as cat_ops
from gkdesk.identity import MASK_PATTERNS
from gkdesk.ui.fonts import MAX_SIZE, MIN_SIZE, apply_font
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import QtCore, QtWidgets
from gkdesk.ui.widgets.inputs import guard_wheel


class SettingsPage(Page):
    watches = frozenset({"township", "villages", "settings", "calendar", "village_catalogue", "all"})

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

        # county: where its data live (this PC's file or a PostgreSQL server)
        self.db_group = self._database_group()
        layout.addWidget(self.db_group)

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
        self.villages = QtWidgets.QTableWidget(0, 5)
        self.villages.setHorizontalHeaderLabels(["名称", "类型", "村民小组数", "村务监督委员会主任", "民主理财小组组长"])
        self.villages.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.villages.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.villages.setToolTip("双击一个村(社区)填写审核人:登记公示审核时自动带出")
        self.villages.cellDoubleClicked.connect(lambda r, _c: self.reviewers_dialog(r))
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
        edit = QtWidgets.QPushButton("修改…")  # rename / merge / delete / groups (village_edit_dialog)
        edit.clicked.connect(self.edit_village)
        rev = QtWidgets.QPushButton("审核人…")
        rev.setToolTip("所选村(社区)的村务监督委员会主任和民主理财小组组长")
        rev.clicked.connect(lambda: self.reviewers_dialog())
        guard_wheel(self.v_groups)
        for w in (self.v_name, self.v_groups, add, imp, edit, rev):
            row.addWidget(w)
        vl.addLayout(row)
        layout.addWidget(box)

        # what notices print
        box = QtWidgets.QGroupBox("公示设置(打印的公示单上)")
        nf = QtWidgets.QFormLayout(box)
        self.n_phones = QtWidgets.QLineEdit(placeholderText="如:通川区农业农村局 0818-2112345;多个用分号隔开")
        self.n_phones.setToolTip("印在公示单下方的县级监督举报电话;本乡镇的电话在上面“本乡镇”中填写")
        self.n_mask = QtWidgets.QComboBox()
        for code, label in MASK_PATTERNS.items():
            self.n_mask.addItem(label, code)
        self.n_mask.setToolTip("公示单选择“显示部分身份证号”时的遮挡方式;银行账号和电话从不打印")
        guard_wheel(self.n_mask)
        self.n_font = QtWidgets.QLabel()
        self.n_font.setWordWrap(True)
        font_row = QtWidgets.QHBoxLayout()
        pick = QtWidgets.QPushButton("选择字体文件…")
        pick.clicked.connect(self.pick_notice_font)
        auto = QtWidgets.QPushButton("自动选择")
        auto.clicked.connect(lambda: self.save_notices(notice_font=""))
        font_row.addWidget(self.n_font, 1)
        font_row.addWidget(pick)
        font_row.addWidget(auto)
        n_save = QtWidgets.QPushButton("保存公示设置")
        n_save.clicked.connect(lambda: self.save_notices())
        nf.addRow("县级监督举报电话", self.n_phones)
        nf.addRow("身份证号部分显示", self.n_mask)
        nf.addRow("公示字体", font_row)
        nf.addRow("", n_save)
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
        cal_show = QtWidgets.QPushButton("查看该年安排")
        cal_show.clicked.connect(lambda: self.show_year())
        cal_imp = QtWidgets.QPushButton("从文件导入…")
        cal_imp.setToolTip("县里发来的节假日文件(.json 或 .txt)")
        cal_imp.clicked.connect(lambda: self.import_year())
        guard_wheel(self.cal_year)
        cal_row = QtWidgets.QHBoxLayout()
        for w in (cal_btn, cal_show, cal_imp):
            cal_row.addWidget(w)
        cal_row.addStretch(1)
        cl.addRow("已有数据", self.cal_years)
        cl.addRow("年份", self.cal_year)
        cl.addRow("放假日期", self.cal_holidays)
        cl.addRow("调休上班日", self.cal_workdays)
        cl.addRow("", cal_row)
        # the deadline calculator (工作日期限)
        dl_row = QtWidgets.QHBoxLayout()
        self.dl_start = QtWidgets.QDateEdit(QtCore.QDate.currentDate())
        self.dl_start.setCalendarPopup(True)
        self.dl_start.setDisplayFormat("yyyy-MM-dd")
        self.dl_days = QtWidgets.QSpinBox()
        self.dl_days.setRange(0, 366)
        self.dl_days.setValue(20)
        self.dl_days.setSuffix(" 天")
        self.dl_natural = QtWidgets.QCheckBox("按自然日")
        guard_wheel(self.dl_start, self.dl_days)
        dl_btn = QtWidgets.QPushButton("计算")
        dl_btn.clicked.connect(lambda: self.compute_deadline())
        self.dl_result = QtWidgets.QLabel()
        self.dl_result.setWordWrap(True)
        for w in (self.dl_start, self.dl_days, self.dl_natural, dl_btn):
            dl_row.addWidget(w)
        dl_row.addWidget(self.dl_result, 1)
        cl.addRow("期限计算", dl_row)
        layout.addWidget(box)
        layout.addStretch(1)

    def refresh(self) -> None:
        with self.ctx.store.session() as s:
            t = township.current(s)
            is_county = t.role == "county"
            self.t_name.setText(t.name)
            self.t_code.setText(t.code)
            self.t_county.setText(t.county_name)
            self.t_phone.setText(t.supervision_phone)
            size = settings.FONT_SIZE.get(s)
            vs = [township.village_dict(v) for v in township.villages(s)]
        heads = {p.village: p for p in (cat_ops.village_profile(self.ctx.ws, v["name"]) for v in vs)}
        self.operator.setText(self.ctx.operator)
        self.font_size.blockSignals(True)
        self.font_size.setValue(size)
        self.font_size.blockSignals(False)
        self.data_dir.setText(str(self.ctx.store.data_dir))
        self.villages.setRowCount(len(vs))
        for r, v in enumerate(vs):
            prof = heads.get(v["name"])
            for c, val in enumerate([v["name"], v["kind"], str(v["groups"]),
                                     prof.supervision_head if prof else "", prof.finance_group_head if prof else ""]):
                self.villages.setItem(r, c, QtWidgets.QTableWidgetItem(val))
        self.villages.resizeColumnsToContents()
        ns = setup.notice_settings(self.ctx.ws)
        self.n_phones.setText(ns.county_phones)
        self.n_mask.setCurrentIndex(max(0, self.n_mask.findData(ns.id_mask_pattern)))
        self.n_font.setText(ns.notice_font or "自动选择(系统中的中文字体)")
        self.n_font.setToolTip(ns.notice_font)
        self.cal_years.setText(calendar.coverage(self.ctx.ws).summary())
        self._refresh_database(is_county)

    def _database_group(self) -> QtWidgets.QGroupBox:
        from gkdesk.ui.widgets.database_box import DatabaseBox

        box = QtWidgets.QGroupBox("县级数据库")
        lay = QtWidgets.QVBoxLayout(box)
        self.db_shown = QtWidgets.QLabel()
        self.db_shown.setWordWrap(True)
        self.db_shown.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.db_shown)
        self.db_box = DatabaseBox(lambda: self.ctx.ws, title="数据库服务器(PostgreSQL)")
        self.db_test = self.db_box.test_btn
        self.db_save = QtWidgets.QPushButton("保存并使用此服务器")
        self.db_save.clicked.connect(lambda: self.save_database())
        self.db_local = QtWidgets.QPushButton("改回本机文件…")
        self.db_local.clicked.connect(lambda: self.use_local_database())
        self.db_box.buttons.insertWidget(1, self.db_save)
        self.db_box.buttons.insertWidget(2, self.db_local)
        lay.addWidget(self.db_box)
        note = QtWidgets.QLabel("已有数据的本机文件要搬到服务器,请用“同步”页的“迁移到 PostgreSQL…”(连同密钥和历史)。"
                                "改动在重新打开程序后生效。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555")
        lay.addWidget(note)
        return box

    def _refresh_database(self, is_county: bool) -> None:
        self.db_group.setVisible(is_county)
        if not is_county:
            return
        choice = setup.database_choice(self.ctx.ws)
        self.db_shown.setText(choice.summary())
        self.db_local.setEnabled(choice.server is not None)
        if choice.server:
            from sqlalchemy.engine import make_url

            u = make_url(choice.server)
            self.db_box.fill(u.host or "", u.port, u.database or "", u.username or "")

    def save_database(self) -> None:
        """Test, then keep these server settings (password wrapped); used from the next start."""
        res = self.run_action(lambda ws: setup.connect_database(ws, *self.db_box.fields()), title="未保存")
        if res is not None:
            self.db_box.password.clear()
            self.db_box.say(res.summary() + "\n重新打开程序后生效。", True)
            self._refresh_database(True)

    def use_local_database(self) -> None:
        from gkdesk.ui.widgets.confirm import confirm

        if not confirm(self, "改回本机文件", "以后打开程序时使用本电脑上的数据文件,而不是数据库服务器?",
                       [("数据库服务器", setup.database_choice(self.ctx.ws).server or "")], action="改回本机文件",
                       note="服务器上的数据保持不变,随时可以再改回来。本机文件中没有县级数据时,下次打开会重新进入首次使用设置。"):
            return
        res = self.run_action(lambda ws: setup.use_local_database(ws), title="未改动")
        if res is not None:
            self.db_box.say(res.summary(), True)
            self._refresh_database(True)

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

    def save_notices(self, *, notice_font: str | None = None) -> None:
        phones, pattern = self.n_phones.text(), self.n_mask.currentData()
        self.run_action(lambda ws: setup.set_notice_settings(ws, county_phones=phones, id_mask_pattern=pattern,
                                                             notice_font=notice_font), title="公示设置未保存")

    def pick_notice_font(self, _checked: bool = False, path: str | None = None) -> None:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择公示字体", "", "字体文件 (*.ttf *.ttc *.otf)")
        if path:
            self.save_notices(notice_font=path)

    def reviewers_dialog(self, row: int | None = None, values: tuple[str, str] | None = None) -> None:
        """The usual reviewers of one village, offered when a posting's review is recorded."""
        if row is None:
            rows = self.villages.selectionModel().selectedRows()
            if not rows:
                QtWidgets.QMessageBox.information(self, "审核人", "请先在列表中选择一个村(社区)。")
                return
            row = rows[0].row()
        village = self.villages.item(row, 0).text()
        if values is None:
            from gkdesk.ui.villages_dialogs import ask

            got = ask(self, f"{village}的审核人", [
                ("supervision", "村务监督委员会主任", "line", self.villages.item(row, 3).text()),
                ("finance", "民主理财小组组长", "line", self.villages.item(row, 4).text())])
            if not got:
                return
            values = (got["supervision"], got["finance"])
        sup, fin = values
        self.run_action(lambda ws: cat_ops.set_reviewers(ws, village, supervision=sup, finance=fin), title="未保存")

    def add_village(self) -> None:
        name, groups = self.v_name.text(), self.v_groups.value()
        if self.run_action(lambda ws: setup.add_village(ws, name, groups), title="未添加") is not None:
            self.v_name.clear()
            self.v_groups.setValue(0)

    def edit_village(self) -> QtWidgets.QDialog:
        from gkdesk.ui.village_edit_dialog import VillageEditDialog

        sel = self.villages.currentRow()
        dlg = VillageEditDialog(self.ctx, self.villages.item(sel, 0).text() if sel >= 0 and self.villages.item(sel, 0) else "", self)
        dlg.open()
        return dlg

    def import_villages(self, _checked: bool = False, path: str | None = None) -> None:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择村(社区)名单", "", "表格 (*.xlsx *.xls *.ods *.csv)")
        if path:
            self.run_action(lambda ws: setup.import_villages(ws, path), title="未导入")

    def show_year(self) -> None:
        year = self.cal_year.value()
        res = self.run_action(lambda ws: calendar.show_year(ws, year), title=f"{year}年节假日安排", ok=" ")
        if res is not None:
            QtWidgets.QMessageBox.information(self, f"{year}年节假日安排", res.summary())

    def import_year(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择节假日文件", "", "节假日文件 (*.json *.txt)")
        if path:
            chosen = path
            self.run_action(lambda ws: calendar.import_file(ws, chosen), title="未导入节假日")

    def compute_deadline(self) -> None:
        start, days, natural = self.dl_start.date().toPython(), self.dl_days.value(), self.dl_natural.isChecked()
        res = self.run_action(lambda ws: calendar.deadline(ws, start, days, natural=natural), title="期限计算", ok=" ")
        if res is not None:
            unit = "个自然日" if natural else "个工作日"
            self.dl_result.setText(f"{start} 起 {days} {unit}:截止 {res.summary()}" if res.ok else res.summary())

    def save_year(self) -> None:
        year, hol, work = self.cal_year.value(), self.cal_holidays.text(), self.cal_workdays.text()
        if self.run_action(lambda ws: calendar.set_year(ws, year, hol, work), title="未保存节假日"):
            self.cal_holidays.clear()
            self.cal_workdays.clear()
