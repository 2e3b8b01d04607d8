"""The county on PostgreSQL: the same engine, a real server (started by scripts/gk.sh test)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from gkdesk import county, sync, township
from gkdesk.models import SyncConflict, Village
from gkdesk.store import open_store

from .helpers import db_fingerprint, enrol, make_township, self_id, township_rows

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_pair(pg_url, tmp_path):
    c = open_store(tmp_path / "county", database_url=pg_url)
    assert c.engine.dialect.name == "postgresql"
    with c.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    t1 = make_township(tmp_path, "t1")
    t2 = make_township(tmp_path, "t2", name="石桥镇", code="511702102", villages=(("石桥村", 4),))
    enrol(t1, c, tmp_path)
    enrol(t2, c, tmp_path)
    yield c, t1, t2
    for st in (c, t1, t2):
        st.close()


def test_postgres_county_round_trip_two_townships(pg_pair, tmp_path):
    c, t1, t2 = pg_pair
    p1 = sync.export_data(t1, tmp_path / "usb", "乡镇").files
    p2 = sync.export_data(t2, tmp_path / "usb", "乡镇").files
    reps = sync.import_files(c, p1 + p2, "县级")
    assert [r.status for r in reps] == ["applied", "applied"], [r.reason for r in reps]
    for t in (t1, t2):
        tid = self_id(t)
        assert township_rows(c, tid) == township_rows(t, tid)
    with c.session() as s:
        sts = {st.code: st for st in county.status(s)}
    def nonzero(st):
        return {k: v for k, v in st.rows.items() if v}

    assert nonzero(sts["511702101"]) == {"village": 2, "village_group": 5}
    assert nonzero(sts["511702102"]) == {"village": 1, "village_group": 4}
    # receipts go back, re-import is a no-op
    before = db_fingerprint(c)
    assert [r.status for r in sync.import_files(c, p1 + p2, "县级")] == ["duplicate", "duplicate"]
    assert db_fingerprint(c) == before
    [rr] = sync.import_files(t1, [Path(reps[0].receipt_files[0])], "乡镇")
    assert rr.status == "applied"


def test_postgres_refusal_and_conflict(pg_pair, tmp_path):
    c, t1, _ = pg_pair
    tid = self_id(t1)
    pkg = sync.export_data(t1, tmp_path / "usb", "乡镇").files[0]
    bad = tmp_path / "bad.gkpkg"
    bad.write_bytes(pkg.read_bytes()[:-100])
    before = db_fingerprint(c)
    [r] = sync.import_files(c, [bad], "县级")
    assert r.status == "refused" and db_fingerprint(c) == before
    [r] = sync.import_files(c, [pkg], "县级")
    sync.import_files(t1, [Path(r.receipt_files[0])], "乡镇")
    with c.session() as s:
        s.scalar(select(Village).where(Village.township_id == tid, Village.name == "高桥村")).code = "511702101001"
    with t1.session() as s:
        township.find_village(s, "高桥村").name = "高桥社区"
    [r2] = sync.import_files(c, sync.export_data(t1, tmp_path / "usb", "乡镇").files, "县级")
    assert r2.totals["conflicting"] == 1
    with c.session() as s:
        assert s.scalar(select(SyncConflict.table_name)) == "village"
