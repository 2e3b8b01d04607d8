"""List the highest GLIBC symbol version every ELF file in a bundle needs; fail above a floor.

UOS V20 has glibc 2.28 and Kylin V10 2.31: one symbol versioned GLIBC_2.29 anywhere in
the bundle (say ``exp@GLIBC_2.29`` in libpython) and the program does not start there, or
worse, a module fails only when first imported. This reads the version-needs section of
every ELF file (``readelf -V``, binutils) rather than trusting wheel tags, and names the
symbols that exceed the floor (``objdump -T``) so the fix is obvious.

    python3 installers/linux/check_glibc.py dist/gkdesk                # floor 2.28
    python3 installers/linux/check_glibc.py dist/gkdesk --max 2.31 -q  # only the verdict

Exit status 0 when every file is at or below ``--max``, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

Version = tuple[int, ...]


def parse_version(text: str) -> Version:
    return tuple(int(x) for x in text.split("."))


def show(v: Version) -> str:
    return ".".join(map(str, v))


def elf_files(root: Path) -> list[Path]:
    out = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and not p.is_symlink():
            with p.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    out.append(p)
    return out


def needed_glibc(path: Path) -> set[Version]:
    """GLIBC_x.y versions the file needs from libc/libm/libpthread … (verneed entries)."""
    text = subprocess.run(["readelf", "-V", "-W", str(path)], capture_output=True, text=True).stdout
    # Only the "Version needs" section: a file's own definitions do not raise its floor.
    needs = text.split("Version needs section", 1)[1] if "Version needs section" in text else ""
    return {parse_version(v) for v in re.findall(r"Name: GLIBC_([0-9.]+)", needs)}


def symbols_above(path: Path, floor: Version) -> list[str]:
    text = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
    out = set()
    for m in re.finditer(r"\*UND\*\s+\S+\s+(?:\(?GLIBC_([0-9.]+)\)?)\s+(\S+)", text):
        if parse_version(m.group(1)) > floor:
            out.add(f"{m.group(2)}@GLIBC_{m.group(1)}")
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("bundle", type=Path)
    ap.add_argument("--max", default="2.28", help="highest allowed GLIBC version (default 2.28)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print only files above the floor and the verdict")
    args = ap.parse_args(argv)
    floor = parse_version(args.max)
    files = elf_files(args.bundle)
    if not files:
        print(f"{args.bundle}: no ELF files", file=sys.stderr)
        return 2
    worst: Version = (0,)
    bad = 0
    width = max(len(str(f.relative_to(args.bundle))) for f in files)
    for f in files:
        versions = needed_glibc(f)
        top = max(versions) if versions else None
        rel = str(f.relative_to(args.bundle))
        over = top is not None and top > floor
        if over:
            bad += 1
        if top is not None:
            worst = max(worst, top)
        if over or not args.quiet:
            label = f"GLIBC_{show(top)}" if top else "-"
            print(f"{rel:<{width}}  {label}{'  > ' + args.max if over else ''}")
        if over:
            for sym in symbols_above(f, floor):
                print(f"{'':<{width}}    {sym}")
    print(f"{len(files)} ELF files; highest GLIBC needed: {show(worst)}; floor {args.max}: "
          f"{'OK' if bad == 0 else f'{bad} file(s) above'}")
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
