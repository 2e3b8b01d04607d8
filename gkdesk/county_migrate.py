"""Move a county's database from its SQLite file into PostgreSQL, keys and history included.

A county that outgrows one PC (40 townships × 5 years ≈ 15 M payout rows, or several
clerks at once) moves to a PostgreSQL server. The move must carry everything — the
county's own signing/encryption keys, every township's enrolment and counters, packages
and receipts, the audit log — or the townships would refuse the county afterwards.

The target is migrated to the current schema by Alembic, must be empty, and is filled
table by table in foreign-key order inside ONE transaction: a failure leaves it empty,
and the SQLite file is never written. Integer keys get their sequences advanced past the
copied values. Row counts of every table are compared before the commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Integer, MetaData, func, insert, select, text

from gkdesk.errors import InputRejected
from gkdesk.store import Store, open_store

CHUNK = 5_000

Report = Callable[[float, str], None]


def _no_report(_f: float, _m: str) -> None:
    return None


@dataclass
class MigrationResult:
    target: str                      # the URL without its password
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def redact(url: str) -> str:
    """``postgresql+psycopg://user:secret@host/db`` → ``postgresql+psycopg://user@host/db``."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True).replace(":***@", "@")
    except Exception:  # not a URL at all: say nothing of it
        return "(无效的数据库地址)"


def migrate_to_postgresql(source: Store, url: str, *, report: Report = _no_report) -> MigrationResult:
    """Copy every table of ``source`` (a SQLite county) into the empty PostgreSQL at ``url``."""
    if not url.startswith(("postgresql://", "postgresql+psycopg://")):
        raise InputRejected(f"目标数据库地址“{redact(url)}”不是 PostgreSQL 地址(应以 postgresql:// 开头)")
    if not source.is_sqlite:
        raise InputRejected("当前数据已经不在 SQLite 文件中,无需迁移")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    try:
        target = open_store(source.data_dir, database_url=url)
    except InputRejected:
        raise
    except Exception as exc:  # connection refused, auth failed, no such database …
        raise InputRejected(f"无法连接目标数据库“{redact(url)}”:{type(exc).__name__}:"
                            f"{str(exc).splitlines()[0][:200]}") from exc
    try:
        return _copy(source, target, redact(url), report)
    finally:
        target.close()


def _copy(source: Store, target: Store, shown: str, report: Report) -> MigrationResult:
    src_md, dst_md = MetaData(), MetaData()
    src_md.reflect(source.engine)
    dst_md.reflect(target.engine)
    tables = [t for t in dst_md.sorted_tables if t.name != "alembic_version" and t.name in src_md.tables]
    result = MigrationResult(target=shown)
    with target.engine.begin() as dst:
        township = dst_md.tables.get("township")
        if township is not None and dst.scalar(select(func.count()).select_from(township)):
            raise InputRejected(f"目标数据库“{shown}”中已有数据(已有单位信息),为免覆盖,迁移已停止。"
                                "请使用一个新建的空数据库")
        for t in reversed(tables):  # what opening seeded (calendar, settings) gives way to the county's own
            dst.execute(t.delete())
        with source.engine.connect() as src:
            for i, t in enumerate(tables):
                s_t = src_md.tables[t.name]
                cols = [c.name for c in t.columns if c.name in s_t.c]
                n = 0
                rows = src.execute(select(*[s_t.c[c] for c in cols])).mappings()
                while batch := rows.fetchmany(CHUNK):
                    dst.execute(insert(t), [dict(r) for r in batch])
                    n += len(batch)
                result.tables[t.name] = n
                report((i + 1) / len(tables), f"已复制 {t.name}:{n} 行")
        for t in tables:
            pk = list(t.primary_key.columns)
            if len(pk) == 1 and isinstance(pk[0].type, Integer) and pk[0].autoincrement is not False:
                seq = dst.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": t.name, "c": pk[0].name})
                if seq:
                    dst.execute(text("SELECT setval(CAST(:s AS regclass), COALESCE((SELECT max("
                                     f'"{pk[0].name}") FROM "{t.name}"), 0) + 1, false)'), {"s": seq})
        for t in tables:
            got = int(dst.scalar(select(func.count()).select_from(t)) or 0)
            if got != result.tables[t.name]:
                raise InputRejected(f"迁移校验失败:表 {t.name} 复制了 {result.tables[t.name]} 行,"
                                    f"目标中却有 {got} 行;目标数据库未做改动")
    return result

