"""Qt's own words in Chinese: the ``qtbase_zh_CN`` translator and the zh_CN locale.

Without them QMessageBox, QDialogButtonBox, the file and print dialogs read
OK/Cancel/Yes/No to a clerk who reads no English. The catalogue ships in the PySide6
wheel; a frozen bundle carries it under ``PySide6/Qt/translations`` (PyInstaller's Qt
hooks collect the ``qtbase_*`` files) and, as a fallback, ``resources/translations``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gkdesk import paths
from gkdesk.ui.qt import QtCore

LOCALE_NAME = "zh_CN"
_installed: list[QtCore.QTranslator] = []  # kept alive: Qt does not own installed translators


def translation_dirs() -> list[Path]:
    """Where ``qtbase_zh_CN.qm`` may be, first match wins."""
    dirs = [Path(QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath))]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "PySide6" / "Qt" / "translations")
        dirs.append(Path(frozen) / "PySide6" / "translations")
    dirs.append(paths.resources_dir() / "translations")
    return dirs


def install_chinese(app: QtCore.QCoreApplication) -> bool:
    """Set the zh_CN locale and load Qt's Chinese catalogue; True when the catalogue loaded."""
    locale = QtCore.QLocale(QtCore.QLocale.Language.Chinese, QtCore.QLocale.Country.China)
    QtCore.QLocale.setDefault(locale)
    if _installed:
        return True
    for name in ("qtbase", "qt"):
        for folder in translation_dirs():
            tr = QtCore.QTranslator(app)
            if (folder / f"{name}_{LOCALE_NAME}.qm").exists() and tr.load(f"{name}_{LOCALE_NAME}", str(folder)):
                app.installTranslator(tr)
                _installed.append(tr)
                break
        if _installed:
            return True
    return False
