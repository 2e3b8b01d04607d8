"""Machinery of the fault suite: warm CLI children to kill, data to kill them on, the tally.

A child imports the CLI and the heavy modules first and says "ready"; the parent then says
"go" and kills it after a seeded random delay within the measured length of the operation,
so every trial lands inside the work rather than in Python's start-up. The command itself
is the real ``gkdesk.cli.main`` on a real data directory.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from tests.payout_files import pid

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("GKDESK_FAULTS_LONG") == "1"
SEED = int(os.environ.get("GKDESK_FAULTS_SEED", "20261206"))


def trials(ci: int = 20, long: int = 100) -> int:
    return long if LONG else ci


def rng(name: str) -> random.Random:
    return random.Random(f"{SEED}-{name}")


@dataclass
class Tally:
    tried: int = 0
    survived: int = 0
    rows_lost: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def record(self, name: str, ok: bool, rows_lost: int = 0, detail: str = "") -> None:
        self.tried += 1
        self.rows_lost += rows_lost
        if ok and rows_lost == 0:
            self.survived += 1
        else:
            self.failures.append(f"{name}: {detail or 'rows lost'} (lost {rows_lost})")


TALLY = Tally()

ZYGOTE = r"""
import json, os, signal, sys, time
sys.argv[0] = "gkdesk"
from gkdesk.cli import main, build_parser
build_parser()
import gkdesk.app.payouts, gkdesk.app.backups, gkdesk.app.sync, gkdesk.app.notices  # noqa
import gkdesk.payouts.importer, gkdesk.sync.importer, gkdesk.store, gkdesk.models  # noqa
import gkdesk.notices  # noqa
try:
    import reportlab.pdfgen.canvas, python_calamine, openpyxl  # noqa
except ImportError:
    pass
print("ready", flush=True)
for line in sys.stdin:
    req = json.loads(line)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the command: the real CLI, its output to a log file
        fd = os.open(req["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        code = 99
        try:
            code = main(req["argv"])
        except BaseException:  # shown, so that the suite can see a traceback reached the clerk
            import traceback
            traceback.print_exc()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    delay, killed = req["delay"], False
    while True:  # only the parent may kill: a reaped pid could already belong to someone else
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if delay is not None and time.monotonic() - t0 >= delay:
            os.kill(pid, signal.SIGKILL)
            killed = True
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(0.002)
    print(json.dumps({"code": os.waitstatus_to_exitcode(status), "killed": killed,
                      "elapsed": time.monotonic() - t0}), flush=True)
"""


class Zygote:
    """A warm process that forks one child per command: trials cost the work, not Python's start-up."""

    _instance: Zygote | None = None

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env)
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "ready"

    @classmethod
    def get(cls) -> Zygote:
        if cls._instance is None or cls._instance.proc.poll() is not None:
            cls._instance = cls()
        return cls._instance

    def run(self, argv: tuple[str, ...], log: Path, delay: float | None) -> tuple[bool, int, float, str]:
        import json

        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"argv": list(argv), "log": str(log), "delay": delay}) + "\n")
        self.proc.stdin.flush()
        res = json.loads(self.proc.stdout.readline())
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        log.unlink(missing_ok=True)
        return res["killed"], res["code"], res["elapsed"], text


@dataclass
class Trial:
    index: int
    data: Path
    killed: bool
    code: int
    err: str  # the command's stdout and stderr together


def run_timed(*argv: str) -> tuple[float, int, str, str]:
    """Run once untouched: how long the work itself takes (the window random kills fall in)."""
    log = Path(argv[1]).parent / "ref.log"
    _, code, elapsed, text = Zygote.get().run(argv, log, None)
    return elapsed, code, text, text


def kill_trials(name: str, template: Path, work: Path, argv, duration: float, n: int):  # type: ignore[no-untyped-def]
    """Yield ``n`` trials: a fresh copy of ``template``, the command ``argv(data)`` killed after a
    seeded random delay in [0, 1.1 x duration] (or finishing first)."""
    r = rng(name)
    for i in range(n):
        d = copy_dir(template, work / f"{name}-{i:03d}")
        killed, code, _, text = Zygote.get().run(argv(d), work / f"{name}-{i:03d}.log", r.uniform(0, duration * 1.1))
        yield Trial(i, d, killed, code, text)
        shutil.rmtree(d, ignore_errors=True)


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def count(db: Path, table: str, where: str = "") -> int:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(con.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0])
    finally:
        con.close()


def names(db: Path, table: str = "village") -> set[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute(f"SELECT name FROM {table} WHERE deleted_at IS NULL")}
    finally:
        con.close()


def gk_check(data: Path) -> tuple[int, str]:
    """``gkdesk check`` on the data directory (in this process: the real CLI, no start-up cost)."""
    import contextlib
    import io

    from gkdesk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data), "check"])
    return code, out.getvalue() + err.getvalue()


def copy_dir(src: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    return dst


def make_township(data: Path, villages: int = 6) -> None:
    from gkdesk import township
    from gkdesk.store import open_store

    store = open_store(data)
    with store.session() as s:
        township.init_installation(s, "高桥镇", "511702101", "通川区", operator="测试员")
        for i in range(villages):
            township.add_village(s, ["高桥村", "柳树村", "新华社区", "石桥村", "白果村", "双河村"][i % 6]
                                 + ("" if i < 6 else str(i)), 3, "测试员")
    store.close()


def payout_list(path: Path, rows: int) -> Path:
    """A plain payout list of ``rows`` people over the six villages."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("清册")
    ws.append(["序号", "村(社区)", "组", "姓名", "身份证号码", "一卡通账号", "补贴面积（亩）", "补贴标准", "补贴金额（元）"])
    villages = ["高桥村", "柳树村", "新华社区", "石桥村", "白果村", "双河村"]
    for i in range(1, rows + 1):
        area = 1 + (i % 7) * 0.5
        ws.append([i, villages[i % 6], f"{1 + i % 3}组", f"张{i:05d}", pid(i), f"6217{i:015d}",
                   area, 131.42, round(area * 131.42, 2)])
    wb.save(path)
    return path


def traceback_free(text: str) -> bool:
    return "Traceback" not in text
