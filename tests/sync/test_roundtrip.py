"""Township → county → receipt → township, incremental packages, conflicts, attachments, parts."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from gkdesk import paths, sync, township, workdays
from gkdesk.models import SyncConflict, SyncPeer, Township, Village, VillageGroup

from .conftest import PHOTO_TABLE
from .helpers import db_fingerprint, self_id, township_rows


def _export(pair, tmp_path, **kw):
    return sync.export_data(pair.township, tmp_path / "usb", "乡镇", **kw)


def test_round_trip_township_county_receipt(pair, tmp_path):
    tid = self_id(pair.township)
    res = _export(pair, tmp_path)
    assert res.seq == 1 and res.based_on == 0
    assert res.counts == {"township": 1, "village": 2, "village_group": 5}
    assert "安全拔出" in res.safe_message
    assert not list((tmp_path / "usb").glob("*.partial"))

    [rep] = sync.import_files(pair.county, res.files, "县级")
    assert rep.status == "applied", rep.reason
    # The county pre-registered the township row (revision 0): the package updates it.
    assert rep.totals == {"new": 7, "updated": 1, "unchanged": 0, "conflicting": 0}
    assert township_rows(pair.county, tid) == township_rows(pair.township, tid)
    assert len(rep.receipt_files) == 1

    [rr] = sync.import_files(pair.township, [Path(rep.receipt_files[0])], "乡镇")
    assert rr.status == "applied" and rr.kind == "receipt"
    with pair.township.session() as s:
        peer = s.scalar(select(SyncPeer))
        assert peer.acked_seq == 1
        held = {k: v for k, v in json.loads(peer.held_counts).items() if v}
        assert held == {"township": 1, "village": 2, "village_group": 5}


def test_reimport_changes_nothing(pair, tmp_path):
    res = _export(pair, tmp_path)
    sync.import_files(pair.county, res.files, "县级")
    before = db_fingerprint(pair.county)
    [again] = sync.import_files(pair.county, res.files, "县级")
    assert again.status == "duplicate"
    assert db_fingerprint(pair.county) == before


def test_incremental_package_carries_only_changes_and_tombstones(pair, tmp_path):
    tid = self_id(pair.township)
    first = _export(pair, tmp_path)
    [rep] = sync.import_files(pair.county, first.files, "县级")
    sync.import_files(pair.township, [Path(rep.receipt_files[0])], "乡镇")
    with pair.township.session() as s:
        v = township.find_village(s, "柳树村")
        v.name = "柳树社区"
        g = s.scalar(select(VillageGroup).where(VillageGroup.village_id == v.id, VillageGroup.number == 2))
        g.soft_delete()
        township.add_village(s, "白鹤村", 1, "乡镇")
    second = _export(pair, tmp_path)
    assert second.based_on == 1 and second.seq == 2
    assert second.counts == {"village": 2, "village_group": 2}
    [rep2] = sync.import_files(pair.county, second.files, "县级")
    assert rep2.totals == {"new": 2, "updated": 2, "unchanged": 0, "conflicting": 0}
    assert township_rows(pair.county, tid) == township_rows(pair.township, tid)
    with pair.county.session() as s:
        assert s.scalar(select(VillageGroup).where(VillageGroup.id == g.id)).deleted_at is not None


def test_lost_package_is_covered_by_the_next_one(pair, tmp_path):
    tid = self_id(pair.township)
    _export(pair, tmp_path)  # lost on the way
    with pair.township.session() as s:
        township.add_village(s, "石桥村", 2, "乡镇")
    second = _export(pair, tmp_path)
    assert second.based_on == 0  # nothing acknowledged yet: everything again
    [rep] = sync.import_files(pair.county, second.files, "县级")
    assert rep.status == "applied"
    assert township_rows(pair.county, tid) == township_rows(pair.township, tid)


def test_conflict_keeps_both_versions(pair, tmp_path):
    tid = self_id(pair.township)
    [rep] = sync.import_files(pair.county, _export(pair, tmp_path).files, "县级")
    sync.import_files(pair.township, [Path(rep.receipt_files[0])], "乡镇")
    with pair.county.session() as s:  # the county corrects the name locally
        v = s.scalar(select(Village).where(Village.township_id == tid, Village.name == "高桥村"))
        v.code = "511702101001"
        vid = v.id
    with pair.township.session() as s:  # … and the township renames it meanwhile
        township.find_village(s, "高桥村").name = "高桥社区"
    [rep2] = sync.import_files(pair.county, _export(pair, tmp_path).files, "县级")
    assert rep2.totals["conflicting"] == 1 and rep2.tables["village"]["conflicting"] == 1
    with pair.county.session() as s:
        live = s.get(Village, vid)
        assert (live.name, live.code) == ("高桥村", "511702101001")  # ours, not overwritten
        c = s.scalar(select(SyncConflict))
        assert c.row_id == vid and c.table_name == "village"
        assert json.loads(c.incoming_json)["name"] == "高桥社区"
        assert json.loads(c.local_json)["code"] == "511702101001"


def test_deep_table_with_decimal_date_and_attachment(photo_pair, photo_model, tmp_path):
    pair = photo_pair
    tid = self_id(pair.township)
    content = b"%PDF-1.4 notice photo"
    h = hashlib.sha256(content).hexdigest()
    att = pair.township.data_dir / paths.ATTACHMENT_DIRNAME / h[:2] / f"{h}.pdf"
    att.parent.mkdir(parents=True)
    att.write_bytes(content)
    with pair.township.session() as s:
        g = s.scalar(select(VillageGroup).limit(1))
        s.add(photo_model(village_group_id=g.id, amount=Decimal("1234.56"), taken_on=date(2026, 3, 1),
                          photo_sha=f"{h}.pdf"))
    res = _export(pair, tmp_path)
    assert res.counts[PHOTO_TABLE] == 1 and res.attachments == 1
    [rep] = sync.import_files(pair.county, res.files, "县级")
    assert rep.status == "applied", rep.reason
    assert township_rows(pair.county, tid) == township_rows(pair.township, tid)
    got = pair.county.data_dir / paths.ATTACHMENT_DIRNAME / h[:2] / f"{h}.pdf"
    assert got.read_bytes() == content
    with pair.county.session() as s:
        assert s.scalar(select(photo_model.amount)) == Decimal("1234.56")


def test_large_package_is_split_and_joined(pair, tmp_path):
    tid = self_id(pair.township)
    with pair.township.session() as s:
        for i in range(40):
            township.add_village(s, f"测试村{i:02d}", 20, "乡镇")
    res = _export(pair, tmp_path, part_bytes=8 * 1024)
    assert len(res.files) > 2 and all(".part" in f.name for f in res.files)
    [rep] = sync.import_files(pair.county, list(reversed(res.files)), "县级")
    assert rep.status == "applied", rep.reason
    assert township_rows(pair.county, tid) == township_rows(pair.township, tid)


def test_missing_part_is_refused(pair, tmp_path):
    with pair.township.session() as s:
        for i in range(10):
            township.add_village(s, f"测试村{i:02d}", 20, "乡镇")
    res = _export(pair, tmp_path, part_bytes=4 * 1024)
    before = db_fingerprint(pair.county)
    [rep] = sync.import_files(pair.county, res.files[:-1], "县级")
    assert rep.status == "refused" and "缺少第" in rep.reason
    assert db_fingerprint(pair.county) == before


def test_county_sends_calendar_update(pair, tmp_path):
    with pair.county.session() as s:
        workdays.set_year(s, 2031, [date(2031, 1, 1), date(2031, 10, 1)], [date(2031, 9, 27)], source="国办发明电〔2030〕")
    [res] = sync.export_update(pair.county, tmp_path / "down", "县级")
    [rep] = sync.import_files(pair.township, res.files, "乡镇")
    assert rep.status == "applied", rep.reason
    assert rep.totals["calendar_added"] == 1
    with pair.township.session() as s:
        cal = workdays.load(s)
    assert cal.covers(2031) and not cal.is_workday(date(2031, 10, 1)) and cal.is_workday(date(2031, 9, 27))
    # same update again: duplicate; a new update with the same data: unchanged
    before = db_fingerprint(pair.township)
    assert sync.import_files(pair.township, res.files, "乡镇")[0].status == "duplicate"
    assert db_fingerprint(pair.township) == before
    [res2] = sync.export_update(pair.county, tmp_path / "down2", "县级")
    [rep2] = sync.import_files(pair.township, res2.files, "乡镇")
    assert rep2.totals["calendar_added"] == 0 and rep2.totals["calendar_unchanged"] >= 1


def test_registered_township_row_counts(pair, tmp_path):
    sync.import_files(pair.county, _export(pair, tmp_path).files, "县级")
    with pair.county.session() as s:
        assert s.scalar(select(func.count()).select_from(Township)) == 2


def test_county_counts_any_travelling_table(photo_pair, photo_model, tmp_path):
    from gkdesk import county

    pair = photo_pair
    with pair.township.session() as s:
        groups = list(s.scalars(select(VillageGroup).limit(2)))
        for g, amt in zip(groups, ["100.10", "200.25"], strict=True):
            s.add(photo_model(village_group_id=g.id, amount=Decimal(amt), taken_on=date(2026, 3, 1)))
        s.add(photo_model(village_group_id=groups[0].id, amount=Decimal("999"), taken_on=date(2026, 3, 1),
                          deleted_at=datetime(2026, 3, 2)))
    sync.import_files(pair.county, _export(pair, tmp_path).files, "县级")
    with pair.county.session() as s:
        [st] = county.status(s)
        assert st.rows[PHOTO_TABLE] == 2  # live rows only; payout totals come from the payout tables


def test_full_resend_does_not_duplicate_an_open_conflict(pair, tmp_path):
    tid = self_id(pair.township)
    [rep] = sync.import_files(pair.county, _export(pair, tmp_path).files, "县级")
    sync.import_files(pair.township, [Path(rep.receipt_files[0])], "乡镇")
    with pair.county.session() as s:
        s.scalar(select(Village).where(Village.township_id == tid, Village.name == "柳树村")).code = "511702101002"
    with pair.township.session() as s:
        township.find_village(s, "柳树村").name = "柳树社区"
    sync.import_files(pair.county, _export(pair, tmp_path).files, "县级")
    [again] = sync.import_files(pair.county, _export(pair, tmp_path, full=True).files, "县级")
    assert again.status == "applied" and again.totals["conflicting"] == 1
    with pair.county.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncConflict)) == 1
