"""One window per data directory, with real processes: the second launch hands over to the
first and exits without opening the data; a lock left by a crashed window is taken over."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from gkdesk.ui.single import LOCK_NAME, SingleInstance

ROOT = Path(__file__).resolve().parents[2]

FIRST = textwrap.dedent("""
    import sys
    from pathlib import Path
    from gkdesk.ui.app import make_app
    from gkdesk.ui.single import SingleInstance
    from gkdesk.ui.qt import QtCore, QtWidgets

    app = make_app(["first"])
    guard = SingleInstance(Path(sys.argv[1]))
    assert guard.acquire()
    w = QtWidgets.QWidget()
    w.show()
    w.showMinimized()
    def activated():
        print("ACTIVATED", flush=True)
        QtCore.QTimer.singleShot(50, app.quit)
    guard.activated.connect(activated)
    print("READY", flush=True)
    QtCore.QTimer.singleShot(60000, app.quit)
    app.exec()
""")


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.pop("GKDESK_DATA_DIR", None)
    return env


def test_second_launch_hands_over_to_the_first(tmp_path) -> None:
    data = tmp_path / "data"
    first = subprocess.Popen([sys.executable, "-c", FIRST, str(data)], cwd=ROOT, env=_env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "READY"
        t0 = time.perf_counter()
        second = subprocess.run([sys.executable, "-m", "gkdesk.ui.app", "--data-dir", str(data)], cwd=ROOT,
                                env=_env(), capture_output=True, text=True, timeout=60)
        took = time.perf_counter() - t0
        assert second.returncode == 0, second.stderr
        assert first.stdout.readline().strip() == "ACTIVATED"
        assert first.wait(timeout=20) == 0
        assert not (data / "gkdesk.sqlite3").exists()  # the second launch never opened the data
        assert took < 30
        assert "Traceback" not in second.stderr
    finally:
        if first.poll() is None:
            first.kill()


def test_lock_of_a_crashed_window_is_taken_over(tmp_path, qapp) -> None:
    data = tmp_path / "data"
    crashed = subprocess.run([sys.executable, "-c", textwrap.dedent("""
        import os, sys
        from pathlib import Path
        from gkdesk.ui.single import SingleInstance
        from gkdesk.ui.qt import QtCore
        app = QtCore.QCoreApplication([])
        g = SingleInstance(Path(sys.argv[1]))
        assert g.acquire()
        os._exit(0)  # no clean-up: the lock file stays, naming a process that is gone
    """), str(data)], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60)
    assert crashed.returncode == 0, crashed.stderr
    assert (data / LOCK_NAME).exists()
    guard = SingleInstance(data)
    assert guard.acquire()
    other = SingleInstance(data)
    assert not other.acquire() and other.owner_pid == os.getpid()
    guard.release()
    assert other.acquire()
    other.release()
