"""County → township: a revised catalogue directory shipped as an update package and applied
with the importer's identity matching, so the township's publications stay attached."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from gkdesk import sync
from gkdesk.catalogue import core, importer
from gkdesk.models.catalogue import CatalogueItem, Publication
from tests.test_catalogue_import import official_book, subsidy_rows

OP = "乡镇"


def _item(s, level2: str) -> CatalogueItem:
    return s.scalar(select(CatalogueItem).where(CatalogueItem.level2 == level2))


def test_catalogue_revision_reaches_the_township_and_keeps_publications(pair, tmp_path):
    first = official_book(tmp_path / "目录2025.xlsx", subsidy_rows())
    with pair.township.session() as s:  # the township imported last year's directory itself
        importer.import_directory(s, first, operator=OP)
        item = _item(s, "耕地地力保护")
        core.add_publication(s, item.id, date.today() - timedelta(days=2), channel="村务公开栏", title="耕地地力保护公示",
                             operator=OP)
        item_id = item.id
    rows = subsidy_rows()
    rows[1][3] = "补贴对象、补贴标准、补贴面积、补贴结果"  # 耕地地力保护: content revised
    rows[1][1] = "农业生产发展资金"  # it inherited this 一级事项 from the row now removed
    del rows[0]  # 农机购置补贴 moved to the county level: removed here
    rows.append([4, "农村综合改革转移支付", "美丽乡村建设", "项目名称、资金", "", "每年3月31日前", "乡镇人民政府",
                 "■政府网站", "√", None, "√", None, None, "√"])
    revised = official_book(tmp_path / "目录2026.xlsx", rows)
    with pair.county.session() as s:
        importer.import_directory(s, revised, operator="县级")
    [res] = sync.export_update(pair.county, tmp_path / "down", "县级")
    [rep] = sync.import_files(pair.township, res.files, OP)
    assert rep.status == "applied", rep.reason
    assert (rep.totals["catalogue_added"], rep.totals["catalogue_changed"], rep.totals["catalogue_removed"]) == (1, 1, 1)
    with pair.township.session() as s:
        item = _item(s, "耕地地力保护")
        assert item.id == item_id and item.content == "补贴对象、补贴标准、补贴面积、补贴结果"
        assert item.source_file.startswith("县级下发目录(通川区政务公开办)")
        pub = s.scalar(select(Publication))
        assert pub.item_id == item_id and pub.deleted_at is None and core.publications(item) == [pub]
        assert _item(s, "农机购置补贴").deleted_at is not None
        assert _item(s, "美丽乡村建设").deleted_at is None
        revision = item.revision
    # the same revision again changes nothing
    [res2] = sync.export_update(pair.county, tmp_path / "down2", "县级")
    [rep2] = sync.import_files(pair.township, res2.files, OP)
    assert rep2.status == "applied"
    assert (rep2.totals["catalogue_added"], rep2.totals["catalogue_changed"], rep2.totals["catalogue_removed"]) == (0, 0, 0)
    with pair.township.session() as s:
        assert _item(s, "耕地地力保护").revision == revision
    # and the change travels back up with the next data package (the county sees the same wording)
    up = sync.export_data(pair.township, tmp_path / "usb", OP)
    [rep3] = sync.import_files(pair.county, up.files, "县级")
    assert rep3.status == "applied", rep3.reason
    with pair.county.session() as s:
        assert s.get(CatalogueItem, item_id).content == "补贴对象、补贴标准、补贴面积、补贴结果"


def test_no_catalogue_payload_without_a_county_directory(pair, tmp_path):
    [res] = sync.export_update(pair.county, tmp_path / "down", "县级")
    assert "catalogue" not in res.counts and "calendar" in res.counts
