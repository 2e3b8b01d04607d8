"""Who has a data directory open: a shared "open" lock per process, an exclusive one for restore.

Every process that opens a data directory (the window for its lifetime, a command for
its run) holds a *shared* lock on ``gkdesk.lock``; restoring a backup needs the
*exclusive* lock, so it cannot replace the database under another process's live
connection — the failure that once made a restore and an import both "succeed" with
the import's rows gone. Beside each holder's lock a small ``locks/<pid>.json`` names
the program (窗口 / 命令行), its pid and since when, so a refusal can say who to close.

Per platform: ``flock`` on POSIX (per open file, so two opens in one process also
conflict, exactly like two processes); ``LockFileEx`` on Windows, on one byte far past
the end of the file (Windows locks are mandatory: locking the bytes we read would stop
others reading the info). A killed process's lock goes with it; its info file is then
recognised as stale because its own lock can be taken, and is removed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gkdesk.errors import GkError

LOCK_FILENAME = "gkdesk.lock"
INFO_DIRNAME = "locks"

#: What this process calls itself in a refusal; the window's entry point sets 窗口.
PROGRAM = "命令行"

PROGRAM_LABELS = {"window": "窗口", "cli": "命令行"}


def set_program(label: str) -> None:
    global PROGRAM
    PROGRAM = PROGRAM_LABELS.get(label, label)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows; import-tested on Linux
    import ctypes
    import msvcrt
    from ctypes import wintypes

    _LOCKFILE_FAIL_IMMEDIATELY = 0x01
    _LOCKFILE_EXCLUSIVE_LOCK = 0x02
    _WIN_OFFSET = 0x7FFFFFF0  # far past any content we write: readers are never blocked

    class _OVERLAPPED(ctypes.Structure):
        _fields_ = [("Internal", ctypes.c_void_p), ("InternalHigh", ctypes.c_void_p),
                    ("Offset", wintypes.DWORD), ("OffsetHigh", wintypes.DWORD),
                    ("hEvent", wintypes.HANDLE)]

    _k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    _k32.LockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                                wintypes.DWORD, ctypes.POINTER(_OVERLAPPED)]
    _k32.LockFileEx.restype = wintypes.BOOL
    _k32.UnlockFileEx.argtypes = [wintypes.HANDLE, wintypes.DWORD, wintypes.DWORD, wintypes.DWORD,
                                  ctypes.POINTER(_OVERLAPPED)]
    _k32.UnlockFileEx.restype = wintypes.BOOL
    _k32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    _k32.OpenProcess.restype = wintypes.HANDLE
    _k32.CloseHandle.argtypes = [wintypes.HANDLE]
    _k32.CloseHandle.restype = wintypes.BOOL

    def _try_lock(fd: int, exclusive: bool) -> bool:
        ov = _OVERLAPPED(0, 0, _WIN_OFFSET, 0, None)
        flags = _LOCKFILE_FAIL_IMMEDIATELY | (_LOCKFILE_EXCLUSIVE_LOCK if exclusive else 0)
        handle = msvcrt.get_osfhandle(fd)
        return bool(_k32.LockFileEx(handle, flags, 0, 1, 0, ctypes.byref(ov)))

    def _unlock(fd: int) -> None:
        ov = _OVERLAPPED(0, 0, _WIN_OFFSET, 0, None)
        _k32.UnlockFileEx(msvcrt.get_osfhandle(fd), 0, 1, 0, ctypes.byref(ov))

    def _pid_alive(pid: int) -> bool:
        handle = _k32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        _k32.CloseHandle(handle)
        return True
else:
    import fcntl

    def _try_lock(fd: int, exclusive: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            return False
        except OSError as exc:  # a filesystem without locks (some network shares): do not block work
            import errno

            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                return True
            raise
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _pid_alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


@dataclass(frozen=True)
class Holder:
    """Another process that has the data directory open."""

    program: str
    pid: int
    since: datetime

    def describe(self) -> str:
        return f"{self.program}(进程号 {self.pid},自 {self.since:%Y-%m-%d %H:%M} 起)"


def _open_lock_file(path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, 0o600)


class DirLock:
    """One process's hold on a data directory. ``release`` is idempotent."""

    def __init__(self, data_dir: Path, fd: int, exclusive: bool, info_path: Path | None) -> None:
        self.data_dir = data_dir
        self.exclusive = exclusive
        self._fd: int | None = fd
        self._info_path = info_path

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        if self._info_path is not None:
            try:
                self._info_path.unlink(missing_ok=True)
            except OSError:
                pass
        try:
            _unlock(self._fd)
        except OSError:
            pass
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> DirLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:  # a forgotten lock must not outlive its owner object
        try:
            self.release()
        except Exception:  # interpreter shutdown
            pass


