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

    d, db = _county(tmp_path)
    ws = Workspace(open_store(d), "县级")
    first = county.daily_file_check(ws)
    assert first is not None and first.problems == [] and "通过" in first.summary()
    assert county.daily_file_check(ws) is None  # not again the same day
    ws.close()
