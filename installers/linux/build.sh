#!/usr/bin/env bash
# Build gkdesk for Linux without Python on the target: the PyInstaller one-folder bundle
# (dist/gkdesk/) and a .deb for Debian/Ubuntu/UOS/Kylin (dist/gkdesk_<version>_<arch>.deb).
#
#   bash installers/linux/build.sh                 bundle + .deb
#   bash installers/linux/build.sh --bundle-only   bundle only (CI: then dist/gkdesk/gkdesk selftest)
#
# Uses the repo's .venv (creating it like scripts/gk.sh if missing) plus the pinned build
# tools of requirements-build.lock. Build on the OLDEST distribution you target: the
# bundle needs the glibc of the machine it was built on (printed into the .deb's Depends).
# For UOS V20 / Kylin V10 (glibc 2.28) use installers/linux/build-compat.sh, which runs
# this script inside a Debian 11 root with:
#   GKDESK_LOCK=requirements-linux-compat.lock   the runtime pins to install (default requirements.lock)
#   GKDESK_FIND_LINKS=/wheels                    install from these wheels only (pip --no-index)
#   PYTHON=/opt/gkdesk-py/bin/python3.11         the interpreter for a new .venv
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
BUNDLE_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --bundle-only) BUNDLE_ONLY=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "用法 / usage: bash installers/linux/build.sh [--bundle-only]" >&2; exit 2 ;;
  esac
done

t0=$(date +%s)
say() { echo "[build $(( $(date +%s) - t0 ))s] $*" >&2; }

# Tools: binutils (PyInstaller reads and strips ELF files), dpkg-deb for the package.
need_debs=()
command -v objdump >/dev/null 2>&1 || need_debs+=(binutils)
if [ "$BUNDLE_ONLY" = 0 ]; then command -v dpkg-deb >/dev/null 2>&1 || need_debs+=(dpkg); fi
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    say "安装 / installing ${need_debs[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null
  else
    echo "缺少 / missing: ${need_debs[*]} (sudo apt-get install ${need_debs[*]})" >&2; exit 2
  fi
fi

# Python environment: runtime pins + build pins.
PY="${PYTHON:-python3}"
LOCK="${GKDESK_LOCK:-requirements.lock}"
PIP_SRC=()
[ -z "${GKDESK_FIND_LINKS:-}" ] || PIP_SRC=(--no-index --find-links "$GKDESK_FIND_LINKS")
[ -x .venv/bin/python ] || "$PY" -m venv .venv
if [ ! -f .venv/.gkdesk-lock ] || ! cmp -s "$LOCK" .venv/.gkdesk-lock; then
  say "安装运行依赖 / installing $LOCK"
  .venv/bin/python -m pip install -q --disable-pip-version-check "${PIP_SRC[@]}" -r "$LOCK"
  cp "$LOCK" .venv/.gkdesk-lock
fi
if [ ! -f .venv/.gkdesk-build-lock ] || ! cmp -s requirements-build.lock .venv/.gkdesk-build-lock; then
  say "安装打包工具 / installing requirements-build.lock"
  .venv/bin/python -m pip install -q --disable-pip-version-check "${PIP_SRC[@]}" -r requirements-build.lock
  cp requirements-build.lock .venv/.gkdesk-build-lock
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . >/dev/null
VERSION=$(.venv/bin/python -c "import gkdesk; print(gkdesk.__version__)")

say "PyInstaller: gkdesk $VERSION → dist/gkdesk/"
rm -rf build/pyinstaller dist/gkdesk
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installers/gkdesk.spec

# The window launcher (one executable serves both on Linux; see the spec).
cat > dist/gkdesk/gkdesk-gui <<'EOF'
#!/bin/sh
# 打开基层政务公开桌面助手的窗口 / open the gkdesk window
here=$(dirname "$(readlink -f "$0")")
exec "$here/gkdesk" gui "$@"
EOF
chmod 755 dist/gkdesk/gkdesk-gui
say "bundle: $(du -sh dist/gkdesk | cut -f1) in dist/gkdesk"

if [ "$BUNDLE_ONLY" = 1 ]; then
  say "完成 / done (bundle only)"
  exit 0
fi

# ---- the .deb ---------------------------------------------------------------------
ARCH=$(dpkg --print-architecture)
DEPENDS=$(.venv/bin/python installers/linux/check_deps.py dist/gkdesk)
PKG=build/deb/gkdesk_${VERSION}_${ARCH}
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/doc/gkdesk"
cp -a dist/gkdesk "$PKG/opt/gkdesk"
ln -s /opt/gkdesk/gkdesk "$PKG/usr/bin/gkdesk"
ln -s /opt/gkdesk/gkdesk-gui "$PKG/usr/bin/gkdesk-gui"
for n in 48 64 128; do
  install -D -m 644 "resources/icons/gkdesk-$n.png" "$PKG/usr/share/icons/hicolor/${n}x${n}/apps/gkdesk.png"
done
install -D -m 644 resources/icons/gkdesk.png "$PKG/usr/share/icons/hicolor/256x256/apps/gkdesk.png"
install -m 644 installers/linux/gkdesk.desktop "$PKG/usr/share/applications/gkdesk.desktop"
cat > "$PKG/usr/share/doc/gkdesk/copyright" <<EOF
gkdesk — 基层政务公开桌面助手 $VERSION
License: MIT. Bundled third-party components (Python, Qt/PySide6 under LGPLv3, SQLAlchemy,
Alembic, reportlab, openpyxl, python-calamine, PyNaCl/libsodium, Pillow, psycopg) keep their
own licences; see /opt/gkdesk/_internal/*.dist-info.
EOF

INSTALLED_KB=$(du -sk "$PKG" | cut -f1)
cat > "$PKG/DEBIAN/control" <<EOF
Package: gkdesk
Version: $VERSION
Architecture: $ARCH
Maintainer: gkdesk <gkdesk@localhost>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Section: misc
Priority: optional
Description: 基层政务公开桌面助手 (offline disclosure assistant for townships)
 乡镇(街道)政务公开、村务公开与惠民惠农补贴公示的离线桌面助手:
 标准目录、补贴发放清册导入、公示单打印、与县政务公开办交换同步包。
 .
 Offline desktop assistant for township government-affairs disclosure.
 The clerk's data live in ~/.local/share/gkdesk and are kept on removal.
EOF
cat > "$PKG/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
exit 0
EOF
cp "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"
chmod 755 "$PKG/DEBIAN/postinst" "$PKG/DEBIAN/postrm"

DEB="dist/gkdesk_${VERSION}_${ARCH}.deb"
say "dpkg-deb → $DEB"
# xz (the default): UOS V20 / Kylin V10 ship a dpkg too old for zstd-compressed packages.
dpkg-deb --root-owner-group -Zxz --build "$PKG" "$DEB" >/dev/null
say "完成 / done: $DEB ($(du -h "$DEB" | cut -f1)), installed size ${INSTALLED_KB} KB"
echo "Depends: $DEPENDS" >&2
