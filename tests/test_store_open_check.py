"""Opening a big database costs no O(size) work: header and schema on open, quick_check daily.

A county's file is gigabytes; ``PRAGMA quick_check`` on every open took 4.6 s at 3.2 GB (and
38 s for the full check at five years). Files above ``QUICK_CHECK_LIMIT`` get the structural
check instead — which must still refuse the damage a clerk actually meets: a truncated copy,
a file overwritten from the start, a damaged schema.
"""

from __future__ import annotations

import os

import pytest

from gkdesk import store as store_mod
from gkdesk import township
from gkdesk.errors import DatabaseCorrupt
from gkdesk.store import daily_check_due, open_store, run_daily_check


@pytest.fixture
def big(monkeypatch):
    """Every file counts as big (a real multi-GB file is built by benchmarks/county_scale.py)."""
    monkeypatch.setattr(store_mod, "QUICK_CHECK_LIMIT", 0)


def _county(tmp_path):
    st = open_store(tmp_path / "c")
    with st.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    db = st.db_path
    st.close()
    return tmp_path / "c", db


def test_big_file_opens_without_quick_check(tmp_path, big, monkeypatch):
    d, _db = _county(tmp_path)
    calls = []
    monkeypatch.setattr(store_mod, "check_sqlite_file", lambda *a, **k: calls.append(a) or [])
    st = open_store(d)
    with st.session() as s:
        assert township.current(s).code == "511702"
    st.close()
    assert calls == []


def test_truncated_big_file_is_refused(tmp_path, big):
    d, db = _county(tmp_path)
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.truncate(size - 4096)
    with pytest.raises(DatabaseCorrupt, match="截断"):
        open_store(d)


def test_checkpoint_cut_by_a_power_failure_is_not_called_truncated(tmp_path, big):
    """Page 1 (new page count) reached the file, the rest of the checkpoint did not, the WAL
    holds every page: SQLite replays it on open, so gkdesk must open it, data intact."""
    import shutil
    import sqlite3

    d, db = _county(tmp_path)
    live = sqlite3.connect(db)
    live.execute("PRAGMA wal_autocheckpoint=0")  # the new pages stay in the WAL
    live.execute("CREATE TABLE filler (x TEXT)")
    live.executemany("INSERT INTO filler VALUES (?)", [("高桥村" * 50,)] * 3000)
    live.commit()
    page = live.execute("PRAGMA page_size").fetchone()[0]
    pages = live.execute("PRAGMA page_count").fetchone()[0]
    crashed = tmp_path / "crashed"
    shutil.copytree(d, crashed)  # the files as the power failure left them (WAL complete)
    live.close()
    cdb = crashed / db.name
    assert (crashed / (db.name + "-wal")).stat().st_size > 0 and cdb.stat().st_size < pages * page
    with open(cdb, "r+b") as f:  # page 1 written first: the header already has the new count
        f.seek(28)
        f.write(pages.to_bytes(4, "big"))
        f.seek(24)
        counter = f.read(4)
        f.seek(92)
        f.write(counter)
    st = open_store(crashed)
    try:
        with st.session() as s:
            assert township.current(s).code == "511702"
            assert s.connection().exec_driver_sql("SELECT count(*) FROM filler").scalar() == 3000
    finally:
        st.close()


def test_overwritten_header_is_refused(tmp_path, big):
    d, db = _county(tmp_path)
    with open(db, "r+b") as f:
        f.write(b"PK\x03\x04 not a database at all")
    with pytest.raises(DatabaseCorrupt, match="文件头"):
        open_store(d)


def test_damaged_schema_is_refused(tmp_path, big):
    d, db = _county(tmp_path)
    with open(db, "r+b") as f:  # page 1 after the 100-byte header holds the schema's b-tree
        f.seek(100)
        f.write(os.urandom(3000))
    with pytest.raises(DatabaseCorrupt):
        open_store(d)


def test_daily_quick_check_is_due_once_a_day(tmp_path, big):
    _d, db = _county(tmp_path)
    assert daily_check_due(db)
    assert run_daily_check(db) == []
    assert not daily_check_due(db)
    stamp = db.with_name(db.name + ".checked")
    old = stamp.stat().st_mtime - 86400
    os.utime(stamp, (old, old))
    assert daily_check_due(db)


def test_small_files_keep_the_quick_check_on_open(tmp_path):
    _d, db = _county(tmp_path)
    assert not daily_check_due(db)  # checked at every open instead


def test_county_page_check_runs_once_a_day(tmp_path, big):
    from gkdesk.app import county
    from gkdesk.app.workspace import Workspace

    d, _db = _county(tmp_path)
    ws = Workspace(open_store(d), "县级")
    first = county.daily_file_check(ws)
    assert first is not None and first.found == [] and "通过" in first.summary()
    assert county.daily_file_check(ws) is None  # not again the same day
    ws.close()


def test_statistics_make_the_ownership_check_use_the_primary_key(tmp_path, monkeypatch):
    """Without sqlite_stat1 SQLite walked every row of the township per 500 incoming ids."""
    import random
    import sqlite3
    from decimal import Decimal

    from gkdesk.notices.samples import ensure_program, make_batch, make_people

    st = open_store(tmp_path / "t")
    rng = random.Random(1)
    with st.session() as s:
        township.init_installation(s, "高桥镇", "511702101", "通川区", operator="李四")
        township.add_village(s, "高桥村", 3, "李四")
        people = make_people(township.villages(s), 400, rng)
        prog = ensure_program(s, "耕地地力保护补贴")
        for year in range(2015, 2027):
            make_batch(s, prog, year, people, rng, Decimal("131.42"))
    db = st.db_path
    st.close()
    monkeypatch.setattr(store_mod, "STATS_LIMIT", 0)
    con = sqlite3.connect(str(db))
    ids = [r[0] for r in con.execute("SELECT id FROM payout LIMIT 500")]
    tid = con.execute("SELECT id FROM township").fetchone()[0]
    con.close()
    query = (f"SELECT count(*) FROM payout WHERE id IN ({','.join('?' * len(ids))}) AND batch_id IN "
             "(SELECT id FROM payout_batch WHERE township_id = ?)")  # as gkdesk.sync.apply asks it

    def plan() -> str:
        con = sqlite3.connect(str(db))
        try:
            return " | ".join(r[3] for r in con.execute("EXPLAIN QUERY PLAN " + query, [*ids, tid]))
        finally:
            con.close()

    assert "ix_payout_batch_seq" in plan()  # the guess: every row of the township
    assert store_mod.refresh_statistics(db)
    assert not store_mod.refresh_statistics(db)  # once a day
    open_store(tmp_path / "t").close()
    assert "payout_1 (id=?)" in plan() and "ix_payout_batch_seq" not in plan()
