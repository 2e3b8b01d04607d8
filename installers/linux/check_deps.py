"""Which system libraries does the one-folder bundle need, and which glibc?

The spec leaves X11/xcb, fontconfig, glib, GL/EGL, CUPS … to the system; the .deb must
declare a package for every one of them. This script reads every ELF file in the bundle
(``readelf``, from binutils, which PyInstaller needs anyway), lists the libraries they
need that the bundle does not carry, maps each to its Debian package, and prints the
``Depends:`` value. An unknown library fails the build, so a new feature that pulls in
a new system library cannot ship a .deb that crashes on start.

    python3 installers/linux/check_deps.py dist/gkdesk            # prints Depends
    python3 installers/linux/check_deps.py dist/gkdesk --report   # human-readable list
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

# soname -> Debian/Ubuntu/UOS/Kylin package (names valid from Debian 10 / Ubuntu 20.04 on).
SONAME_PACKAGES = {
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libOpenGL.so.0": "libopengl0",
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0", "libgio-2.0.so.0": "libglib2.0-0",
    "libgmodule-2.0.so.0": "libglib2.0-0",  # libQt6Pdf of Qt 6.8
    "libdbus-1.so.3": "libdbus-1-3", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1",
    "libXext.so.6": "libxext6", "libXrender.so.1": "libxrender1", "libxcb.so.1": "libxcb1",
    "libxcb-glx.so.0": "libxcb-glx0", "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libcups.so.2": "libcups2", "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libbrotlidec.so.1": "libbrotli1", "libbrotlicommon.so.1": "libbrotli1",
    "libpng16.so.16": "libpng16-16", "libjpeg.so.62": "libjpeg62-turbo | libjpeg-turbo8",
}
# Part of libc6 itself.
LIBC = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1", "libutil.so.1",
        "libresolv.so.2", "libcrypt.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}
# Only the (dropped) GTK theme plugin or tools would need these; never expected.
ALWAYS_FONTS = "fonts-wqy-microhei | fonts-noto-cjk | fonts-wqy-zenhei"


def elf_files(root: Path) -> list[Path]:
    out = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            with p.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    out.append(p)
    return out


def needed(path: Path) -> list[str]:
    text = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True).stdout
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", text)


def glibc_versions(path: Path) -> set[tuple[int, ...]]:
    text = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True, text=True).stdout
    return {tuple(int(x) for x in v.split(".")) for v in re.findall(r"Name: GLIBC_([0-9.]+)", text)}


def analyse(root: Path) -> tuple[dict[str, list[str]], tuple[int, ...]]:
    files = elf_files(root)
    bundled = {p.name for p in root.rglob("*")}
    external: dict[str, list[str]] = {}
    glibc: set[tuple[int, ...]] = set()
    for f in files:
        for lib in needed(f):
            if lib not in bundled:
                external.setdefault(lib, []).append(str(f.relative_to(root)))
        glibc |= glibc_versions(f)
    return external, max(glibc) if glibc else (2, 17)


def depends(root: Path) -> tuple[str, list[str]]:
    external, glibc = analyse(root)
    unknown = sorted(lib for lib in external if lib not in LIBC and lib not in SONAME_PACKAGES)
    pkgs = sorted({SONAME_PACKAGES[lib] for lib in external if lib in SONAME_PACKAGES})
    value = ", ".join([f"libc6 (>= {'.'.join(map(str, glibc))})", *pkgs, ALWAYS_FONTS])
    problems = [f"{lib}(被 {external[lib][0]} 等 {len(external[lib])} 个文件需要)" for lib in unknown]
    return value, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--report", action="store_true")
    args = ap.parse_args()
    if args.report:
        external, glibc = analyse(args.bundle)
        for lib in sorted(external):
            print(f"{lib:28} {SONAME_PACKAGES.get(lib, 'libc6' if lib in LIBC else '??')}  ← {external[lib][0]}")
        print(f"glibc >= {'.'.join(map(str, glibc))}")
    value, problems = depends(args.bundle)
    if problems:
        print("未知的系统库依赖(请在 check_deps.py 中补上对应的软件包):\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    if not args.report:
        print(value)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
