"""The generic parts: table discovery, FK scope resolution, JSON codec."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from gkdesk import township
from gkdesk.models import Township, Village, VillageGroup
from gkdesk.sync.tables import Codec, scope_path, syncmixin_tables, travelling_tables

from .conftest import PHOTO_TABLE


def test_foundation_tables_are_discovered_parents_first():
    names = [t.name for t in syncmixin_tables()]
    assert names.index("township") < names.index("village") < names.index("village_group")
    assert "audit_log" not in names and "setting" not in names and "sync_peer" not in names


def test_scope_chains_follow_foreign_keys(photo_model):
    assert scope_path(Township.__table__).chain == ()
    assert scope_path(Village.__table__).chain == (("township_id", "township"),)
    assert scope_path(VillageGroup.__table__).chain == (("village_id", "village"), ("township_id", "township"))
    assert scope_path(photo_model.__table__).chain == (
        ("village_group_id", "village_group"), ("village_id", "village"), ("township_id", "township"))


def test_scope_clause_selects_only_one_townships_rows(store):
    with store.session() as s:
        other = Township(name="石桥镇", code="511702102", county_name="通川区")
        s.add(other)
        s.flush()
        v = Village(township_id=other.id, name="石桥村")
        s.add(v)
        s.flush()
        s.add(VillageGroup(village_id=v.id, number=1, name="1组"))
        s.flush()
        me = township.current(s).id
        paths = {p.table.name: p for p in travelling_tables(s.connection())}
        groups = s.execute(select(VillageGroup.__table__.c.id).where(paths["village_group"].clause(me))).all()
        theirs = s.execute(select(VillageGroup.__table__.c.id).where(paths["village_group"].clause(other.id))).all()
    assert len(groups) == 5 + 3 + 2
    assert len(theirs) == 1


def test_tables_missing_from_the_database_do_not_travel(store, photo_model):
    with store.session() as s:
        names = [p.table.name for p in travelling_tables(s.connection())]
    assert PHOTO_TABLE not in names
    # parents before children, every travelling table of the schema, the unmigrated one left out
    assert names[0] == "township" and names.index("village") < names.index("village_group")
    assert {"village", "village_group", "payout_batch", "payout", "posting", "catalogue_item"} <= set(names)


def test_codec_keeps_decimal_date_datetime_exactly(photo_model):
    codec = Codec(photo_model.__table__)
    row = {"id": "a" * 32, "created_at": datetime(2026, 1, 2, 3, 4, 5, 678901), "updated_at": datetime(2026, 1, 2),
           "revision": 3, "deleted_at": None, "village_group_id": "b" * 32, "amount": Decimal("1234.50"),
           "taken_on": date(2026, 2, 29 - 1), "photo_sha": ""}
    line = codec.line(row)
    assert b'"amount":"1234.50"' in line
    import json

    back = codec.load(json.loads(line))
    assert back == row
    assert isinstance(back["amount"], Decimal) and back["amount"] == Decimal("1234.50")
