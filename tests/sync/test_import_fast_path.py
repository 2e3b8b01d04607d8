"""The county's fast import path keeps every rule of the slow one.

Rows are parsed with the C JSON scanner and converted in place, unseen chunks are inserted
without a per-row loop, and the "this row belongs to the sending township" rule is checked
set-wise (distinct parents per chunk), in the same transaction. These tests pin down that
nothing was lost on the way: hostile or damaged lines are refused naming table, line and
field; rows that reach another township through a parent (not only through their own
``township_id``) are refused whole; a resend of the same rows is a no-op.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from gkdesk import sync, township
from gkdesk.models import Village
from gkdesk.models.base import utcnow
from gkdesk.models.payout import Payout, PayoutBatch
from gkdesk.models.township import VillageGroup
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.store import open_store
from gkdesk.sync.apply import parse_lines
from gkdesk.sync.container import PackageRefused
from gkdesk.sync.tables import Codec

from .helpers import Pair, db_fingerprint, enrol, make_township
from .test_refusals import forge


def _import(store, files):
    return sync.import_files(store, files, "县级")


def _second_township(pair, tmp_path):
    """Another township enrolled with the same county, its package imported there."""
    other = make_township(tmp_path, "other", name="石桥镇", code="511702102", villages=(("石桥村", 2),))
    enrol(other, pair.county, tmp_path)
    rep = _import(pair.county, sync.export_data(other, tmp_path / "usb-other", "乡镇").files)[0]
    assert rep.status == "applied", rep.reason
    with other.session() as s:
        village = s.scalars(select(Village)).one()
        return other, village.id, [g.id for g in village.groups]


def _refused(pair, f, contains):
    before = db_fingerprint(pair.county)
    rep = _import(pair.county, [f])[0]
    assert rep.status == "refused", rep
    assert contains in rep.reason, rep.reason
    assert db_fingerprint(pair.county) == before
    return rep


def _group_row(village_id: str) -> dict:
    now = utcnow()
    return {"id": "e" * 32, "created_at": now, "updated_at": now, "revision": 1, "deleted_at": None,
            "village_id": village_id, "number": 9, "name": "第九组"}


def test_a_row_reaching_another_township_through_its_parent_is_refused(pair, tmp_path):
    """village_group has no township_id: its township is its village's. A group hung on the
    other township's village must be refused, though its own columns name no township."""
    other, their_village, _groups = _second_township(pair, tmp_path)
    codec = Codec(VillageGroup.__table__)
    f = forge(pair, tmp_path, {"tables/village_group.jsonl": codec.line(_group_row(their_village))})
    _refused(pair, f, "不属于")
    other.close()


def test_a_row_whose_parent_is_missing_is_refused(pair, tmp_path):
    codec = Codec(VillageGroup.__table__)
    f = forge(pair, tmp_path, {"tables/village_group.jsonl": codec.line(_group_row("d" * 32))})
    _refused(pair, f, "缺少上级记录")


def test_a_newer_version_of_another_townships_row_is_refused(pair, tmp_path):
    """An update (a row the county holds) is checked against the row held, not only the one sent."""
    other, _village, groups = _second_township(pair, tmp_path)
    with pair.county.session() as s:
        held = dict(s.connection().execute(select(VillageGroup.__table__)
                                           .where(VillageGroup.id == groups[0])).mappings().one())
    with pair.township.session() as s:
        mine = s.scalars(select(Village)).first().id
    held.update(revision=held["revision"] + 5, village_id=mine, name="被改走的组")
    f = forge(pair, tmp_path, {"tables/village_group.jsonl": Codec(VillageGroup.__table__).line(held)})
    _refused(pair, f, "属于其他乡镇")
    other.close()


def test_lines_with_windows_endings_and_spaces_are_read(pair):
    codec = Codec(Village.__table__)
    with pair.township.session() as s:
        rows = [dict(r) for r in s.connection().execute(select(Village.__table__)).mappings()]
    data = b"".join(b"  " + codec.line(r)[:-1] + b" \r\n" for r in rows) + b"\r\n\n"
    parsed = parse_lines(codec, data, "tables/village.jsonl")
    assert [p["id"] for p in parsed] == [r["id"] for r in rows]
    assert parsed[0]["created_at"] == rows[0]["created_at"]  # datetimes come back exact


