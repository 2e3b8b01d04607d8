"""Restore and a second process: the data directory's open/restore locks, with real processes.

The failure this guards against: a restore replaced the database under another process's
live connection; both said "success", and what that process saved afterwards was in no file.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
import types
from pathlib import Path

import pytest

from gkdesk import dirlock
from gkdesk.store import open_store
from tests.conftest import run_gkdesk
from tests.store_lock_helpers import Holder, village_names


def _township(data: Path) -> None:
    """高桥镇 with one village, and a backup of exactly that (backup no. 1)."""
    from gkdesk import backups, township

    store = open_store(data)
    with store.session() as s:
        township.init_installation(s, "高桥镇", "511702101", "通川区", operator="测试员")
        township.add_village(s, "高桥村", 5, "测试员")
    store.close()
    assert backups.create_backup(data, "manual", force=True) is not None


def test_restore_is_refused_while_a_window_has_the_data_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _township(data)
    win = Holder(data, "window")
    try:
        assert win.send("add 柳树村") == "ok"  # saved after the backup: a restore would drop it
        res = run_gkdesk("backup", "restore", "1", data_dir=data)
        assert res.code == 1, res.err
        assert "窗口" in res.err and f"进程号 {win.pid}" in res.err and "不能从备份恢复" in res.err
        assert "Traceback" not in res.err
        # the window keeps working on the same file, and what it saves is in that file
        assert win.send("add 新华社区") == "ok"
        assert {"高桥村", "柳树村", "新华社区"} <= village_names(data / "gkdesk.sqlite3")
    finally:
        win.stop()
    # with the window closed, the same restore goes through and reports what it replaced
    res = run_gkdesk("backup", "restore", "1", data_dir=data)
    assert res.code == 0, res.err
    names = village_names(data / "gkdesk.sqlite3")
    assert "高桥村" in names and "新华社区" not in names


def test_a_command_is_named_too_and_its_lock_goes_with_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _township(data)
    cmd = Holder(data, "cli")
    res = run_gkdesk("backup", "restore", data_dir=data)
    assert res.code == 1 and f"命令行(进程号 {cmd.pid}" in res.err
    cmd.kill()  # SIGKILL: no chance to clean up; the kernel drops the lock, the info file is stale
    res = run_gkdesk("backup", "restore", data_dir=data)
    assert res.code == 0, res.err
    assert not list((data / dirlock.INFO_DIRNAME).glob("*.json"))


def test_restore_keeps_what_a_killed_process_left_in_the_wal(tmp_path: Path) -> None:
    """A killed writer's committed rows live in ``-wal``; restore must fold them into the safety
    backup (never delete the WAL), and no stale WAL may be replayed onto the restored file."""
    data = tmp_path / "data"
    _township(data)
    win = Holder(data, "window")
    assert win.send("add 只在WAL里的村") == "ok"
    win.kill()
    assert Path(str(data / "gkdesk.sqlite3") + "-wal").stat().st_size > 0
    res = run_gkdesk("--json", "backup", "restore", "1", data_dir=data)
    assert res.code == 0, res.err
    import json

    safety = Path(json.loads(res.out)["safety_backup"]["path"])
    assert "只在WAL里的村" in village_names(safety)
    assert "只在WAL里的村" not in village_names(data / "gkdesk.sqlite3")
    con = sqlite3.connect(data / "gkdesk.sqlite3")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert run_gkdesk("check", data_dir=data).code == 0


def test_opening_during_a_restore_waits_then_names_the_restorer(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _township(data)
    with dirlock.acquire(data, exclusive=True):
        res = run_gkdesk("villages", "list", data_dir=data)
    assert res.code == 1, res.err
    assert "正在从备份恢复" in res.err and f"进程号 {__import__('os').getpid()}" in res.err
    assert run_gkdesk("villages", "list", data_dir=data).code == 0


def test_open_waits_for_a_short_restore_instead_of_failing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _township(data)
    lock = dirlock.acquire(data, exclusive=True)
    threading.Timer(1.0, lock.release).start()
    store = open_store(data)  # waits up to 5 s for the restore to finish
    store.close()


def test_in_process_restore_releases_and_takes_back_the_open_lock(tmp_path: Path) -> None:
    from gkdesk.app import Workspace
    from gkdesk.app import backups as ops

    data = tmp_path / "data"
    _township(data)
    ws = Workspace.open(data, operator="测试员")
    res = ops.restore(ws, "1")
    assert res.backup.path.exists()
    assert ws.store.lock is not None and ws.store.lock.held
    with pytest.raises(dirlock.DirectoryBusy):
        dirlock.acquire(data, exclusive=True)
    ws.close()
    dirlock.acquire(data, exclusive=True).release()


def test_busy_write_names_the_other_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """A write blocked by another process's open transaction: a message, not a 30 s traceback."""
    from gkdesk import store as store_mod

    data = tmp_path / "data"
    _township(data)
    win = Holder(data, "window")
    blocker = sqlite3.connect(data / "gkdesk.sqlite3", timeout=1)
    blocker.execute("BEGIN IMMEDIATE")  # another writer mid-transaction
    try:
        monkeypatch.setattr(store_mod, "BUSY_TIMEOUT_S", 1)
        from gkdesk.cli import main

        code = main(["--data-dir", str(data), "villages", "add", "等待村"])
    finally:
        blocker.rollback()
        blocker.close()
        win.stop()
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"窗口(进程号 {win.pid}" in err and "正在写入数据库" in err and "Traceback" not in err
    assert "等待村" not in village_names(data / "gkdesk.sqlite3")


