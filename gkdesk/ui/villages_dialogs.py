"""Small forms for the 村务公开 page's actions (review, post, objection, answer, correction, archive).

Each returns a plain dict of values or None when cancelled; the page calls the operation
of ``gkdesk.app`` with them, so what the clerk can do here is exactly what the CLI can do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkdesk.app.village_catalogue import CATEGORY_CHOICES, FREQUENCY_CHOICES
from gkdesk.postings.labels import LOCATIONS, REVIEWER_BODIES
from gkdesk.ui.qt import QtCore, QtWidgets


def _qdate(d: date) -> QtCore.QDate:
    return QtCore.QDate(d.year, d.month, d.day)


class FormDialog(QtWidgets.QDialog):
    """A dialog of labelled fields: ("key", "标签", kind, default[, choices])."""

    def __init__(self, title: str, fields: list[tuple], parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        form = QtWidgets.QFormLayout(self)
        self.widgets: dict[str, tuple[str, QtWidgets.QWidget]] = {}
        for key, label, kind, default, *rest in fields:
            w: QtWidgets.QWidget
            if kind == "date":
                w = QtWidgets.QDateEdit(_qdate(default or date.today()))
                w.setCalendarPopup(True)
                w.setDisplayFormat("yyyy-MM-dd")
            elif kind == "month":
                w = QtWidgets.QDateEdit(_qdate(default or date.today()))
                w.setDisplayFormat("yyyy年M月")
                w.setMaximumDate(_qdate(date.today()))
            elif kind == "choice":
                w = QtWidgets.QComboBox()
                w.addItems(list(rest[0]))
                if default:
                    w.setCurrentText(default)
            elif kind == "int":
                w = QtWidgets.QSpinBox()
                w.setRange(1, 366)
                w.setValue(default or 7)
            elif kind == "check":
                w = QtWidgets.QCheckBox()
                w.setChecked(bool(default))
            elif kind == "text":
                w = QtWidgets.QPlainTextEdit(default or "")
                w.setFixedHeight(80)
            else:
                w = QtWidgets.QLineEdit(default or "")
            self.widgets[key] = (kind, w)
            form.addRow(label, w)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, (kind, w) in self.widgets.items():
            if kind in ("date", "month"):
                out[key] = w.date().toPython()  # type: ignore[attr-defined]
            elif kind == "choice":
                out[key] = w.currentText()  # type: ignore[attr-defined]
            elif kind == "int":
                out[key] = w.value()  # type: ignore[attr-defined]
            elif kind == "check":
                out[key] = w.isChecked()  # type: ignore[attr-defined]
            elif kind == "text":
                out[key] = w.toPlainText()  # type: ignore[attr-defined]
            else:
                out[key] = w.text()  # type: ignore[attr-defined]
        return out


def ask(parent: QtWidgets.QWidget, title: str, fields: list[tuple]) -> dict[str, Any] | None:
    dlg = FormDialog(title, fields, parent)
    return dlg.values() if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted else None


def review_fields(reviewer: str = "", body: str = REVIEWER_BODIES[0]) -> list[tuple]:
    return [("reviewer", "审核人", "line", reviewer), ("body", "审核机构", "choice", body, REVIEWER_BODIES),
            ("on", "审核日期", "date", None)]


def post_fields(days: int | None = None, working: bool = False) -> list[tuple]:
    return [("on", "张贴日期", "date", None), ("location", "张贴地点", "choice", LOCATIONS[0], LOCATIONS),
            ("days", "公示天数", "int", days or 7), ("working", "按工作日计算", "check", working)]


OBJECTION_FIELDS = [("on", "提出日期", "date", None), ("by", "提出人", "line", ""), ("content", "异议内容", "text", "")]
ANSWER_FIELDS = [("on", "答复日期", "date", None), ("by", "答复人", "line", "村委会"), ("answer", "答复内容", "text", "")]
CORRECT_FIELDS = [("on", "日期", "date", None), ("reason", "更正原因", "text", ""), ("title", "更正稿标题(可空)", "line", "")]
ARCHIVE_FIELDS = [("on", "归档日期", "date", None), ("place", "存放地点", "line", "村委会")]
NEW_FIELDS = [("title", "公示标题", "line", ""), ("on", "登记日期", "date", None)]
END_FIELDS = [("on", "期满登记日期", "date", None)]
WITHDRAW_FIELDS = [("reason", "撤回原因(如:登记错了村、重复登记)", "text", ""), ("on", "日期", "date", None)]


def record_fields(day: date, reviewer: str, body: str, days: int = 7) -> list[tuple]:
    """补录: a sheet that was reviewed and posted on past dates, in one form."""
    return [("posted_on", "张贴日期", "date", day), ("reviewed_on", "审核日期", "date", day),
            ("reviewer", "审核人", "line", reviewer), ("body", "审核机构", "choice", body, REVIEWER_BODIES),
            ("location", "张贴地点", "choice", LOCATIONS[0], LOCATIONS), ("days", "公示天数", "int", days),
            ("working", "按工作日计算", "check", False), ("title", "公示标题(可空)", "line", "")]


def amend_fields(d: dict[str, Any]) -> list[tuple]:
    """Only the facts the posting has recorded can be corrected."""
    out: list[tuple] = [("reason", "更正原因(必填)", "text", ""), ("title", "标题", "line", d["title"])]
    if d.get("reviewed_on"):
        out += [("reviewer", "审核人", "line", d["reviewer"]),
                ("body", "审核机构", "choice", d["reviewer_body"], REVIEWER_BODIES),
                ("reviewed_on", "审核日期", "date", d["reviewed_on"])]
    if d.get("posted_on"):
        out += [("posted_on", "张贴日期", "date", d["posted_on"]),
                ("location", "张贴地点", "choice", d["location"], LOCATIONS)]
    return out


if TYPE_CHECKING:  # a mixin of the villages page: to the type checker it is that QWidget
    _PageBase = QtWidgets.QWidget
else:
    _PageBase = object


class DialogActions(_PageBase):
    """The page's buttons: collect values in a form, then call the page's ``do_*`` method (an operation).

    Also the catalogue menu on the calendar's item column (change frequency, remove, add),
    which calls ``gkdesk.app.village_catalogue`` like ``gkdesk villages catalogue set|remove|add``.
    """

    # Provided by the page (gkdesk.ui.pages.villages.VillagesPage), declared for the checker.
    ctx: Any
    grid: Any
    village: Any
    year: Any
    _run: Any
    _current_posting: Any
    _post_default: Any
    _reviewer_default: Any
    _slot_day: Any
    _slot_reviewer: Any
    _step_day: Any
    new_for_cell: Any
    do_amend: Any
    do_answer: Any
    do_archive: Any
    do_attach: Any
    do_correct: Any
    do_end: Any
    do_object: Any
    do_post: Any
    do_record: Any
    do_review: Any
    do_tracking: Any
    do_withdraw: Any

    def new_dialog(self) -> None:
        fields = [NEW_FIELDS[0], ("on", "登记日期", "date", self._slot_day())]
        v = ask(self, "为此期登记公示", fields)
        if v:
            self.new_for_cell(v["title"] or None, v["on"])

    def review_dialog(self) -> None:
        fields = review_fields(*self._reviewer_default())
        fields[-1] = ("on", "审核日期", "date", self._step_day("review"))
        v = ask(self, "登记审核", fields)
        if v:
            self.do_review(v["reviewer"], v["body"], v["on"])

    def post_dialog(self) -> None:
        fields = post_fields(*self._post_default())
        fields[0] = ("on", "张贴日期", "date", self._step_day("post"))
        v = ask(self, "登记张贴", fields)
        if v:
            self.do_post(v["on"], v["location"], v["days"], v["working"])

    def record_dialog(self) -> None:
        reviewer, body = self._slot_reviewer()
        v = ask(self, "补录已张贴的公示", record_fields(self._slot_day(), reviewer, body))
        if v:
            self.do_record(**v)

    def end_dialog(self) -> None:
        v = ask(self, "登记公示期满", [("on", "期满登记日期", "date", self._step_day("end"))])
        if v:
            self.do_end(v["on"])

    def amend_dialog(self) -> None:
        d = self._current_posting()
        if d is None:
            return
        v = ask(self, f"更正记录:{d['title'][:20]}", amend_fields(d))
        if v:
            self.do_amend(**v)

    def withdraw_dialog(self) -> None:
        d = self._current_posting()
        if d is None:
            return
        v = ask(self, f"撤回公示“{d['title'][:24]}”({d['status_label']})", WITHDRAW_FIELDS)
        if v:
            self.do_withdraw(v["reason"], v["on"])

    # --- the village's own settings (menu 本村设置) ---------------------------------
    def tracking_dialog(self) -> None:
        from gkdesk.app import village_catalogue as cat_ops

        village = self.village or ""
        start = cat_ops.tracking_start(self.ctx.ws, village) if village else None
        v = ask(self, "从哪个月开始跟踪", [
            ("month", "开始跟踪的月份(此前各期不计逾期)", "month", start or date.today()),
            ("all", "全部村(社区)都从这个月开始", "check", False)])
        if v:
            self.do_tracking(v["month"], all_villages=v["all"])

    def busy_toggle(self, busy: bool) -> None:
        from gkdesk.app import village_catalogue as cat_ops

        village = self.village or ""
        self._run(lambda ws: cat_ops.set_busy_finance(ws, village, busy))

    def reviewers_dialog(self) -> None:
        from gkdesk.app import village_catalogue as cat_ops

        village = self.village or ""
        prof = cat_ops.village_profile(self.ctx.ws, village)
        v = ask(self, f"{village}的审核人", [("supervision", "村务监督委员会主任", "line", prof.supervision_head),
                                          ("finance", "民主理财小组组长", "line", prof.finance_group_head)])
        if v:
            self._run(lambda ws: cat_ops.set_reviewers(ws, village, supervision=v["supervision"],
                                                       finance=v["finance"]))

    def import_catalogue_dialog(self, _checked: bool = False, path: str | None = None) -> None:
        from gkdesk.app import village_catalogue as cat_ops

        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择县级村务公开事项目录", "",
                                                            "表格 (*.xlsx *.xls *.ods *.csv)")
        if path:
            chosen = path
            self._run(lambda ws: cat_ops.import_file(ws, chosen))

    def attach_dialog(self) -> None:
        files, _ = QtWidgets.QFileDialog.getOpenFileNames(self, "选择张贴照片", "", "照片 (*.jpg *.jpeg *.png)")
        if files:
            self.do_attach(files)

    def object_dialog(self) -> None:
        v = ask(self, "登记公示期异议", OBJECTION_FIELDS)
        if v:
            self.do_object(v["on"], v["content"], v["by"])

    def answer_dialog(self) -> None:
        v = ask(self, "答复异议", ANSWER_FIELDS)
        if v:
            self.do_answer(v["on"], v["answer"], v["by"])

    def correct_dialog(self) -> None:
        v = ask(self, "登记更正稿", CORRECT_FIELDS)
        if v:
            self.do_correct(v["on"], v["reason"], v["title"])

    def archive_dialog(self) -> None:
        v = ask(self, "归档", ARCHIVE_FIELDS)
        if v:
            self.do_archive(v["on"], v["place"])

    def export_dialog(self) -> None:
        from gkdesk.app import postings as ops
        from gkdesk.ui.jobs import run_job

        year = self.year.value()
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出公示台账", f"{year}年村务公开公示台账.xlsx",
                                                        "Excel (*.xlsx);;PDF (*.pdf)")
        if not path:
            return
        ws = self.ctx.ws

        def work(report, cancelled):  # type: ignore[no-untyped-def]
            return ops.export_register(ws, year, Path(path), report=report, cancelled=cancelled)

        run_job(self, "导出公示台账", work,
                lambda res: QtWidgets.QMessageBox.information(self, "村务公开", res.summary()))

    # --- catalogue adjustments (right-click on the calendar) ------------------------
    def catalogue_menu(self, pos) -> None:  # type: ignore[no-untyped-def]
        row = self.grid.rowAt(pos.y())
        menu = QtWidgets.QMenu(self)
        if row >= 0:
            name = self.grid.item(row, 0).text()
            menu.addAction(f"修改“{name[:12]}”的公开频次…", lambda: self.frequency_dialog(name))
            menu.addAction(f"从本村目录删除“{name[:12]}”…", lambda: self.remove_item_dialog(name))
        menu.addAction("为本村添加公开事项…", self.add_item_dialog)
        menu.exec(self.grid.viewport().mapToGlobal(pos))

    def do_set_frequency(self, item: str, frequency: str) -> bool:
        from gkdesk.app import village_catalogue as cat_ops

        village = self.village or ""
        return self._run(lambda ws: cat_ops.set_frequency(ws, village, item, frequency))

    def do_remove_item(self, item: str, reason: str) -> bool:
        from gkdesk.app import village_catalogue as cat_ops

        village = self.village or ""
        return self._run(lambda ws: cat_ops.remove_item(ws, village, item, reason))

    def do_add_item(self, item: str, category: str, frequency: str) -> bool:
        from gkdesk.app import village_catalogue as cat_ops

        village = self.village or ""
        return self._run(lambda ws: cat_ops.add_item(ws, village, item, category, frequency))

    def frequency_dialog(self, item: str) -> None:
        v = ask(self, f"修改“{item}”的公开频次", [("frequency", "公开频次", "choice", "每季度", FREQUENCY_CHOICES)])
        if v:
            self.do_set_frequency(item, v["frequency"])

    def remove_item_dialog(self, item: str) -> None:
        v = ask(self, f"删除“{item}”", [("reason", "删除原因(法定事项必填)", "line", "本村不涉及")])
        if v:
            self.do_remove_item(item, v["reason"])

    def add_item_dialog(self) -> None:
        v = ask(self, "添加公开事项", [("item", "公开事项", "line", ""),
                                   ("category", "类别", "choice", "村务", CATEGORY_CHOICES),
                                   ("frequency", "公开频次", "choice", "每季度", FREQUENCY_CHOICES)])
        if v:
            self.do_add_item(v["item"], v["category"], v["frequency"])

