"""A PostgreSQL role that logs in with a password, on the throwaway test server.

The test server (``scripts/pg_test.sh``) trusts every local connection, so a wrong password
would be accepted. This fixture adds a password-checked line for one new role at the top
of the server's ``pg_hba.conf`` (the tests run as the server's owner, or as root), reloads,
and puts the file back afterwards. The role owns a fresh, empty database — the rights the
county set-up guide (docs/COUNTY-POSTGRESQL.md) gives gkdesk, and no more.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class PgClerk:
    host: str
    port: int
    database: str
    user: str
    password: str
    admin_url: str

    def fields(self, password: str | None = None) -> tuple[str, str, str, str, str]:
        return (self.host, str(self.port), self.database, self.user,
                self.password if password is None else password)


@pytest.fixture
def pg_clerk() -> Iterator[PgClerk]:
    base = os.environ.get("GKDESK_TEST_PG_URL")
    if not base:
        pytest.skip("没有 PostgreSQL 测试服务器(GKDESK_TEST_PG_URL 未设置;用 bash scripts/gk.sh test 运行可自动启动)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    tag = uuid.uuid4().hex[:10]
    role, db, pw = f"gkclerk_{tag}", f"gk_{tag}", f"Pw-{tag}-县"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        hba = Path(str(c.scalar(text("SHOW hba_file"))))
        c.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{pw}' NOSUPERUSER NOCREATEDB NOCREATEROLE"))
        c.execute(text(f'CREATE DATABASE "{db}" OWNER {role}'))
    old = hba.read_text(encoding="utf-8")
    try:
        hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n" + old, encoding="utf-8")
    except OSError:
        pytest.skip("无法修改测试服务器的 pg_hba.conf(测试不是以服务器的用户运行)")
    with admin.connect() as c:
        c.execute(text("SELECT pg_reload_conf()"))
    u = make_url(base)
    try:
        yield PgClerk(u.host or "127.0.0.1", u.port or 5432, db, role, pw, base)
    finally:
        hba.write_text(old, encoding="utf-8")
        with admin.connect() as c:
            c.execute(text("SELECT pg_reload_conf()"))
            c.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
            c.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()
