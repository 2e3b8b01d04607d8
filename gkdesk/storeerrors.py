"""What the clerk is told when the disk, the medium or another process stops a write.

SQLite reports a full disk, a read-only file and another process's lock as the same
``OperationalError`` type with an English text; these become :class:`GkError` s with a
Chinese message that names the file or the other program. Nothing was stored in any case:
the transaction was rolled back (SQLite guarantees it; the fault suite checks it).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from gkdesk.errors import GkError


class DiskFull(GkError):
    exit_code = 2
    code = "disk_full"


class DatabaseReadOnly(GkError):
    """The data directory or the database file cannot be written: not damage, so never "restore"."""

    exit_code = 2
    code = "read_only"


class DatabaseBusy(GkError):
    exit_code = 1
    code = "database_busy"


def disk_full(where: Path | str) -> DiskFull:
    return DiskFull(f"磁盘空间已满,无法写入“{where}”。本次操作没有保存任何内容,原有数据完好;"
                    "请清理磁盘空间后重试。")


def read_only(where: Path | str) -> DatabaseReadOnly:
    return DatabaseReadOnly(f"数据目录“{where}”是只读的(磁盘被写保护,或当前用户没有写入权限),"
                            "数据没有损坏,也没有被改动。请取消写保护或换用可写的位置后再打开。")


def busy(data_dir: Path) -> DatabaseBusy:
    from gkdesk.dirlock import holders

    who = "、".join(h.describe() for h in holders(data_dir)) or "另一个 gkdesk 程序"
    return DatabaseBusy(f"{who}正在写入数据库,本次操作等待后仍未能写入,没有保存任何内容。"
                        "请等它完成(或关闭它)后重试。")


def translate_operational(exc: Exception, data_dir: Path, db_path: Path | None) -> Exception:
    """The GkError for a SQLite failure a clerk can cause, else ``exc`` unchanged."""
    text = str(getattr(exc, "orig", exc) or exc).lower()
    if "database or disk is full" in text or ("disk i/o error" in text and _no_space(data_dir)):
        return disk_full(db_path or data_dir)
    if "readonly" in text or "read-only" in text:
        return read_only(data_dir)
    if "database is locked" in text or "database is busy" in text:
        return busy(data_dir)
    return exc


def translate_oserror(exc: OSError, where: Path | str | None = None) -> Exception:
    """ENOSPC / EROFS / EACCES as the clerk's message, else ``exc``."""
    target = where or exc.filename or ""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return disk_full(target)
    if exc.errno == errno.EROFS:
        return read_only(target)
    return exc


def _no_space(folder: Path) -> bool:
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < 1 << 20


def check_writable(data_dir: Path) -> None:
    """Refuse a data directory we cannot write with "read-only", before SQLite calls it damaged.

    A probe file is created and removed (``os.access`` lies for root and on network shares).
    The database file itself is checked for write permission the same way.
    """
    probe = Path(data_dir) / f".gkdesk-write-test-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        probe.unlink()
    except FileExistsError:
        probe.unlink(missing_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise read_only(data_dir) from exc
        if exc.errno == errno.ENOSPC:
            return  # opening still works; the write that needs space says so
        raise
    from gkdesk import paths

    db = Path(data_dir) / paths.DB_FILENAME
    if db.exists():
        try:
            os.close(os.open(db, os.O_RDWR | getattr(os, "O_BINARY", 0)))
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise read_only(db) from exc
            raise
