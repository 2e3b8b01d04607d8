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


def ask_alias(parent: QtWidgets.QWidget, names: list[str], current: str | None = None) -> tuple[str, str] | None:
    """Another name for one of the township's domains: (别名, 领域), or None if cancelled."""
    dlg = QtWidgets.QDialog(parent)
    dlg.setWindowTitle("添加领域别名")
    outer = QtWidgets.QVBoxLayout(dlg)
    form = QtWidgets.QFormLayout()
    note = QtWidgets.QLabel("县级文件用别的名称称呼某个领域时(如“国土空间规划”指“城乡规划”),"
                            "添加别名后,以别名命名的目录文件会导入到该领域。")
    note.setWordWrap(True)
    note.setMinimumWidth(400)
    outer.addWidget(note)
    outer.addLayout(form)
    alias = QtWidgets.QLineEdit()
    alias.setPlaceholderText("如 规划建设")
    domain = QtWidgets.QComboBox()
    domain.addItems(names)
    if current in names:
        domain.setCurrentIndex(names.index(current))
    form.addRow("别名", alias)
    form.addRow("所属领域", domain)
    buttons = QtWidgets.QDialogButtonBox()
    buttons.addButton("确定", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    outer.addWidget(buttons)
    if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted or not alias.text().strip():
        return None
    return alias.text().strip(), domain.currentText()


def ask_pending(parent: QtWidgets.QWidget, target: str, since: date | None) -> tuple[bool, date | None]:
    """(ok, formation date); a None date clears the 待公开 mark."""
    dlg = QtWidgets.QDialog(parent)
    dlg.setWindowTitle("登记待公开")
    outer = QtWidgets.QVBoxLayout(dlg)
    form = QtWidgets.QFormLayout()
    note = QtWidgets.QLabel(f"“{target}”的信息已经形成、尚未公开时登记形成日期,程序据此计算公开期限并提醒。")
    note.setWordWrap(True)
    note.setMinimumWidth(400)
    outer.addWidget(note)
    outer.addLayout(form)
    day = QtWidgets.QDateEdit(_qdate(since or date.today()))
    day.setCalendarPopup(True)
    day.setDisplayFormat("yyyy-MM-dd")
    form.addRow("信息形成日期", day)
    clear = QtWidgets.QCheckBox("清除待公开标记")
    clear.setVisible(since is not None)
    clear.toggled.connect(lambda on: day.setEnabled(not on))
    form.addRow(clear)
    buttons = QtWidgets.QDialogButtonBox()
    buttons.addButton("确定", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    outer.addWidget(buttons)
    if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return False, None
    return True, None if clear.isChecked() else _pydate(day.date())
