#!/usr/bin/env bash
# Build the .deb for UOS V20 (glibc 2.28), Kylin V10 (2.31) and other older x86_64 Linux:
# every ELF file in it needs at most GLIBC_2.28. Run as root on a Debian/Ubuntu machine:
#
#   sudo bash installers/linux/build-compat.sh            build + install test
#   sudo bash installers/linux/build-compat.sh --no-test  build only
#
# -> dist/linux-compat/gkdesk_<version>_amd64.deb and dist/linux-compat/gkdesk/ (the bundle)
#
# How (each step cached under build/linux-compat/, delete that folder to start clean):
#   1. a Debian 11 (bullseye, glibc 2.31) root made with debootstrap: the oldest Debian the
#      mirror still serves (buster, glibc 2.28, is gone from it);
#   2. SQLite 3.40.1 and CPython 3.11.2 compiled inside it from Debian 12's source packages
#      (upstream tarball + Debian's upstream-fix and CVE patches), with a forced-include
#      header that binds exp/log/pow/exp2/log2 to their GLIBC_2.2.5 versions and without
#      sem_clockwait (2.30): the only symbols that would lift the floor above 2.28;
#   3. wheels fetched on the host with --platform manylinux_2_28 … manylinux2014 only, from
#      requirements-linux-compat.lock (PySide6 6.8.0.2, the newest tagged manylinux_2_28);
#   4. installers/linux/build.sh run inside the root -> bundle + .deb;
#   5. installers/linux/check_glibc.py over the bundle: fails above GLIBC_2.28;
#   6. a fresh Debian 11 root: apt-get install ./gkdesk_….deb, then `gkdesk selftest` as an
#      ordinary user, offscreen and under Xvfb (xvfb-run).
# Not reachable from here: a real glibc-2.28 system (UOS V20 itself); see installers/README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
RUN_TEST=1
for arg in "$@"; do
  case "$arg" in
    --no-test) RUN_TEST=0 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "用法 / usage: sudo bash installers/linux/build-compat.sh [--no-test]" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "需要 root (debootstrap, chroot) / run as root" >&2; exit 2; }