def test_windows_lock_path_calls_lockfileex_with_the_right_flags() -> None:
    """The Windows branch, imported with stand-ins for kernel32 and msvcrt (only Windows can run
    it for real): shared = fail-immediately, exclusive adds LOCKFILE_EXCLUSIVE_LOCK, on a byte
    past any content so readers of the info file are never blocked."""
    import ctypes

    calls: list[tuple[str, tuple[object, ...]]] = []

    class Fn:
        def __init__(self, name: str, result: int = 1) -> None:
            self.name, self.result = name, result

        def __call__(self, *args: object) -> int:
            calls.append((self.name, args))
            return self.result

    k32 = types.SimpleNamespace(LockFileEx=Fn("LockFileEx"), UnlockFileEx=Fn("UnlockFileEx"),
                                OpenProcess=Fn("OpenProcess", 0), CloseHandle=Fn("CloseHandle"))
    fake_msvcrt = types.ModuleType("msvcrt")
    fake_msvcrt.get_osfhandle = lambda fd: 1000 + fd  # type: ignore[attr-defined]
    src = Path(dirlock.__file__).read_text(encoding="utf-8")
    mod = types.ModuleType("gkdesk_dirlock_win")
    saved = sys.platform, sys.modules.get("msvcrt"), getattr(ctypes, "WinDLL", None)
    try:
        sys.platform = "win32"
        sys.modules["msvcrt"] = fake_msvcrt
        ctypes.WinDLL = lambda name, use_last_error=False: k32  # type: ignore[attr-defined]
        sys.modules[mod.__name__] = mod  # dataclasses look their module up
        exec(compile(src, "dirlock.py", "exec"), mod.__dict__)
    finally:
        sys.modules.pop(mod.__name__, None)
        sys.platform = saved[0]
        if saved[1] is None:
            sys.modules.pop("msvcrt", None)
        if saved[2] is None:
            del ctypes.WinDLL  # type: ignore[attr-defined]
    assert mod._try_lock(3, False) and mod._try_lock(3, True)
    (_, shared), (_, excl) = calls
    assert shared[0] == 1003 and shared[1] == 0x01 and excl[1] == 0x03
    assert shared[4] == 0  # nNumberOfBytesToLockHigh
    assert mod._pid_alive(12345) is False
    mod._unlock(3)
    assert calls[-1][0] == "UnlockFileEx"
