"""Benchmark: `gkdesk payouts import` of 100,000-row .xlsx files vs a bare calamine read of each.

Three files: today's (title rows, 10 columns, 3 villages), a varied 一卡通-style export (40
villages, a 村组 column written five ways, social-security and bank accounts, phone numbers,
columns found by content and header scoring), and today's list as Excel and WPS save a workbook
(texts in a shared-strings table; openpyxl's write-only mode, which makes the other two, writes
every text inline).

Both are timed as whole processes (interpreter start included), interleaved, and the
median of each is compared: the floor is what reading the sheet costs at all, so the
ratio says what validation + storage add. Target: ratio ≤ 2.0, peak memory ≤ 400 MB.

    .venv/bin/python benchmarks/payout_import.py [--rows 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_payout_file import VARIED_VILLAGES, as_excel_saves, make, make_varied

BARE = ("import sys\nfrom python_calamine import CalamineWorkbook\n"
        "rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python(skip_empty_area=False)\n"
        "print(len(rows))\n")


def timed(cmd: list[str]) -> tuple[float, float, int, str, float]:
    """(seconds, peak RSS in MB, exit code, stdout, CPU seconds) of one child process.

    CPU seconds (user + system, all threads) are reported beside wall time: on a machine
    shared with other work the wall ratio swings with the load, the CPU ratio much less."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    out = proc.stdout.read().decode("utf-8", "replace") if proc.stdout else ""
    code = os.waitstatus_to_exitcode(status)
    if code:
        sys.stderr.write(proc.stderr.read().decode("utf-8", "replace") if proc.stderr else "")
    return elapsed, usage.ru_maxrss / 1024, code, out, usage.ru_utime + usage.ru_stime


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keep", metavar="DIR", help="reuse/keep the generated file in DIR")
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="gkbench-"))
    work.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    template = work / "template"
    if not template.exists():
        for argv in (["init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区"],
                     ["villages", "add", "高桥村"], ["villages", "add", "柳树村"], ["villages", "add", "新华社区"],
                     *[["villages", "add", v] for v in VARIED_VILLAGES if v not in ("高桥村", "柳树村")],
                     ["payouts", "programs"]):
            subprocess.run([py, "-m", "gkdesk", "--data-dir", str(template), *argv], check=True, capture_output=True)
    bare_script = work / "bare_read.py"
    bare_script.write_text(BARE, encoding="utf-8")
    worst = 0.0
    peak = 0.0
    for label, name, maker in (("today's list", "payouts", make), ("varied export", "varied", make_varied),
                               ("today's list as Excel saves it", "payouts-shared", None)):
        xlsx = work / f"{name}-{a.rows}.xlsx"
        if not xlsx.exists():
            t = time.perf_counter()
            if maker is None:  # the texts in a shared-strings table, as Excel and WPS write them
                as_excel_saves(work / f"payouts-{a.rows}.xlsx", xlsx)
            else:
                maker(xlsx, a.rows)
            print(f"generated {xlsx} ({xlsx.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t:.1f}s")
        r, m = measure(label, py, xlsx, template, work, bare_script, a.runs)
        if r < 0:
            return 1
        worst, peak = max(worst, r), max(peak, m)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(f"worst ratio: {worst:.2f}x (target <= 2.0x), peak memory {peak:.0f} MB (target <= 400 MB)")
    return 0 if worst <= 2.0 and peak <= 400 else 1


def measure(label: str, py: str, xlsx: Path, template: Path, work: Path, bare_script: Path,
            runs: int) -> tuple[float, float]:
    """(median import / median bare read, peak import RSS) for one file; (-1, 0) if the import failed."""
    imports, bares, mem_import, mem_bare, cpu_import, cpu_bare = [], [], [], [], [], []
    for i in range(runs):
        data = work / f"run{i}"
        shutil.rmtree(data, ignore_errors=True)
        shutil.copytree(template, data)
        t, mem, code, out, cpu = timed([py, "-m", "gkdesk", "--data-dir", str(data), "payouts", "import", str(xlsx),
                                   "--program", "耕地地力保护补贴", "--year", "2026", "--json"])
        if code != 0:
            print(f"import failed (exit {code}):\n{out[:2000]}")
            return -1.0, 0.0
        imports.append(t)
        mem_import.append(mem)
        cpu_import.append(cpu)
        t, mem, code, out, cpu = timed([py, str(bare_script), str(xlsx)])
        bares.append(t)
        mem_bare.append(mem)
        cpu_bare.append(cpu)
        shutil.rmtree(data, ignore_errors=True)
    mi, mb = statistics.median(imports), statistics.median(bares)
    print(f"== {label}: {xlsx.name}, runs: {runs}")
    print(f"gkdesk payouts import: median {mi:.2f}s  (runs: {', '.join(f'{x:.2f}' for x in imports)})  "
          f"peak {max(mem_import):.0f} MB")
    print(f"bare calamine read:    median {mb:.2f}s  (runs: {', '.join(f'{x:.2f}' for x in bares)})  "
          f"peak {max(mem_bare):.0f} MB")
    ratio = mi / mb
    ci, cb = statistics.median(cpu_import), statistics.median(cpu_bare)
    print(f"ratio: {ratio:.2f}x   (CPU seconds: import {ci:.2f}, bare {cb:.2f}, ratio {ci / cb:.2f}x; "
          f"load average {os.getloadavg()[0]:.2f})")
    return ratio, max(mem_import)


if __name__ == "__main__":
    raise SystemExit(main())
