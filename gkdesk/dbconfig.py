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
from dataclasses import dataclass
from pathlib import Path

from gkdesk.errors import GkError, InputRejected

FILE = "database.json"


class DatabaseConfigUnreadable(GkError):
    exit_code = 2
    code = "database_config"


class DatabaseUnreachable(GkError):
    """The county's PostgreSQL server cannot be reached or refuses the saved login."""

    exit_code = 2
    code = "database_unreachable"


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


def forget(data_dir: Path) -> bool:
    """Go back to the data directory's own SQLite file; True when a server was configured."""
    p = path(data_dir)
    if not p.exists():
        return False
    p.unlink()
    return True


def server_url(host: str, port: int | str | None, database: str, user: str, password: str | None) -> str:
    """The address of a PostgreSQL database from the fields a clerk fills in (checked, Chinese refusals)."""
    from sqlalchemy.engine import URL

    host, database, user = host.strip(), database.strip(), user.strip()
    if not host:
        raise InputRejected("请填写数据库服务器的地址(计算机名或 IP,例:192.168.1.20)")
    if not database:
        raise InputRejected("请填写数据库名称(例:county)")
    if not user:
        raise InputRejected("请填写数据库用户名(例:gkdesk)")
    text = str(port).strip() if port not in (None, "") else "5432"
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise InputRejected(f"端口“{text}”无效,应为 1–65535 之间的数字(PostgreSQL 默认 5432)")
    return URL.create("postgresql+psycopg", username=user, password=password or None, host=host,
                      port=int(text), database=database).render_as_string(hide_password=False)


@dataclass
class Probe:
    """What a connection attempt found: ``state`` is empty / gkdesk / other, or ``problem`` says why not."""

    shown: str
    problem: str | None = None
    state: str = ""
    version: str = ""
    can_create: bool = False

    @property
    def ok(self) -> bool:
        return self.problem is None


def explain(exc: BaseException, u) -> str:  # type: ignore[no-untyped-def]
    """A driver's connection error in the clerk's words (server messages are English or localised)."""
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    where = f"{u.host}:{u.port or 5432}"
    if "password authentication failed" in low or "28p01" in low:
        return f"用户名或密码不正确:服务器 {where} 拒绝了用户“{u.username}”的登录。请核对密码(区分大小写)。"
    if "no password supplied" in low or "fe_sendauth" in low:
        return f"服务器 {where} 要求输入密码,请填写用户“{u.username}”的密码。"
    if "role" in low and "does not exist" in low:
        return f"服务器 {where} 上没有用户“{u.username}”,请数据库管理员按说明创建。"
    if "database" in low and "does not exist" in low:
        return f"服务器 {where} 上没有名为“{u.database}”的数据库,请核对名称,或请数据库管理员创建。"
    if "no pg_hba.conf entry" in low:
        return (f"服务器 {where} 不允许本电脑连接(服务器的访问规则里没有本电脑的地址),"
                "请数据库管理员按说明允许本电脑的地址。")
    if "timeout" in low or "timed out" in low:
        return f"连接服务器 {where} 超时:请检查网络和地址,或服务器的防火墙是否开放了端口 {u.port or 5432}。"
    if ("could not translate host name" in low or "name or service not known" in low
            or "nodename nor servname" in low or "no such host" in low or "getaddrinfo" in low):
        return f"找不到服务器“{u.host}”:请核对服务器地址(计算机名或 IP)。"
    if "connection refused" in low or "could not connect" in low or "connection failed" in low:
        return (f"无法连接到服务器 {where}:服务器上的数据库服务未启动,或地址、端口不对,"
                "或被防火墙阻挡。")
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return f"无法连接数据库服务器 {where}:{first}"


def probe(url: str, *, timeout: int = 5) -> Probe:
    """Try ``url`` once: never raises for a connection problem, says what the database holds."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    u = make_url(url)
    shown_url = u._replace(password=None).render_as_string(hide_password=False)
    if not u.drivername.startswith("postgresql"):
        return Probe(shown_url, "只支持 PostgreSQL 数据库服务器")
    engine = create_engine(u, poolclass=NullPool, connect_args={"connect_timeout": timeout})
    try:
        with engine.connect() as c:
            version = str(c.scalar(text("SHOW server_version")) or "")
            tables = set(c.scalars(text("SELECT table_name FROM information_schema.tables "
                                        "WHERE table_schema = current_schema()")))
            can_create = bool(c.scalar(text("SELECT has_schema_privilege(current_schema(), 'CREATE')")))
    except Exception as exc:  # every driver failure becomes a sentence, never a traceback
        return Probe(shown_url, explain(exc, u))
    finally:
        engine.dispose()
    state = "gkdesk" if "alembic_version" in tables else "empty" if not tables else "other"
    return Probe(shown_url, None, state, version.split()[0] if version else "", can_create)
