"""A whole working day of Qt calls must not exhaust ``None`` (PySide6 6.12 on CPython 3.11)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_many_void_calls_do_not_kill_the_process() -> None:
    code = (
        "import gkdesk.ui.qt as q\n"
        "app = q.QtWidgets.QApplication([])\n"
        "w = q.QtWidgets.QLabel()\n"
        "for i in range(200_000):\n"
        "    w.setText('x')\n"
        "    app.processEvents()\n"
        "print('alive')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0 and out.stdout.strip() == "alive", out.stderr[-500:]
