"""Long work off the GUI thread, with a progress dialog that appears only after ~0.5 s.

The job contract is the core's: ``fn(report, cancelled)``. ``report(fraction,
message)`` may be called from the worker thread at any rate; the dialog updates
through a queued signal. Cancelling sets a flag the core polls; the core raises
``Cancelled`` and rolls back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from gkdesk.errors import Cancelled, GkError
from gkdesk.ui.hints import with_hint
from gkdesk.ui.qt import QtCore, QtWidgets, Signal

SHOW_AFTER_MS = 500
_running: set[Job] = set()


class _Signals(QtCore.QObject):
    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)


class _Runnable(QtCore.QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.job = job
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self.job
        try:
            result = job.fn(job._report, job.cancel_event.is_set)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            job.signals.failed.emit(exc)
        else:
            job.signals.succeeded.emit(result)


class Job(QtCore.QObject):
    """One running piece of work; ``done`` becomes True after the callback ran."""

    def __init__(self, parent: QtWidgets.QWidget | None, title: str, fn: Callable[..., Any],
                 on_success: Callable[[Any], None], on_error: Callable[[BaseException], None] | None,
                 ask_on_close: bool = True) -> None:
        super().__init__()
        self.ask_on_close = ask_on_close  # False for read-only work (a preview) that closing may just stop
        self.parent_widget = parent
        self.title = title
        self.fn = fn
        self.on_success = on_success
        self.on_error = on_error
        self.cancel_event = threading.Event()
        self.done = False
        self.dialog: QtWidgets.QProgressDialog | None = None
        self.last = (0.0, "")
        self.signals = _Signals()
        self.signals.progressed.connect(self._progressed)
        self.signals.succeeded.connect(self._succeeded)
        self.signals.failed.connect(self._failed)
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._show_dialog)

    def start(self) -> Job:
        _running.add(self)
        self.timer.start(SHOW_AFTER_MS)
        QtCore.QThreadPool.globalInstance().start(_Runnable(self))
        return self

    def cancel(self) -> None:
        self.cancel_event.set()

    def _report(self, fraction: float, message: str) -> None:
        self.signals.progressed.emit(float(fraction), message)

    def _show_dialog(self) -> None:
        if self.done:
            return
        dlg = QtWidgets.QProgressDialog(self.title, "取消", 0, 1000, self.parent_widget)
        # Enter must never cancel a running job: the cancel button is not the default, only a
        # click (or Esc, which every dialog treats as "cancel") stops the work.
        cancel = QtWidgets.QPushButton("取消")
        cancel.setAutoDefault(False)
        cancel.setDefault(False)
        dlg.setCancelButton(cancel)
        dlg.setWindowTitle(self.title)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.canceled.connect(self.cancel)
        self.dialog = dlg
        self._progressed(*self.last)
        dlg.show()

    def _progressed(self, fraction: float, message: str) -> None:
        self.last = (fraction, message)
        if self.dialog is not None:
            self.dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
            if message:
                self.dialog.setLabelText(message)

    def _finish(self) -> None:
        self.done = True
        self.timer.stop()
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        _running.discard(self)

    def _succeeded(self, result: Any) -> None:
        self._finish()
        self.on_success(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if self.on_error is not None:
            self.on_error(exc)
        else:
            show_error(self.parent_widget, self.title, exc)


def running() -> list[Job]:
    return [j for j in _running if not j.done]


def cancel_all_and_wait(timeout_ms: int = 10000) -> bool:
    """Ask every running job to stop and wait (events flowing) until their threads are done;
    True when nothing is left running. Used when the window closes during work."""
    for job in running():
        job.cancel()
    pool = QtCore.QThreadPool.globalInstance()
    timer = QtCore.QElapsedTimer()
    timer.start()
    while pool.activeThreadCount() and timer.elapsed() < timeout_ms:
        QtCore.QCoreApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
        pool.waitForDone(50)
    QtCore.QCoreApplication.processEvents()
    return pool.activeThreadCount() == 0


def show_error(parent: QtWidgets.QWidget | None, title: str, exc: BaseException) -> None:
    """Show a clerk-facing error: GkError messages as they are, anything else as a fault."""
    if isinstance(exc, Cancelled):
        QtWidgets.QMessageBox.information(parent, title, exc.message)
    elif isinstance(exc, GkError):
        QtWidgets.QMessageBox.warning(parent, title, with_hint(exc.message, exc.hint, exc.hint_args))
    else:
        QtWidgets.QMessageBox.critical(parent, title, f"程序内部错误:{type(exc).__name__}: {exc}\n数据未做改动。")


def run_job(parent: QtWidgets.QWidget | None, title: str, fn: Callable[..., Any],
            on_success: Callable[[Any], None], on_error: Callable[[BaseException], None] | None = None, *,
            ask_on_close: bool = True) -> Job:
    return Job(parent, title, fn, on_success, on_error, ask_on_close).start()
