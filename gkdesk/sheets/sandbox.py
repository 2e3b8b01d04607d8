"""Parse a workbook in a child process with a memory and time budget.

calamine is Rust: a file that makes it reserve an impossible grid aborts the whole
process (SIGABRT), which no ``except`` catches — in the window that closes the app with
the clerk's unsaved work. For .xlsx the in-process pre-check of :mod:`gkdesk.sheets.guard`
finds such files cheaply; the binary and ODF formats (.xls, .xlsb, .ods) cannot be
scanned as cheaply, are rare, and are parsed here instead: an abort, the memory limit or
a runaway parse ends the child, and the clerk gets a message naming the file.

The child is this same program started again with :data:`CHILD_FLAG` (the frozen entry
point and ``python -m gkdesk.sheets.sandbox`` both understand it); it writes the sheets
to stdout as a pickle. ``multiprocessing`` is not used: its ``spawn`` re-imports the
parent's main module, which for the window means starting Qt again.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from gkdesk.errors import UnreadableInput

CHILD_FLAG = "--gkdesk-sheet-reader"
MEMORY_BUDGET = 2 << 30   # address space of the child, where the OS lets us set it
TIME_BUDGET = 180.0       # seconds; a 65,536-row .xls parses in a few seconds here


def _limit_memory(budget: int) -> None:
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        import resource

        try:
            resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
        except (ValueError, OSError):
            pass


def child_main(path: str, budget: int = MEMORY_BUDGET) -> int:
    """Run in the child: parse ``path`` and write ``(status, payload)`` pickled to stdout."""
    _limit_memory(budget)
    out = sys.stdout.buffer
    try:
        from gkdesk.sheets.reader import _read_calamine

        result: tuple[str, Any] = ("ok", _read_calamine(Path(path)))
    except UnreadableInput as exc:
        result = ("unreadable", str(exc))
    except MemoryError:
        result = ("memory", "")
    except BaseException as exc:  # reported, never raised across the process boundary
        result = ("error", type(exc).__name__)
    try:
        pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return 3
    out.flush()
    return 0


def _command(path: Path) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, CHILD_FLAG, str(path)]
    return [sys.executable, "-m", "gkdesk.sheets.sandbox", CHILD_FLAG, str(path)]


def read_isolated(path: Path, *, timeout: float = TIME_BUDGET) -> list[Any]:
    """The sheets of ``path`` as :func:`gkdesk.sheets.reader._read_calamine` returns them."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", QT_QPA_PLATFORM="offscreen")
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flashing up on Windows
    try:
        proc = subprocess.run(_command(path), stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, env=env, creationflags=flags)
    except subprocess.TimeoutExpired:
        raise UnreadableInput(
            f"读取表格文件“{path.name}”超过 {int(timeout)} 秒仍未完成,已停止读取(未做任何改动)。"
            "文件可能过大或内容异常:请在 Excel/WPS 中打开,删除多余的空行空列后另存为 .xlsx 再导入") from None
    except OSError as exc:
        raise UnreadableInput(f"无法启动读取表格“{path.name}”的子进程:{exc.strerror or exc}") from exc
    status, payload = "died", ""
    if proc.returncode == 0 and proc.stdout:
        try:
            status, payload = pickle.loads(proc.stdout)
        except Exception:  # a truncated pickle: the child died while writing
            status = "died"
    if status == "ok":
        return list(payload)
    if status == "unreadable":
        raise UnreadableInput(payload)
    if status in ("memory", "died"):
        detail = ("所需内存超出限制" if status == "memory"
                  else f"读取程序异常退出(代码 {proc.returncode})")
        raise UnreadableInput(
            f"表格文件“{path.name}”无法安全读取:{detail}。文件可能已损坏或被恶意构造,"
            "未做任何改动。请在 Excel/WPS 中打开并另存为 .xlsx 后再导入")
    raise UnreadableInput(f"表格文件“{path.name}”无法读取({payload}),文件可能已损坏,未做任何改动")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == CHILD_FLAG:
        raise SystemExit(child_main(sys.argv[2]))
    raise SystemExit(2)
