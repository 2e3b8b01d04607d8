"""The last resort: an unexpected error becomes a Chinese message and a log file, never a traceback.

The clerk sees one sentence and where the details are; whoever supports them opens the log.
The log is owner-only and scrubbed of anything shaped like an ID, account or phone number
(a driver error can quote the row it failed on).
"""

from __future__ import annotations

import os
import re
import tempfile
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

LOG_DIRNAME = "logs"

_ID = re.compile(r"(?<![0-9])([0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")
_LONG_DIGITS = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{3,}([0-9]{4})(?![0-9])")


def scrub(text: str) -> str:
    """Mask full IDs and long digit runs (accounts, phones) to their first/last four digits."""
    text = _ID.sub(lambda m: m.group(1)[:4] + "*" * (len(m.group(1)) - 8) + m.group(1)[-4:], text)
    return _LONG_DIGITS.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def write(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None,
          data_dir: Path | None = None) -> Path | None:
    """Write the scrubbed traceback to ``<data dir>/logs`` (else the temp folder); its path."""
    from gkdesk import __version__, paths

    text = f"gkdesk {__version__}  {datetime.now().isoformat(timespec='seconds')}\n"
    text += "".join(traceback.format_exception(exc_type, exc, tb))
    candidates: list[Path] = []
    try:
        candidates.append((data_dir or paths.resolve_data_dir()) / LOG_DIRNAME)
    except Exception:  # the log must not fail on a bad data directory setting
        pass
    candidates.append(Path(tempfile.gettempdir()))
    name = f"gkdesk-error-{datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / name
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(scrub(text))
            return path
        except OSError:
            continue
    return None


def message(log: Path | None) -> str:
    where = f"详细信息已记入“{log}”,请把该文件交给技术支持人员。" if log else "详细信息未能写入日志。"
    return f"程序遇到意外错误,本次操作没有完成,已保存的数据不受影响。{where}"
