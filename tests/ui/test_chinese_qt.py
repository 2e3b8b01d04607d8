"""Qt's own dialogs speak Chinese once the window's application is made."""

from __future__ import annotations

from gkdesk.ui.app import make_app
from gkdesk.ui.i18n import install_chinese
from gkdesk.ui.qt import QtCore, QtWidgets


def test_dialog_buttons_read_chinese(qtbot, qapp) -> None:
    assert make_app([]) is qapp
    assert install_chinese(qapp)
    box = QtWidgets.QDialogButtonBox(
        QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        | QtWidgets.QDialogButtonBox.StandardButton.Yes | QtWidgets.QDialogButtonBox.StandardButton.No)
    qtbot.addWidget(box)
    texts = {b.text().replace("&", "").split("(")[0] for b in box.buttons()}
    assert {"确定", "取消", "是", "否"} <= texts, texts


def test_message_box_and_locale(qtbot, qapp) -> None:
    install_chinese(qapp)
    box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, "删除", "删除所选?",
                                QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    box.show()
    words = {b.text().replace("&", "").split("(")[0] for b in box.buttons()}
    assert "取消" in words and "是" in words
    assert QtCore.QLocale().language() == QtCore.QLocale.Language.Chinese
    assert QtCore.QLocale().toString(1234567) == "1,234,567"
