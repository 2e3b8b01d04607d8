"""County → township: import layouts (导入模板) marked at the county travel in its update
package, signed and sealed with the real key pairs, and apply on the township without
overwriting the township's own layouts (issue 13, Deliver 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from gkdesk import sync
from gkdesk.errors import InputRejected
from gkdesk.models.payout_layout import PayoutLayout
from gkdesk.payouts import layouts as L
from gkdesk.payouts.importer import ImportOptions, import_payouts
from gkdesk.payouts.parse import plan_sheets
from gkdesk.payouts.programs import ensure_programs
from gkdesk.sheets.reader import read_workbook
from tests.payout_real_files import gaoling_roster, yikatong_export

OP = "乡镇"


def _spec_of(path: Path, name: str, **moves: int) -> L.LayoutSpec:
    """The layout a clerk would save for this file (optionally with fields moved to columns)."""
    sheets = read_workbook(path)
    plans, _ = plan_sheets(sheets, path.name)
    header = plans[0].header
    for f, col in moves.items():
        header.columns[f] = col
    return L.spec_from_header(name, sheets[0].rows, header)


def _send(pair, tmp_path: Path, sub: str):
    [res] = sync.export_update(pair.county, tmp_path / sub, "县级")
    [rep] = sync.import_files(pair.township, res.files, OP)
    assert rep.status == "applied", rep.reason
    return res, rep


def _layouts(store) -> dict[str, tuple[str, str]]:
    with store.session() as s:
        return {r.name: (r.origin, r.signature) for r in s.scalars(select(PayoutLayout))}


def test_marked_county_layout_reaches_the_township_and_applies(pair, tmp_path: Path) -> None:
    f = yikatong_export(tmp_path / "耕地地力保护补贴_社保卡.xlsx")
    spec = _spec_of(f, "一卡通导出")
    with pair.county.session() as s:
        L.save(s, spec, "县级")
        L.save(s, _spec_of(gaoling_roster(tmp_path / "高龄.xlsx"), "县里自用"), "县级")  # not marked: stays
        L.set_send_down(s, "一卡通导出", True, "县级")
    res, rep = _send(pair, tmp_path, "down")
    assert "payout_layouts" in res.counts
    assert rep.totals["layouts_added"] == 1
    assert _layouts(pair.township) == {"一卡通导出": ("county", spec.signature)}
    # the township's next list from that system is read by the county's layout
    with pair.township.session() as s:
        ensure_programs(s)
        out = import_payouts(s, f, ImportOptions(program="耕地地力保护补贴", year=2026), operator=OP)
    assert out.status == "imported" and out.data["layout"] == "一卡通导出" and out.data["rows"] == 3
    # the same package content again changes nothing
    _res2, rep2 = _send(pair, tmp_path, "down2")
    assert rep2.totals == {"layouts_unchanged": 1} | {k: v for k, v in rep2.totals.items() if k.startswith("calendar")}


def test_same_name_for_another_header_is_stored_beside_it(pair, tmp_path: Path) -> None:
    f = yikatong_export(tmp_path / "一卡通.xlsx")
    county_spec = _spec_of(f, "一卡通导出")
    mine = _spec_of(gaoling_roster(tmp_path / "高龄.xlsx"), "一卡通导出")  # the township's own, another header
    with pair.township.session() as s:
        L.save(s, mine, OP)
    with pair.county.session() as s:
        L.save(s, county_spec, "县级")
        L.set_send_down(s, "一卡通导出", True, "县级")
    _res, rep = _send(pair, tmp_path, "down")
    assert rep.totals["layouts_renamed"] == 1
    got = _layouts(pair.township)
    assert got["一卡通导出"] == ("local", mine.signature) and got["一卡通导出(县级)"] == ("county", county_spec.signature)
    with pair.township.session() as s:
        assert L.find(s, "一卡通导出").fields == mine.fields  # the township's own mapping kept
        assert L.find(s, "一卡通导出(县级)").fields == county_spec.fields
    _res, rep2 = _send(pair, tmp_path, "down2")  # again: nothing new, nothing renamed twice
    assert rep2.totals.get("layouts_unchanged") == 1 and "layouts_renamed" not in rep2.totals
    assert len(_layouts(pair.township)) == 2


def test_township_header_with_its_own_layout_keeps_it(pair, tmp_path: Path) -> None:
    f = yikatong_export(tmp_path / "一卡通.xlsx")
    for own in ("我们的社保卡模板", "一卡通导出"):  # the township mapped this header itself, any name
        with pair.township.session() as s:
            for r in s.scalars(select(PayoutLayout)):
                s.delete(r)
            L.save(s, _spec_of(f, own), OP)
        with pair.county.session() as s:
            L.save(s, _spec_of(f, "一卡通导出", remark=0), "县级")
            L.set_send_down(s, "一卡通导出", True, "县级")
        _res, rep = _send(pair, tmp_path, f"down-{own}")
        assert rep.totals["layouts_kept_local"] == 1
        assert _layouts(pair.township) == {own: ("local", _spec_of(f, own).signature)}


def test_only_the_county_marks_layouts_and_unmarked_ones_stay(pair, tmp_path: Path) -> None:
    f = yikatong_export(tmp_path / "一卡通.xlsx")
    with pair.township.session() as s:
        L.save(s, _spec_of(f, "一卡通导出"), OP)
        with pytest.raises(InputRejected, match="县级"):
            L.set_send_down(s, "一卡通导出", True, OP)
    with pair.county.session() as s:
        L.save(s, _spec_of(f, "县里自用"), "县级")
    res, _rep = _send(pair, tmp_path, "down")
    assert "payout_layouts" not in res.counts


def test_county_clerk_marks_a_layout_from_the_command_line(pair, tmp_path: Path, capsys) -> None:
    from gkdesk.cli import main

    f = yikatong_export(tmp_path / "一卡通.xlsx")
    with pair.county.session() as s:
        L.save(s, _spec_of(f, "一卡通导出"), "县级")
    county = ["--data-dir", str(pair.county.data_dir), "payouts", "layouts"]
    assert main([*county, "send", "一卡通导出"]) == 0
    assert "将随下次县级更新包下发给各乡镇" in capsys.readouterr().out
    assert main([*county, "list"]) == 0
    assert "一卡通导出" in (out := capsys.readouterr().out) and "下发乡镇" in out
    _res, rep = _send(pair, tmp_path, "down")
    assert rep.totals["layouts_added"] == 1
    assert main([*county, "unsend", "一卡通导出"]) == 0
    [res2] = sync.export_update(pair.county, tmp_path / "down2", "县级")
    assert "payout_layouts" not in res2.counts
    town = ["--data-dir", str(pair.township.data_dir), "payouts", "layouts", "send", "一卡通导出"]
    assert main(town) == 1  # a township does not send layouts down
    assert "县级" in capsys.readouterr().err


def test_a_broken_layout_in_an_update_refuses_the_package_and_changes_nothing(pair, tmp_path: Path) -> None:
    """A layout naming a field this gkdesk does not know (or without 姓名/金额) is refused in
    Chinese, naming it (the sync import turns the error into a refusal of the whole package)."""
    data = {"format": L.FORMAT, "version": 1,
            "layouts": [{"name": "坏模板", "headers": ["户名"], "fields": {"name": "户名", "bogus": "x"}}]}
    with pair.township.session() as s:
        with pytest.raises(ValueError, match="坏模板"):
            L.apply_payload(s, data)
        with pytest.raises(ValueError, match="第1个导入模板格式不对"):
            L.apply_payload(s, {"format": L.FORMAT, "layouts": [["not", "a", "dict"]]})
    assert _layouts(pair.township) == {}
