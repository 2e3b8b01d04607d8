"""依申请公开: the register of disclosure requests, each request's clock and its documents.

Every button runs one operation of :mod:`gkdesk.app.disclosure`; this page only asks
(small forms) and shows (the list, the clock's history).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from gkdesk.app import disclosure as app
from gkdesk.disclosure import labels as L
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import QtCore, QtGui, QtWidgets
from gkdesk.ui.widgets.tables import fill_table, readonly_table

RED, AMBER = "#c8372d", "#b86e00"
HEADERS = ["编号", "收到日期", "申请人类型", "申请内容", "答复期限", "状态", "答复类型"]
FEE_MODES = {"none": "不收费", "per_request": "按件计收", "per_page": "按量计收"}
DOC_LABELS = {"reply": "答复告知书", "supplement": "补正申请通知书", "extension": "延期答复告知书",
              "consult": "征求第三方意见书", "provide_date": "政府信息提供日期通知书", "repeat": "重复申请告知书"}


def _qdate(d: date) -> QtCore.QDate:
    return QtCore.QDate(d.year, d.month, d.day)


def _date_edit(d: date | None = None) -> QtWidgets.QDateEdit:
    w = QtWidgets.QDateEdit(_qdate(d or date.today()))
    w.setCalendarPopup(True)
    w.setDisplayFormat("yyyy-MM-dd")
    return w


def _tint(item: QtWidgets.QTableWidgetItem | None, colour: str) -> None:
    if item is not None:
        item.setForeground(QtGui.QBrush(QtGui.QColor(colour)))


def _combo(labels: dict[str, str]) -> QtWidgets.QComboBox:
    c = QtWidgets.QComboBox()
    for code, label in labels.items():
        c.addItem(label, code)
    return c


class FormDialog(QtWidgets.QDialog):
    """A small form: rows of (label, widget); ``values()`` reads them back by key."""

    def __init__(self, parent: QtWidgets.QWidget, title: str, rows: list[tuple[str, str, QtWidgets.QWidget]],
                 note: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        form = QtWidgets.QFormLayout(self)
        if note:
            lab = QtWidgets.QLabel(note)
            lab.setWordWrap(True)
            form.addRow(lab)
        self.widgets: dict[str, QtWidgets.QWidget] = {}
        for key, label, w in rows:
            self.widgets[key] = w
            form.addRow(label, w)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, w in self.widgets.items():
            if isinstance(w, QtWidgets.QDateEdit):
                out[k] = w.date().toPython()
            elif isinstance(w, QtWidgets.QComboBox):
                out[k] = w.currentData()
            elif isinstance(w, QtWidgets.QPlainTextEdit):
                out[k] = w.toPlainText()
            elif isinstance(w, QtWidgets.QLineEdit):
                out[k] = w.text()
            elif isinstance(w, QtWidgets.QSpinBox):
                out[k] = w.value()
            elif isinstance(w, QtWidgets.QCheckBox):
                out[k] = w.isChecked()
        return out


class RequestsPage(Page):
    watches = frozenset({"disclosure"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading("依申请公开"))
        top = QtWidgets.QHBoxLayout()
        self.year = QtWidgets.QComboBox()
        self.year.addItem("全部年份", None)
        for y in range(date.today().year, date.today().year - 6, -1):
            self.year.addItem(f"{y}年", y)
        self.year.currentIndexChanged.connect(self.refresh)
        self.open_only = QtWidgets.QCheckBox("只看未答复")
        self.open_only.toggled.connect(self.refresh)
        top.addWidget(self.year)
        top.addWidget(self.open_only)
        self.summary = QtWidgets.QLabel()
        self.summary.setWordWrap(True)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)

        self.buttons: dict[str, QtWidgets.QPushButton] = {}
        rows = ((("add", "登记申请", self.do_add), ("confirm", "确认收到", self.do_confirm),
                 ("supplement", "补正", self.do_supplement), ("consult", "征求意见", self.do_consult),
                 ("extend", "延期答复", self.do_extend), ("later", "确定提供日期", self.do_later),
                 ("reply", "答复", self.do_reply), ("appeal", "复议/诉讼", self.do_appeal)),
                (("fee", "信息处理费", self.do_fee), ("attach", "附扫描件", self.do_attach),
                 ("print", "打印文书", self.do_print), ("export", "导出台账", self.do_export),
                 ("undo", "撤销上一步", self.do_undo), ("void", "作废", self.do_void),
                 ("templates", "导出文书模板…", self.do_templates)))
        for specs in rows:
            bar = QtWidgets.QHBoxLayout()
            for key, text, slot in specs:
                b = QtWidgets.QPushButton(text)
                b.clicked.connect(slot)
                bar.addWidget(b)
                self.buttons[key] = b
            bar.addStretch(1)
            layout.addLayout(bar)

        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        self.table = readonly_table(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self.show_detail)
        split.addWidget(self.table)
        self.detail = QtWidgets.QTextBrowser()
        split.addWidget(self.detail)
        split.setSizes([380, 220])
        layout.addWidget(split, 1)
        self.rows: list[dict[str, Any]] = []

    # --- reads -----------------------------------------------------------------------
    def _is_county(self) -> bool:
        from gkdesk import township
        from gkdesk.models.township import ROLE_COUNTY

        with self.ctx.store.session() as s:
            return township.current(s).role == ROLE_COUNTY

    def refresh_county(self) -> None:
        """The county's copy: every township's unanswered requests, overdue ones first (read only)."""
        res = app.county_overview(self.ctx.ws, year=self.year.currentData())
        for b in self.buttons.values():
            b.setVisible(False)
        self.open_only.setVisible(False)
        self.table.setColumnCount(len(HEADERS) + 1)
        self.table.setHorizontalHeaderLabels(["乡镇(街道)", *HEADERS])
        self.rows = sorted((d for t in res.townships for d in t.open), key=lambda d: (not d["overdue"], d["township"]))
        fill_table(self.table, [[d["township"], d["number"], d["received_on"] or d["arrived_on"], d["applicant_type_label"],
                                 d["content"][:40], d.get("due_on") or "", d.get("status_text", d["state_label"]), ""]
                                for d in self.rows])
        for r, d in enumerate(self.rows):
            if d["overdue"]:
                for c in (5, 6):
                    _tint(self.table.item(r, c), RED)
        self.summary.setText(res.summary())
        self.detail.setPlainText("\n".join(res.lines()))

    def refresh(self) -> None:
        if self._is_county():
            self.refresh_county()
            return
        current = self.current_number()
        res = app.list_requests(self.ctx.ws, year=self.year.currentData(), open_only=self.open_only.isChecked())
        self.rows = list(reversed(res.rows))  # newest first
        fill_table(self.table, [[d["number"], d["received_on"] or f"{d['arrived_on']}(待确认)", d["applicant_type_label"],
                                 d["content"][:40], d.get("due_on") or "", d.get("status_text", d["state_label"]),
                                 d["outcome_label"]] for d in self.rows])
        for r, d in enumerate(self.rows):
            colour = RED if d.get("overdue") else (AMBER if (d.get("days_left") is not None and d["days_left"] <= 5
                                                            and not d["replied_on"]) else None)
            if colour:
                for c in (4, 5):
                    _tint(self.table.item(r, c), colour)
        self.table.horizontalHeader().setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.summary.setText(res.summary())
        for r, d in enumerate(self.rows):
            if d["number"] == current:
                self.table.selectRow(r)
        self.show_detail()

    def current(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def current_number(self) -> str | None:
        d = self.current()
        return d["number"] if d else None

    def show_detail(self) -> None:
        if self.table.columnCount() != len(HEADERS):  # the county's read-only view
            return
        d = self.current()
        for k in ("supplement", "consult", "extend", "later", "reply", "appeal", "attach", "print", "undo", "void", "fee"):
            self.buttons[k].setEnabled(d is not None)
        self.buttons["confirm"].setEnabled(d is not None and d["state"] == L.ST_UNCONFIRMED)
        if d is None:
            self.detail.setPlainText("选择一件申请查看计时经过。")
            return
        full = app.show(self.ctx.ws, d["number"])
        ap = full.get("applicant") or {}
        lines = [f"申请 {full['number']}  {full['channel_label']}  收到日期 {full['received_on'] or '待确认'}",
                 f"申请人:{ap.get('name', '')}({full['applicant_type_label']})  {ap.get('contact', '')}",
                 f"内容:{full['content']}",
                 f"状态:{full.get('status_text', full['state_label'])}  答复期限:{full.get('due_on') or '—'}"]
        if full["outcome"]:
            lines.append(f"答复:{full['replied_on']}  {full['outcome_label']}({full['delivery_label']})")
        if full.get("fee_mode"):
            lines.append(f"信息处理费:{full['fee_amount']} 元")
        lines.append("")
        lines.append("计时经过:")
        lines += [f"  {h['day']}  {h['label']}:{h['text']}" for h in full.get("history", [])]
        for a in full["appeals"]:
            lines.append(f"  {a['kind_label']}  {a['filed_on']}:{a['result_label']}")
        if full["attachments"]:
            lines.append("扫描件:" + "、".join(a["name"] for a in full["attachments"]))
        self.detail.setPlainText("\n".join(lines))

    # --- actions -----------------------------------------------------------------------
    def _ask(self, title: str, rows: list[tuple[str, str, QtWidgets.QWidget]], note: str = "") -> dict[str, Any] | None:
        dlg = FormDialog(self, title, rows, note)
        return dlg.values() if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted else None

    def _run(self, op: Callable[[Any], Any], title: str) -> None:
        self.run_action(op, title=title)

    def do_add(self) -> None:
        channel = _combo(L.CHANNEL_LABELS)
        rule = QtWidgets.QLabel(L.CHANNEL_RULES[L.CHANNELS[0]])
        rule.setWordWrap(True)
        channel.currentIndexChanged.connect(lambda _i: rule.setText(L.CHANNEL_RULES[channel.currentData()]))
        content = QtWidgets.QPlainTextEdit()
        content.setFixedHeight(80)
        confirmed = QtWidgets.QCheckBox("已与申请人确认收到(平信、传真)")
        confirmed_on = _date_edit()
        confirmed_on.setEnabled(False)
        confirmed.toggled.connect(confirmed_on.setEnabled)
        v = self._ask("登记政府信息公开申请", [
            ("channel", "收到方式", channel), ("rule", "", rule), ("arrived", "收到/到达日期", _date_edit()),
            ("confirmed", "", confirmed), ("confirmed_on", "确认收到日期", confirmed_on),
            ("applicant_type", "申请人类型", _combo(L.APPLICANT_LABELS)),
            ("name", "申请人姓名或名称", QtWidgets.QLineEdit()), ("contact", "联系方式", QtWidgets.QLineEdit()),
            ("address", "通讯地址", QtWidgets.QLineEdit()), ("content", "申请公开的信息", content),
            ("form", "要求的提供形式", QtWidgets.QLineEdit()), ("handler", "承办人", QtWidgets.QLineEdit()),
        ], "申请人姓名、联系方式只保存在本机,不会出现在导出的台账、年度报告和同步包中。")
        if v is None:
            return
        conf = v["confirmed_on"] if v["confirmed"] else None
        self._run(lambda ws: app.add(ws, channel=v["channel"], arrived_on=v["arrived"], confirmed_on=conf,
                                     applicant_type=v["applicant_type"], applicant_name=v["name"],
                                     contact=v["contact"], address=v["address"], content=v["content"],
                                     form=v["form"], handler=v["handler"]), "未登记")

    def do_supplement(self) -> None:
        d = self.current()
        if d is None:
            return
        n = d["number"]
        if d["state"] == L.ST_SUPPLEMENT:
            got = self._ask("收到补正后的申请", [("day", "收到日期", _date_edit())],
                            "答复期限将自收到补正后的申请之日起重新计算20个工作日。")
            if got is not None:
                day = got["day"]
                self._run(lambda ws: app.supplied(ws, n, day), "未保存")
            return
        items = QtWidgets.QPlainTextEdit()
        items.setFixedHeight(70)
        v = self._ask("发出补正申请通知", [("day", "通知日期", _date_edit()), ("items", "需补正的事项", items),
                                          ("until", "补正期限", _date_edit())],
                      f"应在收到申请后7个工作日内一次性告知(本件至 {d.get('supplement_notice_due') or '—'})。")
        if v is not None:
            self._run(lambda ws: app.supplement(ws, n, v["day"], v["items"], until=v["until"]), "未保存")

    def do_consult(self) -> None:
        d = self.current()
        if d is None:
            return
        n = d["number"]
        if d["state"] == L.ST_PAUSED:
            got = self._ask("征求意见结束", [("day", "收到意见或期满日期", _date_edit()), ("note", "意见", QtWidgets.QLineEdit())])
            if got is not None:
                day, note = got["day"], got["note"]
                self._run(lambda ws: app.consult_end(ws, n, day, note=note), "未保存")
            return
        v = self._ask("征求意见", [("kind", "类型", _combo(L.CONSULT_LABELS)), ("party", "第三方或机关", QtWidgets.QLineEdit()),
                                 ("day", "发出日期", _date_edit())], "征求意见期间(最长15个工作日)不计入答复期限。")
        if v is not None:
            self._run(lambda ws: app.consult(ws, n, v["day"], v["party"], kind=v["kind"]), "未保存")

    def do_extend(self) -> None:
        d = self.current()
        if d is None:
            return
        days = QtWidgets.QSpinBox()
        days.setRange(1, L.MAX_EXTENSION_DAYS)
        days.setValue(L.MAX_EXTENSION_DAYS)
        v = self._ask("延期答复", [("days", "延长工作日", days), ("approver", "批准人", QtWidgets.QLineEdit()),
                                 ("reason", "理由", QtWidgets.QLineEdit()), ("day", "决定日期", _date_edit())],
                      "延期须经政府信息公开工作机构负责人同意,最长不超过20个工作日。")
        if v is not None:
            n = d["number"]
            self._run(lambda ws: app.extend(ws, n, v["day"], v["days"], v["approver"], reason=v["reason"]), "未延期")

    def do_later(self) -> None:
        d = self.current()
        if d is None:
            return
        v = self._ask("确定提供日期", [("until", "提供日期", _date_edit()), ("reason", "理由", QtWidgets.QLineEdit()),
                                     ("day", "决定日期", _date_edit())],
                      "申请公开的信息数量较大、无法在期限内提供的,可以确定合理的提供日期并告知申请人(条例第三十五条)。")
        if v is not None:
            n = d["number"]
            self._run(lambda ws: app.later_date(ws, n, v["day"], v["until"], reason=v["reason"]), "未保存")

    def do_reply(self) -> None:
        d = self.current()
        if d is None:
            return
        note = QtWidgets.QPlainTextEdit()
        note.setFixedHeight(70)
        spot = QtWidgets.QCheckBox("当场答复")
        v = self._ask("登记答复", [("outcome", "答复类型", _combo(L.OUTCOME_LABELS)),
                                 ("delivery", "送达方式", _combo(L.DELIVERY_LABELS)), ("day", "答复日期", _date_edit()),
                                 ("spot", "", spot), ("repeat_of", "重复申请的前一次编号", QtWidgets.QLineEdit()),
                                 ("note", "答复说明", note)], "答复类型与年度报告表三的分类一致。")
        if v is not None:
            n = d["number"]
            self._run(lambda ws: app.reply(ws, n, v["outcome"], v["delivery"], day=v["day"], note=v["note"],
                                           on_the_spot=v["spot"], repeat_of=v["repeat_of"] or None), "未保存")

    def do_appeal(self) -> None:
        d = self.current()
        if d is None:
            return
        decided = QtWidgets.QCheckBox("已审结")
        v = self._ask("行政复议/行政诉讼", [("kind", "类型", _combo(L.APPEAL_KIND_LABELS)), ("filed", "提起日期", _date_edit()),
                                        ("result", "结果", _combo(L.APPEAL_RESULT_LABELS)), ("decided", "", decided),
                                        ("decided_on", "审结日期", _date_edit())])
        if v is not None:
            n = d["number"]
            self._run(lambda ws: app.appeal(ws, n, v["kind"], v["filed"], result=v["result"],
                                            decided_on=v["decided_on"] if v["decided"] else None), "未保存")

    def do_attach(self) -> None:
        d = self.current()
        if d is None:
            return
        files, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "选择申请材料扫描件", "", "扫描件 (*.pdf *.jpg *.jpeg *.png)")
        if files:
            n = d["number"]
            self._run(lambda ws: app.attach(ws, n, list(files)), "未附上")

    def do_print(self) -> None:
        d = self.current()
        if d is None:
            return
        v = self._ask("打印文书", [("doc", "文书", _combo(DOC_LABELS)), ("provide_on", "提供日期(提供日期通知书)", _date_edit())])
        if v is None:
            return
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "保存文书", f"{d['number']}{DOC_LABELS[v['doc']]}.pdf", "PDF (*.pdf)")
        if path:
            n = d["number"]
            self._run(lambda ws: app.print_document(ws, n, v["doc"], path, provide_on=v["provide_on"]), "未生成")

    def do_export(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出登记台账", "依申请公开登记台账.xlsx", "Excel (*.xlsx)")
        if path:
            year = self.year.currentData()
            self._run(lambda ws: app.export_register(ws, path, year=year), "未导出")

    def _templates_folder(self) -> str | None:
        """The folder to write the document templates to (tests replace this)."""
        return QtWidgets.QFileDialog.getExistingDirectory(self, "选择保存文书模板的文件夹") or None

    def do_templates(self, _checked: bool = False) -> None:
        """Write the editable document templates to a folder the clerk chooses, and say where."""
        folder = self._templates_folder()
        if not folder:
            return
        res = self.run_action(lambda ws: app.export_templates(ws, folder), title="未导出")
        if res is not None:
            QtWidgets.QMessageBox.information(self, "导出文书模板", "\n".join([res.summary(), "", *res.files]))

    def do_undo(self) -> None:
        d = self.current()
        if d is None or not d.get("history"):
            return
        last = d["history"][-1]
        ok = QtWidgets.QMessageBox.question(self, "撤销上一步", f"撤销申请 {d['number']} 最近登记的“{last['label']}”({last['day']})?")
        if ok == QtWidgets.QMessageBox.StandardButton.Yes:
            n = d["number"]
            self._run(lambda ws: app.undo(ws, n), "未撤销")

    def do_void(self) -> None:
        d = self.current()
        if d is None:
            return
        reason, ok = QtWidgets.QInputDialog.getText(self, "作废申请", f"作废申请 {d['number']} 的理由(如 重复登记):")
        if ok:
            n = d["number"]
            self._run(lambda ws: app.void(ws, n, reason), "未作废")

    def do_confirm(self) -> None:
        d = self.current()
        if d is None:
            return
        got = self._ask("确认收到", [("day", "与申请人确认的日期", _date_edit())], L.CHANNEL_RULES.get(d["channel"], ""))
        if got is not None:
            n, day = d["number"], got["day"]
            self._run(lambda ws: app.confirm(ws, n, day), "未保存")

    def do_fee(self) -> None:
        d = self.current()
        if d is None:
            return
        pages = QtWidgets.QSpinBox()
        pages.setRange(0, 100000)
        got = self._ask("信息处理费", [("mode", "收费方式", _combo(FEE_MODES)), ("pages", "页数(按量收费时)", pages),
                                      ("paid", "缴费日期", _date_edit())],
                        "按《政府信息公开信息处理费管理办法》计算:按件,同一申请人一个自然月内10件以内免费;"
                        "按量,30页以内免费。按件与按量不同时使用。")
        if got is not None:
            n = d["number"]
            mode, npages, paid = ("" if got["mode"] == "none" else got["mode"]), got["pages"], got["paid"]
            self._run(lambda ws: app.fee(ws, n, mode, pages=npages, paid_on=paid), "未保存")
