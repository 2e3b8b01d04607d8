"""The installer recipes carry what the frozen app needs (fast: no build here — CI builds).

The spec is parsed, not run: DATA_DIRS must match every migration and resource file,
the Linux library filter must keep what older distributions lack, and the .desktop
entry, icons and the NSIS installer script must say what the clerk sees.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installers" / "gkdesk.spec"


def spec_assignment(name: str):
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return node.value
    raise AssertionError(f"{name} not found in {SPEC.name}")


def bundled_files() -> set[Path]:
    files = set()
    for src, dest, patterns in ast.literal_eval(spec_assignment("DATA_DIRS")):
        base = ROOT / src
        assert base.is_dir(), src
        for pattern in patterns:
            files |= {f for f in base.glob(pattern) if f.is_file()}
        assert dest == src  # paths.resources_dir() and store.MIGRATIONS_DIR expect the same layout
    return files


def test_spec_bundles_every_migration_file():
    files = bundled_files()
    mig = ROOT / "gkdesk" / "migrations"
    versions = sorted(mig.glob("versions/*.py"))
    assert versions, "no migration versions?"
    for f in [mig / "env.py", mig / "script.py.mako", *versions]:
        assert f in files, f"{f.relative_to(ROOT)} would be missing from the bundle"


def test_spec_bundles_every_resource_file():
    files = bundled_files()
    resources = [f for f in (ROOT / "resources").rglob("*") if f.is_file() and "__pycache__" not in f.parts]
    assert ROOT / "resources" / "icons" / "gkdesk.png" in resources
    missing = [str(f.relative_to(ROOT)) for f in resources if f not in files]
    assert missing == []


def test_spec_names_the_modules_import_analysis_cannot_see():
    text = SPEC.read_text(encoding="utf-8")
    assert 'collect_submodules("gkdesk")' in text  # pages are imported by name
    for mod in ["PySide6.QtPdf", "PySide6.QtPrintSupport", "_cffi_backend", "python_calamine"]:
        assert f'"{mod}"' in text, mod
    for excluded in ["tkinter", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtWebEngineCore", "PySide6.QtMultimedia"]:
        assert f'"{excluded}"' in text, excluded


def test_linux_library_filter_keeps_what_old_distributions_lack():
    pattern = re.compile(eval(compile(ast.Expression(spec_assignment("LINUX_SYSTEM_LIBS").args[0]), "spec", "eval")))
    for dropped in ["libX11.so.6", "libfontconfig.so.1", "libglib-2.0.so.0", "libxcb-icccm.so.4", "libxcb.so.1",
                    "libcups.so.2", "libGL.so.1", "libgssapi_krb5.so.2", "libfreetype.so.6"]:
        assert pattern.match(dropped), dropped
    for kept in ["libxcb-cursor.so.0", "libxcb-util.so.1", "libpython3.11.so.1.0", "libsqlite3.so.0",
                 "libffi.so.8", "libssl.so.3", "libstdc++.so.6", "libicudata.so.73", "libzstd.so.1",
                 "libxcb-9065bb12.so.1.1.0", "libfreetype-57f805ba.so.6.20.6", "libQt6Core.so.6"]:
        assert not pattern.match(kept), kept


def test_desktop_entry_and_icons():
    desktop = (ROOT / "installers" / "linux" / "gkdesk.desktop").read_text(encoding="utf-8")
    entries = dict(line.split("=", 1) for line in desktop.splitlines() if "=" in line)
    assert entries["Name"] == "基层政务公开桌面助手"
    assert entries["Exec"] == "gkdesk-gui" and entries["Icon"] == "gkdesk" and entries["Terminal"] == "false"
    from PIL import Image

    icons = ROOT / "resources" / "icons"
    assert Image.open(icons / "gkdesk.png").size == (256, 256)
    for n in (48, 64, 128):
        assert Image.open(icons / f"gkdesk-{n}.png").size == (n, n)
    ico = Image.open(icons / "gkdesk.ico")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def test_nsis_script_installs_per_user_and_keeps_the_clerks_data_unless_asked():
    """installers/windows/gkdesk.nsi (built and exercised under Wine by windows/build.sh)."""
    nsi = (ROOT / "installers" / "windows" / "gkdesk.nsi").read_text(encoding="utf-8")
    assert "RequestExecutionLevel user" in nsi  # no administrator rights
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\gkdesk"' in nsi
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in nsi
    assert '!define APPNAME "基层政务公开桌面助手"' in nsi
    assert 'CreateShortcut "$DESKTOP\\${APPNAME}.lnk" "$INSTDIR\\gkdesk-gui.exe"' in nsi
    assert re.search(r'CreateShortcut "\$SMPROGRAMS\\\$\{APPNAME\}\\[^"]*演示[^"]*\.lnk" "\$INSTDIR\\gkdesk-gui.exe" "--demo"', nsi)
    # = platformdirs.user_data_dir("gkdesk", appauthor=False); demo data beside it
    assert '!define DATADIR "$LOCALAPPDATA\\gkdesk"' in nsi
    assert '!define DEMODIR "$LOCALAPPDATA\\gkdesk-demo"' in nsi
    # The data go only with /DELETEDATA or behind the clerk's explicit 是 (default button 否).
    uninstall = nsi[nsi.index('Section "Uninstall"'):]
    assert uninstall.count('RMDir /r "${DATADIR}"') == 2
    assert re.search(r'GetOptions\} \$R0 "/DELETEDATA"[\s\S]*RMDir /r "\$\{DATADIR\}"[\s\S]*'
                     r'MB_YESNO\|MB_ICONQUESTION\|MB_DEFBUTTON2 "是否同时删除您的数据[^"]*" IDNO keep_data\s+'
                     r'RMDir /r "\$\{DATADIR\}"\s+keep_data:', uninstall)
    # Never a recursive delete of the install folder itself (the IT person may have chosen D:\).
    assert 'RMDir /r "$INSTDIR"' not in nsi
    # The Windows floor (docs/WINDOWS.md): 64-bit, Windows 10 1607+.
    assert "${RunningX64}" in nsi and "${AtLeastWin10}" in nsi and "!define MIN_BUILD 14393" in nsi


def test_windows_data_dir_is_local_appdata(monkeypatch: pytest.MonkeyPatch):
    """What the uninstaller assumes: platformdirs puts our data in %LOCALAPPDATA%\\gkdesk."""
    import platformdirs.windows as pw

    seen = []
    monkeypatch.setattr(pw, "get_win_folder", lambda csidl: seen.append(csidl) or r"C:\Users\文书\AppData\Local")
    path = pw.Windows(appname="gkdesk", appauthor=False).user_data_dir
    assert seen == ["CSIDL_LOCAL_APPDATA"]
    assert path.replace("/", "\\").endswith(r"AppData\Local\gkdesk")


def _entry_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("gkdesk_entry", ROOT / "installers" / "gkdesk_entry.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_frozen_entry_falls_back_to_ibus_only_without_a_fcitx_plugin(monkeypatch, tmp_path):
    entry = _entry_module()
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr("sys._MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setenv("QT_IM_MODULE", "fcitx")
    entry._input_method_fallback()
    import os

    assert os.environ["QT_IM_MODULE"] == "ibus"

    plugins = tmp_path / "PySide6" / "Qt" / "plugins" / "platforminputcontexts"
    plugins.mkdir(parents=True)
    (plugins / "libfcitx5platforminputcontextplugin.so").write_bytes(b"")
    monkeypatch.setenv("QT_IM_MODULE", "fcitx5")
    entry._input_method_fallback()
    assert os.environ["QT_IM_MODULE"] == "fcitx5"


def test_frozen_entry_dispatches_cli_and_window(monkeypatch, capsys):
    entry = _entry_module()
    monkeypatch.setattr("sys.argv", ["gkdesk", "--version"])
    try:
        code = entry._main()
    except SystemExit as exc:  # argparse's --version exits
        code = exc.code
    import gkdesk

    assert code == 0 and capsys.readouterr().out.strip() == f"gkdesk {gkdesk.__version__}"

    opened = []
    monkeypatch.setattr("gkdesk.ui.app.main", lambda argv: opened.append(argv) or 0)
    monkeypatch.setattr("sys.argv", ["gkdesk", "gui", "--demo"])
    assert entry._main() == 0
    monkeypatch.setattr("sys.argv", ["C:/gkdesk/gkdesk-gui.exe", "--demo"])
    monkeypatch.setattr("sys.executable", "C:/gkdesk/gkdesk-gui.exe")
    assert entry._main() == 0
    assert opened == [["--demo"], ["--demo"]]
