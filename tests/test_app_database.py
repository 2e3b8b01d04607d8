"""Choosing a county's database: this PC's file or a PostgreSQL server (app layer, real server)."""

from __future__ import annotations

import json
import socket

import pytest

from gkdesk import dbconfig, township
from gkdesk.app import setup
from gkdesk.app.workspace import Workspace
from gkdesk.errors import InputRejected
from gkdesk.store import open_store
from tests.pg_clerk_helpers import PgClerk, pg_clerk  # noqa: F401  (fixture)


def _county(tmp_path) -> Workspace:
    return Workspace(open_store(tmp_path / "data"), "张三")


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_fields_are_checked_in_chinese(tmp_path):
    ws = _county(tmp_path)
    with pytest.raises(InputRejected, match="端口"):
        setup.test_database(ws, "db.local", "54x2", "county", "gkdesk", "pw")
    with pytest.raises(InputRejected, match="服务器的地址"):
        setup.test_database(ws, " ", "5432", "county", "gkdesk", "pw")
    ws.close()


def test_unreachable_server_is_one_chinese_sentence(tmp_path):
    ws = _county(tmp_path)
    res = setup.test_database(ws, "127.0.0.1", _closed_port(), "county", "gkdesk", "pw")
    assert not res.ok
    assert "无法连接到服务器" in res.message and "Traceback" not in res.message
    ws.close()


@pytest.mark.postgres
def test_wrong_password_then_right_one(tmp_path, pg_clerk: PgClerk):  # noqa: F811
    ws = _county(tmp_path)
    bad = setup.test_database(ws, *pg_clerk.fields(password="wrong"))
    assert not bad.ok and "用户名或密码不正确" in bad.message and pg_clerk.user in bad.message
    with pytest.raises(InputRejected, match="用户名或密码不正确"):
        setup.connect_database(ws, *pg_clerk.fields(password="wrong"))
    assert not dbconfig.path(ws.data_dir).exists()  # nothing saved after a failed test
    good = setup.test_database(ws, *pg_clerk.fields())
    assert good.ok and "连接成功" in good.message and "是空的" in good.message
    chosen = setup.connect_database(ws, *pg_clerk.fields())
    assert chosen.server and pg_clerk.password not in chosen.summary()
    saved = dbconfig.path(ws.data_dir).read_text(encoding="utf-8")
    assert pg_clerk.password not in saved and json.loads(saved)["password"]  # wrapped, not dropped
    ws.close()
    # the next opening of the data directory is on the server, schema created there
    again = open_store(tmp_path / "data")
    try:
        assert again.engine.dialect.name == "postgresql" and again.engine.url.database == pg_clerk.database
        with again.session() as s:
            township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="张三")
    finally:
        again.close()
    # a second PC pointed at the same database finds the county there
    other = _county(tmp_path / "pc2")
    res = setup.test_database(other, *pg_clerk.fields())
    assert res.ok and "已有县级数据" in res.message
    assert setup.connect_database(other, *pg_clerk.fields()).existing
    back = setup.use_local_database(other)
    assert back.server is None and not dbconfig.path(other.data_dir).exists()
    other.close()


@pytest.mark.postgres
def test_a_database_of_another_program_is_refused(tmp_path, pg_clerk: PgClerk):  # noqa: F811
    from sqlalchemy import create_engine, text

    eng = create_engine(dbconfig.server_url(*pg_clerk.fields()))
    with eng.begin() as c:
        c.execute(text("CREATE TABLE invoices (id integer)"))
    eng.dispose()
    ws = _county(tmp_path)
    res = setup.test_database(ws, *pg_clerk.fields())
    assert not res.ok and "其他程序的数据表" in res.message
    ws.close()


@pytest.mark.postgres
def test_a_county_with_data_must_migrate_not_switch(tmp_path, pg_clerk: PgClerk):  # noqa: F811
    ws = _county(tmp_path)
    with ws.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="张三")
    with pytest.raises(InputRejected, match="迁移"):
        setup.connect_database(ws, *pg_clerk.fields())
    assert not dbconfig.path(ws.data_dir).exists()
    ws.close()


