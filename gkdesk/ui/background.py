"""Quiet reads off the GUI thread: views that take seconds on a big county never freeze it.

A page asks for ``fetch()`` (pure data, through the operation layer) and gets ``show(result)``
back on the GUI thread. No dialog — the old figures stay on screen until the new ones
arrive, with the page's own "正在刷新…" line. Requests that arrive while one is running are
coalesced: one more fetch runs after it, with the newest state, never a queue of them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from gkdesk.ui.qt import QtCore, Signal


class _Signals(QtCore.QObject):
    # Two signals, never a None argument: PySide6 mis-counts references of None passed
    # through an ``object`` signal across threads (a fatal "deallocating None").
    succeeded = Signal(object)
    failed = Signal(object)


class _Fetch(QtCore.QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit([result])  # wrapped: the result itself may be None


# Each fetch reports through its own signals object, kept alive here (never parented to a
# widget): a page closed while its fetch runs must not delete the object the worker emits on.
_RECENT: deque[_Signals] = deque(maxlen=64)


class BackgroundLoader(QtCore.QObject):
    """One per view; ``request()`` as often as you like."""

    def __init__(self, fetch: Callable[[], Any], show: Callable[[Any], None],
                 failed: Callable[[BaseException], None], parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.fetch, self.show, self.on_failed = fetch, show, failed
        self.running = False
        self.again = False

    def request(self) -> None:
        if self.running:
            self.again = True
            return
        self.running = True
        signals = _Signals()
        _RECENT.append(signals)
        signals.succeeded.connect(self._succeeded)
        signals.failed.connect(self._failed)
        QtCore.QThreadPool.globalInstance().start(_Fetch(self.fetch, signals))

    def wait(self, timeout_ms: int = 30_000) -> None:
        """Block until idle (tests, and closing the window)."""
        deadline = QtCore.QDeadlineTimer(timeout_ms)
        while self.running and not deadline.hasExpired():
            QtCore.QCoreApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)

    def _succeeded(self, box: list[Any]) -> None:
        self.running = False
        self.show(box[0])
        self._again()

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.on_failed(exc)
        self._again()

    def _again(self) -> None:
        if self.again:
            self.again = False
            self.request()
