"""Small forms for the 村务公开 page's actions (review, post, objection, answer, correction, archive).

Each returns a plain dict of values or None when cancelled; the page calls the core
function with them, so what the clerk can do here is exactly what the CLI can do.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from gkdesk.models.posting_lifecycle import LOCATIONS, REVIEWER_BODIES
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
            if kind == "date":
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
