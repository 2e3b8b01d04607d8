"""Demo data goes through the real importer; a cancelled import leaves the database untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from gkdesk.errors import Cancelled
from gkdesk.models import Payout, PayoutBatch
from gkdesk.payouts.importer import ImportOptions, import_payouts
from gkdesk.payouts.queries import batch_rows, count_rows, reveal_id, rows_select
from tests.payout_files import messy_area_xlsx, pid


def test_demo_has_two_payout_batches(cli) -> None:
    r = cli("demo", "--json")
    assert r.code == 0 and r.json["counts"]["payout_batches"] == 2
    batches = cli("payouts", "list", "--json").json["batches"]
    assert sorted(b["program"] for b in batches) == ["低保金", "耕地地力保护补贴"]
    assert all(int(b["rows"]) > 20 for b in batches)


def test_cancel_rolls_back(store, tmp_path: Path) -> None:
    f = messy_area_xlsx(tmp_path / "c.xlsx")
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 2  # cancel once rows are about to be written

    with pytest.raises(Cancelled), store.session() as s:
        import_payouts(s, f, ImportOptions("耕地地力保护补贴", 2026), operator="测试员", cancelled=cancelled)
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(PayoutBatch)) == 0
        assert s.scalar(select(func.count()).select_from(Payout)) == 0


def test_search_masks_and_reveal_is_audited(store, tmp_path: Path) -> None:
    from gkdesk.audit import recent

    f = messy_area_xlsx(tmp_path / "s.xlsx")
    with store.session() as s:
        batch = import_payouts(s, f, ImportOptions("耕地地力保护补贴", 2026), operator="测试员").data["batch"]
    with store.session() as s:
        assert count_rows(s, batch) == 5 and count_rows(s, batch, "柳树") == 1 and count_rows(s, batch, "王五") == 1
        row = batch_rows(s, batch, "王五")[0]
        assert row[2] == "王五" and row[3] == pid(3)[:6] + "********" + pid(3)[-4:]
        payout_id = s.execute(rows_select(batch, "王五")).first()[0]
        assert reveal_id(s, payout_id, "测试员") == pid(3)
    with store.session() as s:
        assert recent(s, 1)[0].action == "payouts.reveal_id"


def test_mapping_override_and_sheet_choice(store, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "应发"
    ws.append(["村", "姓名", "身份证号", "金额", "实发金额"])
    ws.append(["高桥村", "甲", pid(1), 100, 90])
    other = wb.create_sheet("另表")
    other.append(["村", "姓名", "身份证号", "金额"])
    other.append(["柳树村", "乙", pid(2), 50])
    f = tmp_path / "two.xlsx"
    wb.save(f)
    with store.session() as s:
        # 实发 (the paid amount) wins over a plain 金额 column, and the report says so
        res = import_payouts(s, f, ImportOptions("临时救助", 2026, sheet="应发", dry_run=True))
        assert (res.status, res.data["total_amount"], res.data["sheets"]) == ("checked", "90.00", ["应发"])
        assert res.data["columns"]["amount"] == "实发金额" and "实发" in res.data["column_notes"][0]
        res = import_payouts(s, f, ImportOptions("临时救助", 2026, sheet="应发",
                                                 mapping={"village": 0, "name": 1, "id_number": 2, "amount": 3}))
        assert (res.status, res.data["total_amount"]) == ("imported", "100.00")
        assert res.data["columns"]["amount"] == "金额"
