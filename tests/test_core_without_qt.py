"""The core must import and work with Qt unavailable (house rule 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import gkdesk

SCRIPT = r"""
import importlib, pkgutil, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6.") or name.startswith("shiboken6"):
            raise ImportError("Qt is blocked for the core: " + name)
sys.meta_path.insert(0, Block())
import gkdesk
names = []
for m in pkgutil.walk_packages(gkdesk.__path__, "gkdesk."):
    if m.name.startswith(("gkdesk.ui", "gkdesk.migrations")) or m.name == "gkdesk.__main__":
        continue
    importlib.import_module(m.name)
    names.append(m.name)
from gkdesk.cli import main
rc = main(["--data-dir", sys.argv[1], "init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区"])
assert rc == 0, rc
assert not any(k.startswith("PySide6") for k in sys.modules)
print(len(names))
"""


def test_core_imports_and_runs_with_qt_blocked(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "d")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip().splitlines()[-1]) >= 10


def test_no_module_outside_ui_mentions_pyside() -> None:
    root = Path(gkdesk.__file__).parent
    offenders = [p for p in root.rglob("*.py") if "ui" not in p.relative_to(root).parts[:1]
                 and ("import PySide6" in p.read_text(encoding="utf-8") or "from PySide6" in p.read_text(encoding="utf-8"))]
    assert offenders == []