def _info_dir(data_dir: Path) -> Path:
    return Path(data_dir) / INFO_DIRNAME


def _write_info(data_dir: Path, exclusive: bool) -> Path | None:
    """Name this process beside the lock; best effort (a read-only directory still opens)."""
    d = _info_dir(data_dir)
    path = d / f"{os.getpid()}-{id(object())}.json"
    try:
        d.mkdir(mode=0o700, exist_ok=True)
        payload = {"program": PROGRAM, "pid": os.getpid(), "exclusive": exclusive,
                   "since": datetime.now().isoformat(timespec="seconds")}
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False)
    except OSError:
        return None
    return path


def holders(data_dir: Path, *, exclude_self: bool = True) -> list[Holder]:
    """The other processes named beside the lock (stale entries of dead processes are removed)."""
    out: list[Holder] = []
    d = _info_dir(data_dir)
    try:
        entries = sorted(d.glob("*.json"))
    except OSError:
        return out
    for p in entries:
        try:
            info = json.loads(p.read_text(encoding="utf-8"))
            pid = int(info["pid"])
            since = datetime.fromisoformat(str(info["since"]))
            program = str(info.get("program") or "程序")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if exclude_self and pid == os.getpid():
            continue
        if not _pid_alive(pid):
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass
            continue
        out.append(Holder(program, pid, since))
    return out


def describe_holders(data_dir: Path) -> str:
    found = holders(data_dir)
    if not found:
        return "另一个 gkdesk 程序"
    return "、".join(h.describe() for h in found)


class DirectoryBusy(GkError):
    """The lock is held by others; the message names them."""

    exit_code = 1
    code = "data_dir_busy"

    def __init__(self, data_dir: Path, exclusive: bool) -> None:
        self.data_dir = data_dir
        self.exclusive = exclusive
        self.holders = holders(data_dir)
        who = "、".join(h.describe() for h in self.holders) or "另一个 gkdesk 程序"
        if exclusive:
            message = (f"{who}正在使用数据目录“{data_dir}”,现在不能从备份恢复:恢复会替换它正在使用的"
                       "数据库,它随后保存的内容将无处可存。请先关闭它,再恢复。数据未做改动。")
        else:
            message = f"{who}正在从备份恢复数据目录“{data_dir}”,请等它完成后再试。数据未做改动。"
        super().__init__(message)


def acquire(data_dir: str | os.PathLike[str], *, exclusive: bool = False, wait: float = 0.0) -> DirLock:
    """Take the shared (open) or exclusive (restore) lock, retrying for ``wait`` seconds.

    Raises :class:`DirectoryBusy` when it cannot be had. A data directory we may not write
    (read-only medium) cannot hold a lock file; then nobody can write there either, so a
    shared lock is granted without a file (the error itself for an exclusive one).
    """
    ddir = Path(data_dir)
    path = ddir / LOCK_FILENAME
    try:
        fd = _open_lock_file(path)
    except OSError:
        if exclusive:
            raise
        return DirLock(ddir, os.open(os.devnull, os.O_RDONLY), False, None)
    deadline = time.monotonic() + wait
    while not _try_lock(fd, exclusive):
        if time.monotonic() >= deadline:
            os.close(fd)
            raise DirectoryBusy(ddir, exclusive)
        time.sleep(0.1)
    if exclusive:  # nobody else holds the lock, so every info file left is a killed process's
        for stale in _info_dir(ddir).glob("*.json"):
            try:
                stale.unlink()
            except OSError:
                pass
    return DirLock(ddir, fd, exclusive, _write_info(ddir, exclusive))
