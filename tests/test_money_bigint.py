"""Money is 64-bit: a township batch above 2^31 fen (21,474,836.48 yuan) imports, travels to a
PostgreSQL county and adds up there; existing databases are migrated without losing a fen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from openpyxl import Workbook
from sqlalchemy import create_engine, inspect, select

from gkdesk import sync, township
from gkdesk.app import Workspace
from gkdesk.app import payouts as payout_ops
from gkdesk.models import PayoutBatch
from gkdesk.store import alembic_config, make_engine, open_store, sqlite_url
from tests.payout_files import pid
from tests.sync.conftest import pg_url  # noqa: F401 - the PostgreSQL fixture
from tests.sync.helpers import enrol, make_township

INT32_MAX = 2**31 - 1
#: three people at 9,000,000.00 yuan: 2,700,000,000 fen, beyond a 32-bit INTEGER
BIG_ROWS = [("张三", 9_000_000), ("李四", 9_000_000), ("王五", 9_000_000)]
BIG_TOTAL_FEN = sum(y for _, y in BIG_ROWS) * 100


def big_list(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "村(社区)", "组", "姓名", "身份证号码", "一卡通账号", "补贴金额（元）"])
    for i, (name, yuan) in enumerate(BIG_ROWS, 1):
        ws.append([i, "高桥村", "1组", name, pid(i), f"62170000000000000{i:02d}", yuan])
    wb.save(path)
    return path


def _import_big(store, tmp_path: Path) -> None:
    ws = Workspace(store, "乡镇")
    res = payout_ops.import_list(ws, big_list(tmp_path / "大额清册.xlsx"), program="耕地地力保护补贴",
                                 year=2026, period="第一批")
    assert res.summary()


def _batch_total(store) -> int:
    with store.session() as s:
        return s.scalar(select(PayoutBatch.total_fen))


def test_sqlite_township_stores_a_batch_above_2_31_fen(tmp_path: Path) -> None:
    t = make_township(tmp_path, "t")
    _import_big(t, tmp_path)
    assert _batch_total(t) == BIG_TOTAL_FEN > INT32_MAX
    t.close()


def test_sqlite_migration_from_0006_keeps_every_fen(tmp_path: Path) -> None:
    data = tmp_path / "t"
    t = make_township(tmp_path, "t")
    _import_big(t, tmp_path)
    t.close()
    engine = make_engine(sqlite_url(data / "gkdesk.sqlite3"))
    command.downgrade(alembic_config(engine), "0006_village_disclosure")
    engine.dispose()
    con = sqlite3.connect(data / "gkdesk.sqlite3")
    assert "total_fen INTEGER" in con.execute("SELECT sql FROM sqlite_master WHERE name='payout_batch'").fetchone()[0]
    con.close()
    t = open_store(data)  # migrates (after a backup)
    assert _batch_total(t) == BIG_TOTAL_FEN
    with t.engine.connect() as c:
        cols = {col["name"]: str(col["type"]) for col in inspect(c).get_columns("payout")}
        assert cols["amount_fen"] == "BIGINT"
        assert c.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    t.close()


@pytest.mark.postgres
def test_postgres_county_takes_a_township_batch_above_2_31_fen(pg_url, tmp_path: Path) -> None:  # noqa: F811
    c = open_store(tmp_path / "county", database_url=pg_url)
    with c.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    t = make_township(tmp_path, "t")
    enrol(t, c, tmp_path)
    _import_big(t, tmp_path)
    files = sync.export_data(t, tmp_path / "usb", "乡镇").files
    [rep] = sync.import_files(c, files, "县级")
    assert rep.status == "applied", rep.reason
    assert _batch_total(c) == BIG_TOTAL_FEN > INT32_MAX
    with c.engine.connect() as conn:
        types = {col["name"]: str(col["type"]) for col in inspect(conn).get_columns("payout_batch")}
    assert types["total_fen"] == "BIGINT"
    t.close()
    c.close()


@pytest.mark.postgres
def test_postgres_migration_widens_existing_columns(pg_url) -> None:  # noqa: F811
    engine = create_engine(pg_url)
    command.upgrade(alembic_config(engine), "0006_village_disclosure")
    with engine.connect() as conn:
        assert str({c["name"]: c["type"] for c in inspect(conn).get_columns("payout")}["amount_fen"]) == "INTEGER"
    command.upgrade(alembic_config(engine), "head")
    with engine.connect() as conn:
        for table, column in (("payout", "amount_fen"), ("payout_batch", "total_fen")):
            assert str({c["name"]: c["type"] for c in inspect(conn).get_columns(table)}[column]) == "BIGINT"
    engine.dispose()


@pytest.mark.postgres
def test_a_value_the_county_cannot_hold_is_not_blamed_on_missing_records(pg_url, tmp_path: Path) -> None:  # noqa: F811
    """A county whose money columns are still 32-bit (as before 0007; reproduced on the current
    schema): the refusal names the real cause and does not advise a full resend, which cannot help."""
    from sqlalchemy import text

    c = open_store(tmp_path / "county", database_url=pg_url)
    with c.session() as s:
        s.execute(text("ALTER TABLE payout ALTER COLUMN amount_fen TYPE integer"))
        s.execute(text("ALTER TABLE payout_batch ALTER COLUMN total_fen TYPE integer"))
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    t = make_township(tmp_path, "t")
    enrol(t, c, tmp_path)
    _import_big(t, tmp_path)
    [rep] = sync.import_files(c, sync.export_data(t, tmp_path / "usb", "乡镇").files, "县级")
    assert rep.status == "refused"
    assert "超出本机数据库能保存的范围" in rep.reason and "缺少上级记录" not in rep.reason
    assert rep.hint is None
    t.close()
    c.close()
