#!/usr/bin/env bash
# The two commands of README.md:
#   bash scripts/gk.sh run    set everything up, then open the window
#   bash scripts/gk.sh test   set everything up, then run the whole test suite
# Safe to run again: each step checks what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages Qt, Chinese fonts, PDF rendering and the county's PostgreSQL tests need.
DEB_PKGS="libglib2.0-0 libegl1 libgl1 libdbus-1-3 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xinerama0
libxcb-randr0 libxcb-shape0 libxcb-xkb1 fonts-wqy-microhei fonts-noto-cjk fonts-hanazono poppler-utils poppler-data xvfb
postgresql"

install_debs() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local missing=()
  for p in $DEB_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local SUDO=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
      echo "提示 / note: 缺少系统软件包 / missing Debian packages: ${missing[*]} (以 root 运行本脚本可自动安装 / run as root to install)" >&2
      return 0
    fi
  fi
  echo "安装系统软件包 / installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_python() {
  local py="${PYTHON:-python3}"
  if [ ! -x .venv/bin/python ]; then "$py" -m venv .venv; fi
  local stamp=.venv/.gkdesk-lock
  if [ ! -f "$stamp" ] || ! cmp -s requirements.lock "$stamp"; then
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
    cp requirements.lock "$stamp"
  fi
  .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . >/dev/null
}

cmd="${1:-}"
case "$cmd" in
  run)
    install_debs; setup_python; shift
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
      echo "没有图形显示,使用 offscreen 模式启动 / no display: starting offscreen" >&2
      export QT_QPA_PLATFORM=offscreen
    fi
    exec .venv/bin/python -m gkdesk.ui.app "$@"
    ;;
  test)
    install_debs; setup_python; shift
    export QT_QPA_PLATFORM=offscreen
    # --- county tests on a throwaway PostgreSQL (scripts/pg_test.sh) ---
    # shellcheck source=scripts/pg_test.sh
    . scripts/pg_test.sh
    pg_test_start
    trap pg_test_stop EXIT
    .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
    ;;
  *)
    echo "用法 / usage: bash scripts/gk.sh run|test" >&2; exit 2 ;;
esac
