#!/usr/bin/env bash
# arm64 (Kunpeng / Phytium, Kylin V10 arm64): how far the release gets from an x86_64 machine.
#
#   sudo bash installers/linux/probe-arm64.sh
#
# What it does (not a release build; see installers/README.md, "arm64"):
#   1. checks that every pin of requirements-linux-compat.lock and requirements-build.lock
#      has an aarch64 wheel tagged manylinux_2_31 or older (Kylin V10 = glibc 2.31);
#   2. makes a Debian 11 arm64 root (glibc 2.31) with debootstrap + qemu-user-static;
#   3. installs the PySide6 6.8.0.2 aarch64 wheels (abi3) into Debian 11's own Python 3.9
#      there and draws a window offscreen with QtWidgets + QtPdf, saving a PNG;
#   4. runs check_glibc.py over the installed Qt (floor 2.31).
# binfmt_misc is enabled for qemu-aarch64 only while it runs and restored afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap, chroot, binfmt)" >&2; exit 2; }
B="$ROOT/build/linux-arm64"
R="$B/root"
mkdir -p "$B/logs"
t0=$(date +%s)
say() { echo "[arm64 $(( $(date +%s) - t0 ))s] $*" >&2; }
die() { echo "[arm64] FAILED: $*" >&2; exit 1; }

need=()
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
[ -x /usr/bin/qemu-aarch64-static ] || need+=(qemu-user-static)
command -v update-binfmts >/dev/null 2>&1 || need+=(binfmt-support)
command -v readelf >/dev/null 2>&1 || need+=(binutils)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >"$B/logs/apt-host.log"
fi
[ -x "$B/hostvenv/bin/pip" ] || python3 -m venv "$B/hostvenv"

# 1. wheels
PLAT=()
for v in 31 30 29 28 27 26 25 24 23 22 21 20 19 18 17; do PLAT+=(--platform "manylinux_2_${v}_aarch64"); done
PLAT+=(--platform manylinux2014_aarch64)
"$B/hostvenv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: "${PLAT[@]}" \
  --python-version 3.11 --implementation cp -d "$B/wheels" \
  -r requirements-linux-compat.lock -r requirements-build.lock >"$B/logs/pip-download.log" 2>&1 \
  || { grep -v WARNING "$B/logs/pip-download.log" | tail -5 >&2; die "a pin has no aarch64 wheel <= manylinux_2_31"; }
say "every pin has an aarch64 wheel <= manylinux_2_31 ($(find "$B/wheels" -name '*.whl' | wc -l) files)"
ls "$B/wheels" | grep -E '^(PySide6|shiboken6)' >&2

# binfmt for qemu-aarch64, restored on exit
MOUNTED_BINFMT=0
ENABLED_BINFMT=0
MOUNTS=()
cleanup() {
  local i
  for (( i=${#MOUNTS[@]}-1; i>=0; i-- )); do umount -l "${MOUNTS[$i]}" 2>/dev/null || true; done
  [ "$ENABLED_BINFMT" = 0 ] || update-binfmts --disable qemu-aarch64 >/dev/null 2>&1 || true
  [ "$MOUNTED_BINFMT" = 0 ] || umount /proc/sys/fs/binfmt_misc 2>/dev/null || true
}
trap cleanup EXIT
if ! mountpoint -q /proc/sys/fs/binfmt_misc; then
  mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc && MOUNTED_BINFMT=1
fi
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || ! grep -q enabled /proc/sys/fs/binfmt_misc/qemu-aarch64; then
  update-binfmts --enable qemu-aarch64 && ENABLED_BINFMT=1
fi

# 2. the arm64 root
if [ ! -f "$R/.ready" ]; then
  say "debootstrap --arch=arm64 bullseye (under qemu: several minutes)"
  rm -rf "$R"
  debootstrap --variant=minbase --arch=arm64 bullseye "$R" http://deb.debian.org/debian >"$B/logs/debootstrap.log" 2>&1 \
    || { tail -5 "$B/logs/debootstrap.log" >&2; die debootstrap; }
  touch "$R/.ready"
fi
mountpoint -q "$R/proc" || { mount -t proc proc "$R/proc"; MOUNTS+=("$R/proc"); }
cp /etc/resolv.conf "$R/etc/resolv.conf"
inr() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }
if [ ! -f "$R/.qt-ready" ]; then
  say "Qt's system libraries + python3.9 in the arm64 root"
  inr sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends python3 python3-venv libglib2.0-0 libgl1 libegl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libx11-xcb1 fonts-wqy-microhei binutils" \
    >"$B/logs/apt-root.log" 2>&1 || { tail -5 "$B/logs/apt-root.log" >&2; die "apt-get in the arm64 root"; }
  rm -rf "$R/wheels" && mkdir -p "$R/wheels" && cp "$B"/wheels/{PySide6,shiboken6}*.whl "$R/wheels/"
  inr sh -c "python3 -m venv /opt/qt && /opt/qt/bin/pip install -q --no-index --find-links /wheels PySide6_Essentials==6.8.0.2 PySide6_Addons==6.8.0.2" \
    >"$B/logs/pip-root.log" 2>&1 || { tail -5 "$B/logs/pip-root.log" >&2; die "pip install PySide6 in the arm64 root"; }
  touch "$R/.qt-ready"
fi

# 3. a window, offscreen, with Chinese text and QtPdf loaded
cat >"$R/root/probe.py" <<'EOF'
import platform, time
t = time.time()
from PySide6 import QtCore, QtWidgets, QtPdf  # noqa: F401  (QtPdf: the notice preview)
app = QtWidgets.QApplication(["probe", "-platform", "offscreen"])
w = QtWidgets.QLabel("基层政务公开桌面助手 — arm64 / Qt " + QtCore.qVersion())
w.resize(520, 80)
w.show()
app.processEvents()
assert w.grab().save("/root/arm64-offscreen.png")
print(platform.machine(), platform.libc_ver(), "Qt", QtCore.qVersion(), f"{time.time() - t:.1f}s")
EOF
inr /opt/qt/bin/python /root/probe.py | tee "$B/logs/probe.txt" >&2 || die "PySide6 offscreen window under qemu"
cp "$R/root/arm64-offscreen.png" "$B/arm64-offscreen.png"
python3 installers/linux/check_glibc.py "$R/opt/qt/lib/python3.9/site-packages/PySide6" --max 2.31 -q | tail -1 >&2 \
  || die "PySide6 aarch64 needs more than glibc 2.31"
say "done: $B/arm64-offscreen.png"
