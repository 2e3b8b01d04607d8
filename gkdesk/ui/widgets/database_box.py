"""The PostgreSQL server fields a county fills in (wizard and settings), with 测试连接.

The test runs off the GUI thread (a wrong address can take seconds to time out) and its
answer — success, or why not, in Chinese — stays under the button, green or red.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gkdesk.app import setup
from gkdesk.app.workspace import Workspace
from gkdesk.errors import GkError
from gkdesk.ui.background import BackgroundLoader
from gkdesk.ui.hints import with_hint
from gkdesk.ui.qt import QtWidgets


class DatabaseBox(QtWidgets.QGroupBox):
    """Host, port, database, user, password; ``workspace()`` gives the data directory's Workspace."""

    def __init__(self, workspace: Callable[[], Workspace], parent: QtWidgets.QWidget | None = None,
                 title: str = "数据库服务器") -> None:
        super().__init__(title, parent)
        self.workspace = workspace
        form = QtWidgets.QFormLayout(self)
        self.host = QtWidgets.QLineEdit(placeholderText="计算机名或 IP,例:192.168.1.20")
        self.port = QtWidgets.QLineEdit("5432")
        self.port.setMaximumWidth(120)
        self.database = QtWidgets.QLineEdit("county")
        self.user = QtWidgets.QLineEdit("gkdesk")
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("加密保存在本电脑,不以明文存放")
        for label, w in [("服务器地址*", self.host), ("端口", self.port), ("数据库名称*", self.database),
                         ("用户名*", self.user), ("密码", self.password)]:
            form.addRow(label, w)
        self.buttons = QtWidgets.QHBoxLayout()
        self.test_btn = QtWidgets.QPushButton("测试连接")
        self.test_btn.clicked.connect(self.test)
        self.buttons.addWidget(self.test_btn)
        self.buttons.addStretch(1)
        form.addRow(self.buttons)
        self.result = QtWidgets.QLabel("")
        self.result.setWordWrap(True)
        form.addRow(self.result)
        self._pending: tuple[str, ...] = ()
        self.loader = BackgroundLoader(self._fetch, self._show, self._failed, self)

    def fields(self) -> tuple[str, str, str, str, str]:
        return (self.host.text(), self.port.text(), self.database.text(), self.user.text(), self.password.text())

    def fill(self, host: str, port: int | str | None, database: str, user: str) -> None:
        self.host.setText(host)
        self.port.setText(str(port or 5432))
        self.database.setText(database)
        self.user.setText(user)

    def say(self, text: str, ok: bool | None) -> None:
        colour = {True: "#1a7f37", False: "#b42318", None: "#555555"}[ok]
        self.result.setStyleSheet(f"color: {colour}")
        self.result.setText(text)

    def say_error(self, exc: GkError) -> None:
        self.say(with_hint(exc.message, exc.hint, exc.hint_args), False)

    def test(self, _checked: bool = False) -> None:
        self.say("正在连接……", None)
        self.test_btn.setEnabled(False)
        self._pending = self.fields()
        self.loader.request()

    def _fetch(self) -> Any:
        return setup.test_database(self.workspace(), *self._pending)

    def _show(self, res: setup.DatabaseTested) -> None:
        self.test_btn.setEnabled(True)
        self.say(res.message, res.ok)

    def _failed(self, exc: BaseException) -> None:
        self.test_btn.setEnabled(True)
        if isinstance(exc, GkError):
            self.say_error(exc)
        else:
            self.say(f"无法测试连接:{exc}", False)
