"""A second real process that holds a data directory open, driven line by line over stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HOLDER = r"""
import sys
from gkdesk import dirlock
dirlock.set_program(sys.argv[2])
from gkdesk.app import Workspace, setup
from gkdesk.errors import GkError
ws = Workspace.open(sys.argv[1], operator="测试员")
print("ready", flush=True)
for line in sys.stdin:
    cmd, _, arg = line.strip().partition(" ")
    try:
        if cmd == "add":
            setup.add_village(ws, arg, 1)
            print("ok", flush=True)
        elif cmd == "close":
            ws.close()
            print("closed", flush=True)
        elif cmd == "reopen":
            ws.reopen()
            print("ok", flush=True)
    except GkError as exc:
        print("refused " + exc.message.replace("\n", " "), flush=True)
"""


class Holder:
    """``python -c HOLDER DATA PROGRAM``: a window (or command) keeping the data open."""

    def __init__(self, data_dir: Path, program: str = "window") -> None:
        env = dict(os.environ, PYTHONPATH=os.getcwd())
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir), program],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     encoding="utf-8", env=env)
        assert self.read() == "ready"

    @property
    def pid(self) -> int:
        return self.proc.pid

    def read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def send(self, line: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        return self.read()

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)


def village_names(db: Path) -> set[str]:
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {r[0] for r in con.execute("SELECT name FROM village WHERE deleted_at IS NULL")}
    finally:
        con.close()
