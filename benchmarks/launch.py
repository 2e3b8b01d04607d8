"""Benchmark: launch → first paint of the window, plain and ``--demo``, against a floor.

Each launch is a fresh process started the way the clerk's shortcut starts it
(``python -m gkdesk.ui.app``); a probe installed before ``main()`` records, from the moment
the process was spawned, the first paint of any window (the start-up window) and the first
paint of the main window with its 首页, then exits. The floor is a bare
``QApplication`` + ``QWidget`` started the same way in the same run. Bytecode is compiled
first (``compileall``) so the figures are warm-cache figures. Not a timed test.

Run: ``.venv/bin/python benchmarks/launch.py [--runs 3]`` (set ``QT_QPA_PLATFORM=offscreen``
or run under Xvfb on a machine without a display).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PROBE = r'''
import os, sys, time
t0 = float(sys.argv[1]); mode = sys.argv[2]
from PySide6 import QtCore, QtWidgets
seen = {}
class Probe(QtCore.QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QtCore.QEvent.Type.Paint and isinstance(obj, QtWidgets.QWidget) and obj.isWindow():
            now = time.time() - t0
            seen.setdefault("first", now)
            name = type(obj).__name__
            if name in ("MainWindow", "QWidget") and "main" not in seen:
                seen["main"] = now
                print(f"{seen['first']:.4f} {seen['main']:.4f}", flush=True)
                os._exit(0)
        if ev.type() == QtCore.QEvent.Type.Show and type(obj).__name__ == "FirstRunWizard":
            print(f"{seen.get('first', -1):.4f} -1", flush=True)
            os._exit(0)
        return False
probe = Probe()
if mode == "floor":
    app = QtWidgets.QApplication(["floor"]); app.installEventFilter(probe)
    w = QtWidgets.QWidget(); w.resize(800, 600); w.show(); app.exec()
else:
    from gkdesk.ui import app as gapp
    make = gapp.make_app
    def make_app(argv):
        a = make(argv); a.installEventFilter(probe); return a
    gapp.make_app = make_app
    gapp.main(sys.argv[3:])
    os._exit(3)
'''


def launch(mode: str, *args: str, env: dict[str, str]) -> tuple[float, float]:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", PROBE, f"{t0:.6f}", mode, *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    if out.returncode != 0 or not out.stdout.strip():
        raise SystemExit(f"{mode} launch failed ({out.returncode}):\n{out.stderr[-2000:]}")
    first, main = (float(x) for x in out.stdout.split()[:2])
    return first, main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    opts = ap.parse_args()
    compileall.compile_dir(str(ROOT / "gkdesk"), quiet=1)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env_cfg = dict(env, XDG_CONFIG_HOME=str(base / "config"))  # no remembered window geometry
        real = base / "data"
        subprocess.run([sys.executable, "-m", "gkdesk", "--data-dir", str(real), "demo"], cwd=ROOT, env=env_cfg,
                       capture_output=True, check=True, timeout=600)
        launch("plain", "--data-dir", str(real), env=env_cfg)  # warm the OS file cache once
        rows: dict[str, list[tuple[float, float]]] = {"floor": [], "plain": [], "demo (new)": []}
        for i in range(opts.runs):
            rows["floor"].append(launch("floor", env=env_cfg))
            rows["plain"].append(launch("plain", "--data-dir", str(real), env=env_cfg))
            fresh = base / f"fresh{i}"
            rows["demo (new)"].append(launch("demo", "--data-dir", str(fresh), "--demo", env=env_cfg))
    floor = statistics.median(m for _f, m in rows["floor"])
    print(f"launch → first paint, median of {opts.runs} (seconds; floor = bare QApplication + QWidget)")
    print(f"{'':12} {'first window':>13} {'main window':>12} {'first/floor':>12}")
    for name, vals in rows.items():
        first = statistics.median(f for f, _m in vals)
        main_ = statistics.median(m for _f, m in vals)
        print(f"{name:12} {first:13.3f} {main_:12.3f} {first / floor:11.1f}×")


if __name__ == "__main__":
    main()
