"""Shared fixtures: a real data directory with a real SQLite file, and CLI runners."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("GKDESK_OPERATOR", "测试员")

from gkdesk import township
from gkdesk.cli import main as cli_main
from gkdesk.store import Store, open_store


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture
def store(data_dir: Path) -> Store:
    """An initialised township (高桥镇) with three villages."""
    s = open_store(data_dir)
    with s.session() as ses:
        township.init_installation(ses, "高桥镇", "511702101", "通川区", operator="测试员",
                                   supervision_phone="0818-2345678")
        township.add_village(ses, "高桥村", 5, "测试员")
        township.add_village(ses, "柳树村", 3, "测试员")
        township.add_village(ses, "新华社区", 2, "测试员")
    yield s
    s.close()


@dataclass
class CliRun:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(data_dir: Path, capsys: pytest.CaptureFixture[str]):
    """Run ``gkdesk --data-dir DATA …`` in-process (fast); returns CliRun."""

    def run(*argv: str) -> CliRun:
        code = cli_main(["--data-dir", str(data_dir), *argv])
        cap = capsys.readouterr()
        return CliRun(code, cap.out, cap.err)

    return run


def run_gkdesk(*argv: str, data_dir: Path | None = None, timeout: float = 120) -> CliRun:
    """Run the real console entry point in a fresh process."""
    cmd = [sys.executable, "-m", "gkdesk"]
    if data_dir is not None:
        cmd += ["--data-dir", str(data_dir)]
    proc = subprocess.run(cmd + list(argv), capture_output=True, text=True, encoding="utf-8", timeout=timeout)
    return CliRun(proc.returncode, proc.stdout, proc.stderr)