SUITE=bullseye
MIRROR=${GKDESK_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ARCH=amd64
GLIBC_MAX=2.28
PYVER=3.11
PREFIX=/opt/gkdesk-py          # the build Python inside the build root (not shipped as such)
B="$ROOT/build/linux-compat"
OUT="$ROOT/dist/linux-compat"
BUILDROOT="$B/buildroot"
TESTROOT="$B/testroot"
mkdir -p "$B" "$OUT" "$B/logs"

t0=$(date +%s)
step_t=$t0
say() { echo "[compat $(( $(date +%s) - t0 ))s] $*" >&2; }
step() { local now; now=$(date +%s); say "($(( now - step_t ))s) $*"; step_t=$now; }
die() { echo "[compat] 失败 / FAILED: $*" >&2; exit 1; }

MOUNTS=()
cleanup() {
  local i
  for (( i=${#MOUNTS[@]}-1; i>=0; i-- )); do umount -l "${MOUNTS[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
mount_root() {  # what a chroot needs: /proc, and /dev/shm and /dev/pts for Qt and Xvfb
  local r=$1
  mountpoint -q "$r/proc" || { mount -t proc proc "$r/proc"; MOUNTS+=("$r/proc"); }
  mkdir -p "$r/dev/shm" "$r/dev/pts"
  mountpoint -q "$r/dev/shm" || { mount -t tmpfs -o mode=1777 shm "$r/dev/shm"; MOUNTS+=("$r/dev/shm"); }
  cp /etc/resolv.conf "$r/etc/resolv.conf"
}
in_root() {  # in_root ROOT COMMAND… : a clean environment inside the chroot
  local r=$1; shift
  chroot "$r" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

# ---- host tools -------------------------------------------------------------------------
need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  say "安装 / installing ${need[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >"$B/logs/apt-host.log"
fi
[ -x "$B/hostvenv/bin/pip" ] || python3 -m venv "$B/hostvenv"

# ---- 1. Debian 11 base and build root ---------------------------------------------------------
if [ ! -f "$B/$SUITE-base.tar" ]; then
  say "debootstrap $SUITE"
  rm -rf "$B/base.tmp"
  debootstrap --variant=minbase --arch=$ARCH "$SUITE" "$B/base.tmp" "$MIRROR" >"$B/logs/debootstrap.log" 2>&1 \
    || { tail -5 "$B/logs/debootstrap.log" >&2; die debootstrap; }
  tar -C "$B/base.tmp" -cf "$B/$SUITE-base.tar.tmp" . && mv "$B/$SUITE-base.tar.tmp" "$B/$SUITE-base.tar"
  rm -rf "$B/base.tmp"
fi
BUILD_DEBS="build-essential dpkg-dev ca-certificates libssl-dev zlib1g-dev libbz2-dev liblzma-dev
  libffi-dev uuid-dev tcl binutils xz-utils file patch
  libglib2.0-0 libgl1 libegl1 libopengl0 libfontconfig1 libfreetype6 libxkbcommon0 libxkbcommon-x11-0
  libdbus-1-3 libx11-xcb1 libxext6 libxrender1 libxcb1 libxcb-glx0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-xfixes0 libxcb-xinerama0 libxcb-xinput0 libxcb-xkb1 libxcb-cursor0 libxcb-util1
  libcups2 libgssapi-krb5-2 libpng16-16 libjpeg62-turbo libbrotli1"
if [ ! -f "$BUILDROOT/.gkdesk-root-ready" ]; then
  say "构建环境 / build root ($SUITE + compilers + Qt's system libraries)"
  rm -rf "$BUILDROOT" && mkdir -p "$BUILDROOT"
  tar -C "$BUILDROOT" -xf "$B/$SUITE-base.tar"
  mount_root "$BUILDROOT"
  # shellcheck disable=SC2086
  in_root "$BUILDROOT" sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $BUILD_DEBS" \
    >"$B/logs/buildroot-apt.log" 2>&1 || { tail -5 "$B/logs/buildroot-apt.log" >&2; die "apt-get in the build root"; }
  touch "$BUILDROOT/.gkdesk-root-ready"
fi
mount_root "$BUILDROOT"
step "Debian 11 构建环境就绪 / build root ready"

# ---- 2. SQLite and CPython from Debian's sources, held to GLIBC_2.28 -------------------------------
if [ ! -f "$BUILDROOT$PREFIX/.gkdesk-built" ]; then
  say "编译 SQLite 与 Python / compiling SQLite and CPython $PYVER (several minutes)"
  cat >"$BUILDROOT/root/glibc228.h" <<'EOF'
/* Forced into every C file of SQLite and CPython by build-compat.sh: glibc 2.29 gave
   exp/log/pow/exp2/log2 new symbol versions; bind the old ones so that the result
   still loads on glibc 2.28 (UOS V20). Same functions, older entry points. */
#if defined(__x86_64__)
__asm__(".symver exp,exp@GLIBC_2.2.5");
__asm__(".symver log,log@GLIBC_2.2.5");
__asm__(".symver pow,pow@GLIBC_2.2.5");
__asm__(".symver exp2,exp2@GLIBC_2.2.5");
__asm__(".symver log2,log2@GLIBC_2.2.5");
#elif defined(__aarch64__)
__asm__(".symver exp,exp@GLIBC_2.17");
__asm__(".symver log,log@GLIBC_2.17");
__asm__(".symver pow,pow@GLIBC_2.17");
__asm__(".symver exp2,exp2@GLIBC_2.17");
__asm__(".symver log2,log2@GLIBC_2.17");
#endif
EOF
  cat >"$BUILDROOT/root/build-python.sh" <<EOF
set -eu
PREFIX=$PREFIX
EOF
  cat >>"$BUILDROOT/root/build-python.sh" <<'EOF'
O="-o Dir::Etc::SourceList=/etc/apt/gkdesk-src.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=/var/lib/apt/gkdesk-src-lists"
echo "deb-src http://deb.debian.org/debian bookworm main" >/etc/apt/gkdesk-src.list
mkdir -p /var/lib/apt/gkdesk-src-lists/partial /build/src
apt-get $O update -q >/dev/null
cd /build/src
rm -rf sqlite3-* Python-* *.orig* *.debian.* *.dsc debian
apt-get $O source -q --download-only python3.11/bookworm sqlite3/bookworm
CF="-O2 -g0 -include /root/glibc228.h"
# SQLite (the upstream tree of Debian's sqlite3 source package)
tar -xJf sqlite3_*.orig.tar.xz
cd sqlite3-*/
./configure --prefix=$PREFIX --disable-static --disable-tcl --enable-fts5 \
  CFLAGS="$CF -DSQLITE_ENABLE_COLUMN_METADATA=1 -DSQLITE_ENABLE_DBSTAT_VTAB=1 -DSQLITE_SECURE_DELETE=1 -DSQLITE_ENABLE_JSON1=1" >/dev/null
make -j"$(nproc)" >/dev/null
make install >/dev/null
cd /build/src
# CPython: upstream tarball + Debian's upstream-fix and CVE patches (those listed after
# ntpath-import.diff; the earlier ones adapt Python to Debian's own layout).
tar -xzf python3.11_*.orig.tar.gz
mkdir debian-py && tar -C debian-py -xJf python3.11_*.debian.tar.xz
cd Python-3.11*/
sed -n '/^ntpath-import.diff/,$p' ../debian-py/debian/patches/series | tail -n +2 | grep -v '^#' | while read -r p; do
  [ -n "$p" ] || continue
  patch -p1 -N -s -F0 <"../debian-py/debian/patches/$p" || { echo "patch $p does not apply" >&2; exit 1; }
done
# Debian links pyexpat into libpython; built as a shared module here, the CVE-2026-4224
# fix (pycore_ceval.h) needs what upstream 3.12 defines at the top of pyexpat.c.
grep -q Py_BUILD_CORE_MODULE Modules/pyexpat.c || sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' Modules/pyexpat.c
./configure --prefix=$PREFIX --enable-shared --with-ensurepip=install \
  CFLAGS="$CF" CPPFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib -Wl,-rpath,$PREFIX/lib" \
  ac_cv_func_sem_clockwait=no >/dev/null
make -j"$(nproc)" >/dev/null 2>make.err || { tail -20 make.err; exit 1; }
make install >/dev/null 2>&1
$PREFIX/bin/python3.11 -c "import sqlite3, ssl, ctypes, lzma, bz2, zlib, uuid, math, _statistics, pyexpat, _elementtree, _decimal, hashlib; print('python', __import__('sys').version.split()[0], 'sqlite', sqlite3.sqlite_version)"
touch $PREFIX/.gkdesk-built
EOF
  in_root "$BUILDROOT" bash /root/build-python.sh >"$B/logs/build-python.log" 2>&1 \
    || { tail -20 "$B/logs/build-python.log" >&2; die "compiling SQLite/CPython"; }
  tail -1 "$B/logs/build-python.log" >&2
fi
python3 installers/linux/check_glibc.py "$BUILDROOT$PREFIX/lib" --max "$GLIBC_MAX" -q >"$B/logs/glibc-python.txt" \
  || { cat "$B/logs/glibc-python.txt" >&2; die "the build Python needs more than GLIBC_$GLIBC_MAX"; }
step "Python $PYVER 就绪 / ready ($(tail -1 "$B/logs/glibc-python.txt"))"

# ---- 3. wheels tagged manylinux_2_28 or older ------------------------------------------------------
PLAT=()
for v in 28 27 26 25 24 23 22 21 20 19 18 17; do PLAT+=(--platform "manylinux_2_${v}_x86_64"); done
PLAT+=(--platform manylinux2014_x86_64 --platform manylinux2010_x86_64 --platform manylinux1_x86_64)
rm -rf "$BUILDROOT/wheels" && mkdir -p "$BUILDROOT/wheels"
"$B/hostvenv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: "${PLAT[@]}" \
  --python-version "$PYVER" --implementation cp -d "$B/wheels" \
  -r requirements-linux-compat.lock -r requirements-build.lock >"$B/logs/pip-download.log" 2>&1 \
  || { grep -v WARNING "$B/logs/pip-download.log" | tail -5 >&2; die "a pinned package has no manylinux_2_28 wheel"; }
# Only the pinned files (the folder may hold older downloads).
cp "$B"/wheels/*.whl "$BUILDROOT/wheels/"
step "wheels: $(find "$BUILDROOT/wheels" -name '*.whl' | wc -l) files"

# ---- 4. bundle and .deb inside the root ------------------------------------------------------------
rm -rf "$BUILDROOT/src" && mkdir -p "$BUILDROOT/src"
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -C "$BUILDROOT/src" -xf -
in_root "$BUILDROOT" sh -c "cd /src && GKDESK_LOCK=requirements-linux-compat.lock GKDESK_FIND_LINKS=/wheels \
  PYTHON=$PREFIX/bin/python$PYVER bash installers/linux/build.sh" >"$B/logs/build-deb.log" 2>&1 \
  || { tail -20 "$B/logs/build-deb.log" >&2; die "installers/linux/build.sh in the build root"; }
grep -E "bundle:|done|Depends" "$B/logs/build-deb.log" >&2 || true
VERSION=$(sed -n 's/^__version__ = "\(.*\)"/\1/p' gkdesk/__init__.py)
DEB_NAME="gkdesk_${VERSION}_${ARCH}.deb"
rm -rf "$OUT/gkdesk" "$OUT/$DEB_NAME"
cp "$BUILDROOT/src/dist/$DEB_NAME" "$OUT/$DEB_NAME"
cp -a "$BUILDROOT/src/dist/gkdesk" "$OUT/gkdesk"
step "bundle $(du -sm "$OUT/gkdesk" | cut -f1) MB, $DEB_NAME $(du -m "$OUT/$DEB_NAME" | cut -f1) MB"

# ---- 5. glibc floor ------------------------------------------------------------------------------
python3 installers/linux/check_glibc.py "$OUT/gkdesk" --max "$GLIBC_MAX" >"$OUT/glibc-report.txt" \
  || { grep -E ">|GLIBC_[0-9.]+@|ELF files" "$OUT/glibc-report.txt" >&2; die "the bundle needs more than GLIBC_$GLIBC_MAX"; }
tail -1 "$OUT/glibc-report.txt" >&2
dpkg-deb -f "$OUT/$DEB_NAME" Depends | tr ',' '\n' | grep -q "libc6 (>= $GLIBC_MAX)" \
  || die "Depends does not say libc6 (>= $GLIBC_MAX)"
step "glibc 检查通过 / floor GLIBC_$GLIBC_MAX holds (report: dist/linux-compat/glibc-report.txt)"
[ "$RUN_TEST" = 1 ] || { say "完成 / done (no test)"; exit 0; }

# ---- 6. install on a fresh Debian 11 and run the selftest ----------------------------------------------
say "全新 Debian 11 安装测试 / fresh $SUITE root: apt-get install ./$DEB_NAME"
rm -rf "$TESTROOT" && mkdir -p "$TESTROOT"
tar -C "$TESTROOT" -xf "$B/$SUITE-base.tar"
mount_root "$TESTROOT"
cp "$OUT/$DEB_NAME" "$TESTROOT/root/"
in_root "$TESTROOT" sh -c "apt-get update -q && apt-get install -y -q ./root/$DEB_NAME && apt-get install -y -q --no-install-recommends xvfb xauth" \
  >"$B/logs/test-install.log" 2>&1 || { tail -20 "$B/logs/test-install.log" >&2; die "apt-get install ./$DEB_NAME"; }
grep -E "newly installed" "$B/logs/test-install.log" | head -1 >&2
in_root "$TESTROOT" useradd -m -s /bin/sh clerk
as_clerk() { in_root "$TESTROOT" su - clerk -c "$*"; }
as_clerk "QT_QPA_PLATFORM=offscreen gkdesk selftest" >"$OUT/selftest-offscreen.txt" 2>&1 \
  || { cat "$OUT/selftest-offscreen.txt" >&2; die "gkdesk selftest (offscreen)"; }
tail -4 "$OUT/selftest-offscreen.txt" >&2
as_clerk "xvfb-run -a -s '-screen 0 1280x800x24' gkdesk selftest" >"$OUT/selftest-xvfb.txt" 2>&1 \
  || { cat "$OUT/selftest-xvfb.txt" >&2; die "gkdesk selftest (xvfb-run)"; }
tail -4 "$OUT/selftest-xvfb.txt" >&2
in_root "$TESTROOT" sh -c "ldd --version | head -1" >&2
step "Debian 11 上安装与自检通过 / installed and selftest passed (offscreen, Xvfb)"
say "完成 / done: dist/linux-compat/$DEB_NAME, $(( $(date +%s) - t0 ))s"
