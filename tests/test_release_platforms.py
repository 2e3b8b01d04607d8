"""Release builds for Windows and old-glibc Linux: the parts that can be checked on Linux.

The builds themselves (installers/windows/build.sh under Wine, installers/linux/
build-compat.sh in a Debian 11 root) take many minutes and are run by hand or in a
dedicated CI job; these tests guard what would silently break them: lock files drifting
apart, a Windows-only dependency dropped, the glibc checker missing a too-new symbol, and
the frozen entry point not recognising the sheet-reader child.
"""

from __future__ import annotations

import importlib.util
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {
    "main": ROOT / "requirements.lock",
    "windows": ROOT / "requirements-windows.lock",
    "compat": ROOT / "requirements-linux-compat.lock",
}
QT_PACKAGES = {"pyside6-essentials", "pyside6-addons", "pyside6-pdf", "shiboken6"}
WINDOWS_ONLY = {"pefile", "pywin32-ctypes", "tzdata", "colorama"}


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert m, f"{path.name}: not an exact pin: {line!r}"
        out[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return out


def test_platform_locks_pin_the_same_versions_as_the_main_lock_apart_from_qt():
    main = _pins(LOCKS["main"])
    for name in ("windows", "compat"):
        other = _pins(LOCKS[name])
        for pkg, ver in main.items():
            if pkg in QT_PACKAGES:
                continue
            assert other.get(pkg) == ver, f"{LOCKS[name].name}: {pkg} {other.get(pkg)} != {ver} in requirements.lock"
        extra = set(other) - set(main) - QT_PACKAGES
        allowed = WINDOWS_ONLY if name == "windows" else set()
        assert extra <= allowed, f"{LOCKS[name].name}: unexpected packages {sorted(extra - allowed)}"


def test_one_qt_for_every_release_target():
    """Windows and the glibc-2.28 build ship the same Qt (6.8 LTS, see installers/README.md)."""
    win, compat = _pins(LOCKS["windows"]), _pins(LOCKS["compat"])
    qt = {p: v for p, v in win.items() if p in QT_PACKAGES}
    assert qt == {p: v for p, v in compat.items() if p in QT_PACKAGES}
    assert qt["pyside6-essentials"] == qt["shiboken6"] == qt["pyside6-addons"]
    major, minor = (int(x) for x in qt["pyside6-essentials"].split(".")[:2])
    # >= 6.10 imports icuuc.dll (Windows 10 1703+) and has no manylinux_2_28 wheels.
    assert (6, 7) <= (major, minor) < (6, 10)
    # QtPdf (notice preview) must come from somewhere: PySide6_Pdf exists only from 6.12.
    assert "pyside6-addons" in qt


def test_windows_lock_lists_the_dependencies_pip_would_skip_on_linux():
    win = _pins(LOCKS["windows"])
    assert set(win) >= WINDOWS_ONLY


def _check_glibc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "installers" / "linux" / "check_glibc.py"), *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def _elf_needing_new_glibc() -> Path | None:
    """The running interpreter's math module: built here, it needs exp/log/pow@GLIBC_2.29."""
    import math

    path = Path(getattr(math, "__file__", "") or "")
    return path if path.is_file() else None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files")
def test_glibc_check_names_the_file_and_symbols_above_the_floor(tmp_path):
    lib = _elf_needing_new_glibc()
    if lib is None:
        pytest.skip("math is built into this interpreter")
    bundle = tmp_path / "bundle" / "_internal"
    bundle.mkdir(parents=True)
    (bundle / lib.name).write_bytes(lib.read_bytes())
    (bundle / "README.txt").write_text("not an ELF file", encoding="utf-8")
    res = _check_glibc(str(tmp_path / "bundle"), "--max", "2.28")
    assert res.returncode == 1, res.stdout + res.stderr
    assert f"_internal/{lib.name}" in res.stdout
    assert re.search(r"\b(exp|log|pow)@GLIBC_2\.(29|[3-9][0-9])", res.stdout), res.stdout
    assert "1 ELF files" in res.stdout
    ok = _check_glibc(str(tmp_path / "bundle"), "--max", "2.99")
    assert ok.returncode == 0, ok.stdout
    assert "OK" in ok.stdout


def test_frozen_entry_point_runs_the_sheet_reader_child(tmp_path):
    """An .xls import in the bundle starts the executable again with the child flag."""
    if importlib.util.find_spec("gkdesk.sheets.sandbox") is None:
        pytest.skip("gkdesk.sheets.sandbox is not on this branch yet")
    from gkdesk.sheets import sandbox

    xlwt = pytest.importorskip("xlwt")
    spec = importlib.util.spec_from_file_location("gkdesk_entry", ROOT / "installers" / "gkdesk_entry.py")
    assert spec and spec.loader
    entry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(entry)
    assert entry.SHEET_READER_FLAG == sandbox.CHILD_FLAG

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("发放清册")
    for r, row in enumerate([["姓名", "金额"], ["张三", "120.50"]]):
        for c, v in enumerate(row):
            sheet.write(r, c, v)
    xls = tmp_path / "清册.xls"
    book.save(str(xls))
    # Run as the bundle would: the entry script with the flag first.
    res = subprocess.run([sys.executable, str(ROOT / "installers" / "gkdesk_entry.py"), sandbox.CHILD_FLAG, str(xls)],
                         capture_output=True, timeout=120, cwd=ROOT,
                         env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0, res.stderr.decode("utf-8", "replace")
    status, sheets = pickle.loads(res.stdout)
    assert status == "ok"
    cells = [str(v) for s in sheets for row in s.rows for v in row]
    assert "张三" in cells