@pytest.mark.postgres
def test_cli_database_commands(cli, data_dir, monkeypatch, pg_clerk: PgClerk):  # noqa: F811
    args = ["--host", pg_clerk.host, "--port", str(pg_clerk.port), "--name", pg_clerk.database,
            "--user", pg_clerk.user]
    monkeypatch.setenv("GKDESK_DB_PASSWORD", "wrong")
    r = cli("database", "test", *args)
    assert r.code == 1 and "用户名或密码不正确" in r.out and "Traceback" not in r.out + r.err
    monkeypatch.setenv("GKDESK_DB_PASSWORD", pg_clerk.password)
    r = cli("database", "connect", *args)
    assert r.code == 0, r.err
    r = cli("database", "show")
    assert pg_clerk.database in r.out and pg_clerk.password not in r.out
    assert cli("init", "--township", "通川区政务公开办", "--code", "511702", "--county", "通川区",
               "--role", "county").code == 0
    with _Opened(data_dir) as st:
        assert st.engine.dialect.name == "postgresql"
    r = cli("database", "local")
    assert r.code == 0 and not dbconfig.path(data_dir).exists()


class _Opened:
    def __init__(self, d) -> None:  # type: ignore[no-untyped-def]
        self.store = open_store(d)

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self.store

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.store.close()


def test_unreachable_server_at_open_is_a_chinese_refusal(tmp_path, cli, data_dir):
    ws = _county(tmp_path)
    dbconfig.save(ws.data_dir, f"postgresql+psycopg://gkdesk:pw@127.0.0.1:{_closed_port()}/county")
    ws.close()
    with pytest.raises(dbconfig.DatabaseUnreachable, match="无法连接到服务器") as got:
        open_store(tmp_path / "data")
    assert "database.json" in got.value.message and "pw" not in got.value.message.replace("pwd", "")
    dbconfig.save(data_dir, f"postgresql+psycopg://gkdesk:pw@127.0.0.1:{_closed_port()}/county")
    r = cli("county", "status")
    assert r.code == 2 and "无法连接到服务器" in r.err + r.out and "Traceback" not in r.err
    assert cli("database", "local").code == 0  # the way back works without the server
    assert not dbconfig.path(data_dir).exists()


@pytest.mark.postgres
def test_migrate_needs_no_more_than_owning_the_database(tmp_path, pg_clerk: PgClerk):  # noqa: F811
    """docs/COUNTY-POSTGRESQL.md gives gkdesk a plain role that owns one database: enough to move in."""
    from gkdesk.app import county

    ws = _county(tmp_path)
    with ws.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="张三")
    res = county.migrate_to_postgresql(ws, dbconfig.server_url(*pg_clerk.fields()))
    assert res.rows > 0 and pg_clerk.password not in res.summary()
    ws.close()
    again = open_store(tmp_path / "data")
    try:
        assert again.engine.url.username == pg_clerk.user
        with again.session() as s:
            assert township.current(s).name == "通川区政务公开办"
    finally:
        again.close()


@pytest.mark.postgres
def test_a_county_with_data_never_switches_to_another_units_database(tmp_path, pg_clerk: PgClerk):  # noqa: F811
    """A gkdesk database on the server that belongs to another county (a neighbour's, a test copy)
    would swap this county's keys, enrolments and counters: refused, nothing saved; the county's
    own database (moved there earlier) is accepted."""
    from gkdesk.app import county

    other = open_store(tmp_path / "neighbour", database_url=dbconfig.server_url(*pg_clerk.fields()))
    with other.session() as s:
        township.init_installation(s, "达川区政务公开办", "511703", "达川区", role="county", operator="李四")
    other.close()
    ws = _county(tmp_path)
    with ws.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="张三")
    with pytest.raises(InputRejected, match=r"属于“511703”,不是本单位“通川区政务公开办”"):
        setup.connect_database(ws, *pg_clerk.fields())
    assert not dbconfig.path(ws.data_dir).exists()
    ws.close()

    # the county's own data moved to a fresh database, then back to the file: switching again is fine
    from sqlalchemy import create_engine, text

    eng = create_engine(dbconfig.server_url(*pg_clerk.fields()))
    with eng.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    eng.dispose()
    ws = _county(tmp_path)
    county.migrate_to_postgresql(ws, dbconfig.server_url(*pg_clerk.fields()))
    setup.use_local_database(ws)
    ws.close()
    ws = _county(tmp_path)
    assert setup.connect_database(ws, *pg_clerk.fields()).existing
    ws.close()
