"""Dialogs of the 标准目录 page: record a publication, mark 未涉及, name a file's 领域."""

from __future__ import annotations

from datetime import date

from gkdesk.ui.qt import QtCore, QtWidgets


def _qdate(d: date) -> QtCore.QDate:
    return QtCore.QDate(d.year, d.month, d.day)


def _pydate(q: QtCore.QDate) -> date:
    return date(q.year(), q.month(), q.day())


class PublicationDialog(QtWidgets.QDialog):
    """登记公开: when, where, what; the formation date decides whether it was on time."""

    def __init__(self, item_label: str, channels: list[str], parent: QtWidgets.QWidget | None = None,
                 formed: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("登记公开")
        self.setMinimumWidth(520)
        form = QtWidgets.QFormLayout(self)
        form.addRow("公开事项", QtWidgets.QLabel(item_label))
        self.published = QtWidgets.QDateEdit(_qdate(date.today()))
        self.published.setCalendarPopup(True)
        self.published.setDisplayFormat("yyyy-MM-dd")
        self.published.setMaximumDate(_qdate(date.today()))
        form.addRow("发布日期", self.published)
        self.has_formed = QtWidgets.QCheckBox("信息形成(变更)日期")
        self.formed = QtWidgets.QDateEdit(_qdate(formed or date.today()))
        self.formed.setCalendarPopup(True)
        self.formed.setDisplayFormat("yyyy-MM-dd")
        self.has_formed.setChecked(formed is not None)
        self.formed.setEnabled(formed is not None)
        self.has_formed.toggled.connect(self.formed.setEnabled)
        form.addRow(self.has_formed, self.formed)
        self.channel = QtWidgets.QComboBox()
        self.channel.setEditable(True)
        self.channel.addItems(channels or ["政府网站", "村务公开栏", "政务公开专区"])
        form.addRow("发布渠道", self.channel)
        self.title = QtWidgets.QLineEdit()
        form.addRow("标题", self.title)
        self.doc = QtWidgets.QLineEdit()
        self.doc.setPlaceholderText("如 高府发〔2025〕12号")
        form.addRow("文号", self.doc)
        self.link = QtWidgets.QLineEdit()
        self.link.setPlaceholderText("网址(可选)")
        form.addRow("链接", self.link)
        row = QtWidgets.QHBoxLayout()
        self.attachment = QtWidgets.QLineEdit()
        pick = QtWidgets.QPushButton("选择…")
        pick.clicked.connect(self._pick)
        row.addWidget(self.attachment, 1)
        row.addWidget(pick)
        form.addRow("附件(照片/PDF)", row)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                             | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("登记")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _pick(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择附件", "", "照片或文档 (*.jpg *.jpeg *.png *.pdf);;全部文件 (*)")
        if path:
            self.attachment.setText(path)

    def values(self) -> dict:
        return {
            "published_on": _pydate(self.published.date()),
            "formed_on": _pydate(self.formed.date()) if self.has_formed.isChecked() else None,
            "channel": self.channel.currentText().strip(), "title": self.title.text().strip(),
            "doc_number": self.doc.text().strip(), "link": self.link.text().strip(),
            "attachment": self.attachment.text().strip() or None,
        }


def ask_reason(parent: QtWidgets.QWidget, target: str) -> str | None:
    text, ok = QtWidgets.QInputDialog.getText(parent, "标记未涉及", f"“{target}”本乡镇未涉及的理由:")
    return text.strip() if ok else None


def ask_domain(parent: QtWidgets.QWidget, problem: str, names: list[str]) -> str | None:
    """The 领域 a directory file belongs to, when the file itself does not say (a new name is allowed)."""
    text, ok = QtWidgets.QInputDialog.getItem(parent, "选择领域", f"{problem}\n\n请选择整个文件所属的领域:",
                                              names, 0, True)
    return (text.strip() or None) if ok else None