def test_damaged_lines_are_refused_naming_line_and_field(pair):
    codec = Codec(Payout.__table__)
    good = {"id": "a" * 32, "revision": 1, "quantity": "1.5", "created_at": "2026-01-02T03:04:05"}
    import json

    def line(obj) -> bytes:
        return json.dumps(obj, ensure_ascii=False).encode() + b"\n"

    cases = [
        (line(good) + line(good)[:-1] + b" " + line(good), "第 2 行不是有效的 JSON"),  # two objects on one line
        (line(good) + b'{"id": "b"\n', "第 2 行不是有效的 JSON"),
        (line(good) + b"[1, 2]\n", "第 2 行格式不对"),
        (line({**good, "quantity": "很多"}), "第 1 行的“"),
        (line({**good, "created_at": 20260102}), "第 1 行的“"),
        (line({**good, "surprise": 1}), "第 1 行有本机不认识的字段"),
        (line({**good, "revision": True}), "第 1 行缺少编号或版本号"),
        (line({**good, "id": ""}), "第 1 行缺少编号或版本号"),
        (b"\xff\xfe" + line(good), "不是 UTF-8"),
    ]
    for data, expected in cases:
        try:
            parse_lines(codec, data, "tables/payout.jsonl")
        except PackageRefused as exc:
            assert expected in exc.message, (data, exc.message)
            assert "很多" not in exc.message  # the value itself is never quoted
        else:
            raise AssertionError(f"accepted: {data!r}")


def test_a_resent_package_changes_nothing_and_a_mixed_chunk_adds_only_the_new(pair, tmp_path):
    """Full resend: every row "unchanged". Then a package with old and new payout rows in the
    same chunk: only the new ones are inserted; the batch totals still agree."""
    rng = random.Random(7)
    with pair.township.session() as s:
        people = make_people(township.villages(s), 30, rng)
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"))
    first = _import(pair.county, sync.export_data(pair.township, tmp_path / "u1", "乡镇").files)[0]
    assert first.status == "applied" and first.totals["new"] > 30
    again = _import(pair.county, sync.export_data(pair.township, tmp_path / "u2", "乡镇", full=True).files)[0]
    assert again.status == "applied"
    sent_first = first.totals["new"] + first.totals["updated"] + first.totals["unchanged"]
    assert again.totals["new"] == again.totals["updated"] == again.totals["conflicting"] == 0
    assert again.totals["unchanged"] == sent_first
    with pair.township.session() as s:
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people[:5], rng, Decimal("10"), "第2期")
    mixed = _import(pair.county, sync.export_data(pair.township, tmp_path / "u3", "乡镇", full=True).files)[0]
    assert mixed.status == "applied", mixed.reason
    assert mixed.totals["new"] == 6 and mixed.totals["unchanged"] == sent_first
    with pair.county.session() as s:
        assert s.scalar(select(func.count()).select_from(Payout)) == len(people) + 5
        assert s.scalar(select(func.sum(PayoutBatch.row_count))) == len(people) + 5


@pytest.mark.postgres
def test_on_postgresql_a_row_reaching_another_township_through_its_parent_is_refused(pg_url, tmp_path):
    """The same set-wise scope rule on the county's other engine, and a resend that is a no-op."""
    county = open_store(tmp_path / "county", database_url=pg_url)
    with county.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    mine = make_township(tmp_path, "t1")
    enrol(mine, county, tmp_path)
    pair = Pair(mine, county, tmp_path)
    try:
        first = _import(county, sync.export_data(mine, tmp_path / "u1", "乡镇").files)[0]
        assert first.status == "applied", first.reason
        other, their_village, _groups = _second_township(pair, tmp_path)
        f = forge(pair, tmp_path, {"tables/village_group.jsonl":
                                   Codec(VillageGroup.__table__).line(_group_row(their_village))}, seq=2, based_on=1)
        _refused(pair, f, "不属于")
        again = _import(county, sync.export_data(mine, tmp_path / "u2", "乡镇", full=True).files)[0]
        assert again.status == "applied", again.reason
        assert again.totals["new"] == again.totals["updated"] == 0
        other.close()
    finally:
        pair.close()


def test_an_sqlite_without_json_functions_takes_the_plain_in_list(pair, tmp_path, monkeypatch):
    """Old SQLite builds (some UOS/Kylin system libraries) may lack json_each: the lookups
    fall back to an IN list and give the same answers."""
    from gkdesk.sync import apply

    monkeypatch.setattr(apply, "_sqlite_has_json", lambda: False)
    first = _import(pair.county, sync.export_data(pair.township, tmp_path / "u1", "乡镇").files)[0]
    assert first.status == "applied" and first.totals["new"] > 0
    again = _import(pair.county, sync.export_data(pair.township, tmp_path / "u2", "乡镇", full=True).files)[0]
    assert again.totals["new"] == again.totals["updated"] == 0 and again.totals["unchanged"] > 0
    codec = Codec(VillageGroup.__table__)
    f = forge(pair, tmp_path, {"tables/village_group.jsonl": codec.line(_group_row("d" * 32))}, seq=3, based_on=2)
    _refused(pair, f, "缺少上级记录")
