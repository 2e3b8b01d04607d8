"""Where a county's database lives when it is not the SQLite file: ``<data dir>/database.json``.

A county that moved to PostgreSQL (``gkdesk county migrate``) must open it again from the
window and from every command without typing the address. The address is kept in the data
directory; its password never in clear: it is wrapped for this PC and Windows user
(DPAPI on Windows, a machine-bound key elsewhere — the same wrapping that protects the
sync keys, :mod:`gkdesk.sync.keystore`). A password kept by PostgreSQL's own ``pgpass``
file, or none at all (peer/trust authentication on a county server), works too.
"""

from __future__ import annotations

import json
from pathlib import Path

from gkdesk.errors import GkError, InputRejected

FILE = "database.json"


class DatabaseConfigUnreadable(GkError):
    exit_code = 2
    code = "database_config"


def path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE


def save(data_dir: Path, url: str) -> Path:
    """Remember ``url`` for this data directory (the password wrapped, never in clear)."""
    from sqlalchemy.engine import make_url

    from gkdesk.fileio import write_bytes
    from gkdesk.sync.keystore import _wrap

    try:
        u = make_url(url)
    except Exception as exc:
        raise InputRejected("数据库地址格式不正确(应形如 postgresql://用户@服务器/数据库)") from exc
    body = {"url": u._replace(password=None).render_as_string(hide_password=False),  # URL is a NamedTuple
            "password": _wrap(u.password.encode("utf-8")).hex() if u.password else None}
    return write_bytes(path(data_dir), json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8"))


def shown(data_dir: Path) -> str | None:
    """The saved address without its password (for the window and messages)."""
    p = path(data_dir)
    if not p.exists():
        return None
    try:
        return str(json.loads(p.read_text(encoding="utf-8"))["url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load(data_dir: Path) -> str | None:
    """The full address to connect with, or None when the data directory uses its SQLite file."""
    p = path(data_dir)
    if not p.exists():
        return None
    from sqlalchemy.engine import make_url

    from gkdesk.sync.keystore import _unwrap

    try:
        body = json.loads(p.read_text(encoding="utf-8"))
        u = make_url(str(body["url"]))
        if body.get("password"):
            u = u.set(password=_unwrap(bytes.fromhex(body["password"])).decode("utf-8"))
        return u.render_as_string(hide_password=False)
    except Exception as exc:  # damaged file, or wrapped on another PC / for another user
        raise DatabaseConfigUnreadable(
            f"无法读取数据库设置“{p}”(文件损坏,或密码是在另一台电脑/另一个 Windows 用户下保存的)。"
            "请重新设置县级数据库地址") from exc
