"""One window per data directory: a second launch brings the running window to the front.

Two windows on the same data went wrong in the field (a restore in one, a batch that no
longer existed in the other). The first window holds a ``QLockFile`` in the data directory
and listens on a ``QLocalServer`` named after that directory; a second launch finds the
lock taken, tells the first over the local socket to come forward, and exits. A lock left
by a crashed window is stale (its process is gone) and is taken over.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from gkdesk.ui.qt import QtCore, QtWidgets, Signal

LOCK_NAME = ".gkdesk-window.lock"
_MESSAGE = b"activate\n"

try:
    from PySide6 import QtNetwork
except ImportError:  # pragma: no cover - QtNetwork ships with PySide6 Essentials
    QtNetwork = None  # type: ignore[assignment]


def server_name(data_dir: Path) -> str:
    """A local-socket name per data directory (case-insensitive paths on Windows)."""
    key = str(Path(data_dir).resolve())
    if sys.platform == "win32":
        key = key.lower()
    user = os.environ.get("USERNAME") or os.environ.get("USER") or ""
    return "gkdesk-" + hashlib.sha256(f"{user}|{key}".encode()).hexdigest()[:20]


class SingleInstance(QtCore.QObject):
    """``acquire()`` is True for the first window; ``activated`` fires when another launch asks."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.name = server_name(self.data_dir)
        self.lock = QtCore.QLockFile(str(self.data_dir / LOCK_NAME))
        self.lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        self.server = None
        self.owner_pid = 0

    def acquire(self) -> bool:
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError:
            return True  # cannot even create the folder: the store will say why
        if self.lock.tryLock(200):
            self._listen()
            return True
        if self.lock.error() != QtCore.QLockFile.LockError.LockFailedError:
            return True  # a read-only or odd folder: no lock possible, do not block the clerk
        info = self.lock.getLockInfo()  # PySide6: (pid, host, app), or a leading ok flag in some versions
        pids = [x for x in (info if isinstance(info, tuple) else ()) if isinstance(x, int) and not isinstance(x, bool)]
        self.owner_pid = pids[0] if pids else 0
        return False

    def _listen(self) -> None:
        if QtNetwork is None:
            return
        QtNetwork.QLocalServer.removeServer(self.name)  # a socket file left by a crash (Unix)
        server = QtNetwork.QLocalServer(self)
        server.setSocketOptions(QtNetwork.QLocalServer.SocketOption.UserAccessOption)
        if server.listen(self.name):
            server.newConnection.connect(self._incoming)
            self.server = server

    def _incoming(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            sock = self.server.nextPendingConnection()
            sock.readyRead.connect(lambda s=sock: self._read(s))
            sock.disconnected.connect(sock.deleteLater)
            if sock.bytesAvailable():
                self._read(sock)

    def _read(self, sock) -> None:  # type: ignore[no-untyped-def]
        if bytes(sock.readAll()).startswith(_MESSAGE.strip()):
            self.activated.emit()

    def hand_over(self, timeout_ms: int = 2000) -> bool:
        """Ask the running window to come forward; True when it was reached."""
        if sys.platform == "win32" and self.owner_pid:
            try:  # let the running window take the foreground (Windows refuses it otherwise)
                import ctypes

                ctypes.windll.user32.AllowSetForegroundWindow(self.owner_pid)  # type: ignore[attr-defined]
            except (AttributeError, OSError):
                pass
        if QtNetwork is None:
            return False
        sock = QtNetwork.QLocalSocket()
        sock.connectToServer(self.name)
        if not sock.waitForConnected(timeout_ms):
            return False
        sock.write(_MESSAGE)
        sock.flush()
        sock.waitForBytesWritten(timeout_ms)
        sock.disconnectFromServer()
        return True

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None
        self.lock.unlock()


def bring_to_front(widget: QtWidgets.QWidget) -> None:
    """Restore, raise and focus the running window (or the dialog it is showing)."""
    modal = QtWidgets.QApplication.activeModalWidget()
    target = modal or widget
    if target.isMinimized():
        target.showNormal()
    target.show()
    target.raise_()
    target.activateWindow()
