"""县级: move the county's data from its SQLite file into an empty PostgreSQL database.

The address and the password are asked separately (the password masked) and combined here;
the password is never shown back: the outcome's summary names the database without it.
"""

from __future__ import annotations

from gkdesk.ui.qt import QtWidgets

EXPLAIN = ("把县级数据(含密钥和同步历史)复制到 PostgreSQL 数据库。目标必须是一个新建的空数据库;"
           "原 SQLite 文件不改动,留作备份。迁移完成后需要重新启动本程序才会使用新数据库。")


def database_url(address: str, password: str) -> str:
    """``用户名@服务器:端口/数据库名`` (with or without ``postgresql://``) plus the password → one URL."""
    from sqlalchemy.engine import make_url

    address = address.strip()
    if "://" not in address:
        address = "postgresql://" + address
    try:
        url = make_url(address)
    except Exception:  # not an address at all: the operation refuses it with a clear message
        return address
    if password:
        url = url.set(password=password)
    return url.render_as_string(hide_password=False)


class MigrateDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("迁移到 PostgreSQL")
        outer = QtWidgets.QVBoxLayout(self)
        note = QtWidgets.QLabel(EXPLAIN)
        note.setWordWrap(True)
        note.setMinimumWidth(460)
        outer.addWidget(note)
        form = QtWidgets.QFormLayout()
        self.address = QtWidgets.QLineEdit()
        self.address.setPlaceholderText("用户名@服务器地址:5432/数据库名")
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        form.addRow("数据库地址", self.address)
        form.addRow("密码", self.password)
        outer.addLayout(form)
        buttons = QtWidgets.QDialogButtonBox()
        go = buttons.addButton("开始迁移", QtWidgets.QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = buttons.addButton("取消", QtWidgets.QDialogButtonBox.ButtonRole.RejectRole)
        go.setAutoDefault(False)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def url(self) -> str | None:
        text = self.address.text().strip()
        return database_url(text, self.password.text()) if text else None


def ask_database(parent: QtWidgets.QWidget) -> str | None:
    dlg = MigrateDialog(parent)
    return dlg.url() if dlg.exec() == QtWidgets.QDialog.DialogCode.Accepted else None
