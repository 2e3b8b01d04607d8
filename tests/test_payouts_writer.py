"""The bulk insert binds what a statement's rows share once (rate, month, sheet) and
the rest per row; a statement whose rows differ in one of those binds everything per row.
Whichever shape a statement takes, every field of every row must land in its column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from gkdesk.models import Payout, Village
from gkdesk.payouts import writer as W
from tests.payout_files import pid

AREA = ["--program", "耕地地力保护补贴", "--year", "2026"]
SHEETS = {"高桥村一组": 70, "高桥村二组": 67}
REMARKS = {10: "已故,由配偶代领", 90: "新增"}


def two_sheet_list(path: Path) -> tuple[Path, list[tuple[Any, ...]]]:
    """Two sheets (one per group), remarks on two rows; returns the file and the rows it should
    store: (seq, village, group, group no., name, ID, quantity, unit, rate, fen, month, remark,
    sheet, Excel row)."""
    wb = Workbook()
    wb.remove(wb.active)
    expected: list[tuple[Any, ...]] = []
    i = 0
    for g, (title, n) in enumerate(SHEETS.items(), start=1):
        ws = wb.create_sheet(title)
        ws.append(["村(社区)", "组", "姓名", "身份证号码", "补贴面积(亩)", "补贴标准", "补贴金额(元)", "备注"])
        for r in range(n):
            area = 1 + i % 7 * 0.5
            fen = round(area * 131.42 * 100)
            ws.append(["高桥村", f"{g}组", f"张{i:05d}", pid(i), area, 131.42, fen / 100, REMARKS.get(i, "")])
            expected.append((i, "高桥村", f"{g}组", g, f"张{i:05d}", pid(i), Decimal(f"{area:g}"), "亩", Decimal("131.42"), fen, "",
                             REMARKS.get(i, ""), title, r + 2))
            i += 1
    wb.save(path)
    return path, expected


def stored(store, batch_id: str) -> list[tuple[Any, ...]]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        q = (select(Payout.seq, Village.name, Payout.group_name, Payout.group_number, Payout.recipient_name,
                    Payout.id_number, Payout.quantity, Payout.unit, Payout.rate, Payout.amount_fen, Payout.month,
                    Payout.remark, Payout.source_sheet, Payout.source_row, Payout.id, Payout.revision,
                    Payout.deleted_at, Payout.created_at, Payout.updated_at)
             .join(Village, Village.id == Payout.village_id).where(Payout.batch_id == batch_id).order_by(Payout.seq))
        return [tuple(r) for r in s.execute(q)]


@pytest.fixture
def shapes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Statements of 50 rows, the last rows in 20s; records each statement's (rows, compact)."""
    monkeypatch.setattr(W, "ROWS_PER_STATEMENT", 50)
    monkeypatch.setattr(W, "TAIL_ROWS", 20)
    seen: list[tuple[int, bool]] = []
    real = W.statement_text

    def spy(n: int, compact: bool) -> str:
        seen.append((n, compact))
        return real(n, compact)

    monkeypatch.setattr(W, "statement_text", spy)
    return seen


@pytest.mark.parametrize("early", [True, False], ids=["while checking", "after checking"])
def test_every_field_lands_in_its_column_whatever_the_statement_shape(
        store, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shapes: list[tuple[int, bool]],
        early: bool) -> None:
    monkeypatch.setattr(W, "EARLY_MIN_ROWS", 100 if early else 10**9)
    f, expected = two_sheet_list(tmp_path / "清册.xlsx")
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    rows = stored(store, r.json["batch"])
    assert [row[:14] for row in rows] == expected
    ids = [row[14] for row in rows]
    assert len(set(ids)) == len(ids) == 137 and len({i[:20] for i in ids}) == 1  # one prefix per batch
    assert [int(i[20:], 16) for i in ids] == list(range(137))
    assert {row[15:17] for row in rows} == {(1, None)}  # revision 1, not deleted
    assert len({row[17] for row in rows} | {row[18] for row in rows}) == 1  # one timestamp
    # Both sheets meet in 50-99: every value bound per row; elsewhere rate, month and sheet are
    # bound once (remarks, on rows 10 and 90, always per row).
    assert shapes == [(50, True), (50, False), (20, True), (17, True)]


def test_statements_are_full_then_tail_sized() -> None:
    sql = W.RowSql("b", "p", "t", "亩", {"高桥村": "v"}, per_statement=5000)
    assert sql.chunks(0, 12_345) == [(0, 5000), (5000, 10_000), (10_000, 11_000), (11_000, 12_000),
                                     (12_000, 12_345)]
    assert sql.chunks(10_000, 10_999) == [(10_000, 10_999)]
    assert sql.chunks(7, 7) == []
    small = W.RowSql("b", "p", "t", "亩", {"高桥村": "v"}, per_statement=70)  # a SQLite that binds 999 values
    assert small.chunks(0, 150) == [(0, 70), (70, 140), (140, 150)]


def test_a_big_lists_statements_are_compiled_while_it_is_read(store, cli, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             shapes: list[tuple[int, bool]]) -> None:
    import threading

    monkeypatch.setattr(W, "EARLY_MIN_ROWS", 100)
    monkeypatch.setattr(W, "WARM_UP_MIN_BYTES", 0)
    warmed: list[int] = []
    real = W.warm_up
    monkeypatch.setattr(W, "warm_up", lambda con, n: warmed.append(n) or real(con, n))
    f, expected = two_sheet_list(tmp_path / "清册.xlsx")
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert warmed == [50]
    assert shapes[:2] == [(50, True), (20, True)]  # compiled before the first row was checked
    assert [row[:14] for row in stored(store, r.json["batch"])] == expected
    assert not [t for t in threading.enumerate() if t.name == "gkdesk-payout-compile"]
    again = cli("payouts", "import", str(f), *AREA, "--period", "第二批", "--json")  # the same rows: refused
    assert again.code == 1 and again.json["duplicate_of"] == r.json["batch"]
    assert warmed == [50, 50]
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Payout)) == 137
