"""The first thing on screen: a small window that says what is happening while the data open
(or the demo is generated), shown before SQLAlchemy and the pages are even imported.

Start-up used to show nothing for 1.5–2.7 s (12 s with ``--demo``); now this appears within a
few hundred milliseconds and long work runs in a background thread while it keeps painting.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from gkdesk import APP_TITLE
from gkdesk.ui.qt import Qt, QtCore, QtWidgets

T = TypeVar("T")


class StartupSplash(QtWidgets.QWidget):
    def __init__(self, text: str = "正在打开数据……") -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.WindowStaysOnTopHint)
        self.setObjectName("startupSplash")
        self.setWindowTitle(APP_TITLE)
        self.setFixedSize(420, 150)
        layout = QtWidgets.QVBoxLayout(self)
        title = QtWidgets.QLabel(APP_TITLE)
        title.setObjectName("pageHeading")
        self.status = QtWidgets.QLabel(text)
        self.status.setWordWrap(True)
        self.bar = QtWidgets.QProgressBar()
        self.bar.setRange(0, 0)  # busy until a step reports a fraction
        self.bar.setTextVisible(False)
        layout.addWidget(title)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        self.setStyleSheet("#startupSplash { background: white; border: 1px solid #9e9e9e; }")

    def show_centred(self) -> None:
        screen = QtWidgets.QApplication.primaryScreen()
        if screen is not None:
            rect = self.frameGeometry()
            rect.moveCenter(screen.availableGeometry().center())
            self.move(rect.topLeft())
        self.show()
        self.raise_()
        QtWidgets.QApplication.processEvents()

    def say(self, text: str) -> None:
        self.status.setText(text)
        QtWidgets.QApplication.processEvents()


def in_background(fn: Callable[[], T], splash: StartupSplash | None = None, text: str = "") -> T:
    """Run ``fn`` in a thread while the GUI keeps painting; return its result or raise its error."""
    if splash is not None and text:
        splash.say(text)
    out: dict[str, Any] = {}

    def work() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:  # handed back to the GUI thread below
            out["error"] = exc

    th = threading.Thread(target=work, name="gkdesk-start", daemon=True)
    th.start()
    while th.is_alive():
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 30)
        th.join(0.02)
    if "error" in out:
        raise out["error"]
    return out["value"]
