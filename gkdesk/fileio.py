"""Writing files the clerk relies on: whole or not at all.

A PDF that is recorded as posted, or a workbook handed to the county, must never be
half a file because the disk filled up or the USB stick was pulled out: write to a
temporary name in the same folder, flush it to disk, then rename over the target.
On failure the temporary file is removed and whatever was there before stays.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _fsync_file(path: str | Path) -> None:
    """Flush ``path`` to disk through a descriptor opened for writing: on Windows ``os.fsync``
    is ``FlushFileBuffers``, which fails with EBADF on a read-only handle."""
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_with(out: str | Path, write: Callable[[str], None]) -> Path:
    """Let ``write(tmp_path)`` produce the file (openpyxl, reportlab…), then move it into place."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".tmp-", suffix=out.suffix)
    os.close(fd)
    try:
        write(tmp)
        _fsync_file(tmp)
        try:
            os.replace(tmp, out)
        except PermissionError as exc:
            # Windows refuses to replace a file another program holds open — the clerk's
            # previous export still open in Excel or WPS (Linux replaces it silently).
            from gkdesk.errors import InputRejected

            raise InputRejected(
                f"无法写入“{out.name}”:该文件可能正在 Excel 或 WPS 中打开,或所在文件夹不允许写入。"
                "请关闭该文件后重试(原文件未改动)") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(out.parent)
    return out


def write_bytes(out: str | Path, data: bytes) -> Path:
    """``out.write_bytes(data)``, atomically."""
    return write_with(out, lambda tmp: Path(tmp).write_bytes(data))
