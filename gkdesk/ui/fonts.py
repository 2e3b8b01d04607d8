"""Application font: a CJK face if one is installed, at the size the clerk chose (适老化)."""

from __future__ import annotations

from gkdesk.ui.qt import QtGui, QtWidgets

PREFERRED_FAMILIES = ["Microsoft YaHei", "微软雅黑", "SimHei", "黑体", "Noto Sans CJK SC", "Source Han Sans SC",
                      "WenQuanYi Micro Hei", "文泉驿微米黑", "Noto Sans SC", "SimSun"]
MIN_SIZE, MAX_SIZE = 9, 28


def apply_font(app: QtWidgets.QApplication, point_size: int) -> None:
    families = set(QtGui.QFontDatabase.families())
    font = app.font()
    for fam in PREFERRED_FAMILIES:
        if fam in families:
            font.setFamily(fam)
            break
    font.setPointSize(max(MIN_SIZE, min(MAX_SIZE, point_size)))
    app.setFont(font)
