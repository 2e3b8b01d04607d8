"""A big payout list is stored while it is still being checked (gkdesk.payouts.writer), inside a
savepoint: what ends up in the database must be exactly what the ordinary write stores, and a
list that is refused — an error in its last row, the same rows as a stored batch — must leave
nothing behind, whatever the helper thread had already stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from gkdesk import backups
from gkdesk.models import Payout, PayoutBatch, Village
from gkdesk.models.sync import SyncLocalEdit
from gkdesk.payouts import importer
from gkdesk.payouts import writer as W
from tests.payout_files import pid

AREA = ["--program", "耕地地力保护补贴", "--year", "2026"]
VILLAGES = ["高桥村", "柳树村", "新华社区"]


def big_list(path: Path, n: int, *, village_at: dict[int, str] | None = None, bad_id_at: int | None = None,
             rate: float = 131.42, formula_at: int | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "村(社区)", "组", "姓名", "身份证号码", "补贴面积(亩)", "补贴标准", "补贴金额(元)"])
    for i in range(n):
        village = (village_at or {}).get(i, VILLAGES[i % 3])
        idn = pid(i) if i != bad_id_at else pid(i)[:-1] + ("0" if pid(i)[-1] != "0" else "1")
        amount: object = round((1 + i % 7 * 0.5) * rate, 2)
        if i == formula_at:
            amount = f"=F{i + 2}*G{i + 2}"  # no cached value: the importer computes it afterwards
        ws.append([i + 1, village, f"{1 + i % 4}组", f"张{i:05d}", idn, 1 + i % 7 * 0.5, rate, amount])
    wb.save(path)
    return path


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What became of each early write: True = its rows were kept as stored."""
    seen: list[bool] = []
    keep = importer._Early.keep

    def spy(self, rows):  # type: ignore[no-untyped-def]
        seen.append(keep(self, rows))
        return seen[-1]

    monkeypatch.setattr(importer._Early, "keep", spy)
    return seen


@pytest.fixture
def small_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements of 50 rows and early writing from 200 rows, so small lists take the early path."""
    monkeypatch.setattr(W, "ROWS_PER_STATEMENT", 50)
    monkeypatch.setattr(W, "EARLY_MIN_ROWS", 200)


def rows_of(store, batch_id: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        q = (select(Payout.seq, Village.name, Payout.group_name, Payout.group_number, Payout.recipient_name,
                    Payout.id_number, Payout.quantity, Payout.unit, Payout.rate, Payout.amount_fen, Payout.month,
                    Payout.source_sheet, Payout.source_row, Payout.revision, Payout.deleted_at)
             .join(Village, Village.id == Payout.village_id).where(Payout.batch_id == batch_id).order_by(Payout.seq))
        return [tuple(r) for r in s.execute(q)]


def counts(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with store.session() as s:
        return (s.scalar(select(func.count()).select_from(Payout)) or 0,
                s.scalar(select(func.count()).select_from(PayoutBatch)) or 0)


def test_a_big_list_stored_early_is_what_the_ordinary_write_stores(store, cli, kept, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    n = 10_000  # five full statements of 2,000 rows: the real sizes
    f = big_list(tmp_path / "清册.xlsx", n)
    r = cli("payouts", "import", str(f), *AREA, "--period", "第一批", "--json")
    assert r.code == 0, r.out
    assert kept == [True]
    early = rows_of(store, r.json["batch"])
    assert [row[0] for row in early] == list(range(n))  # contiguous sequence, in the file's order
    assert [row[12] for row in early] == list(range(2, n + 2))  # Excel rows
    monkeypatch.setattr(W, "EARLY_MIN_ROWS", 10**9)  # the same list, the ordinary way
    r2 = cli("payouts", "import", str(f), *AREA, "--period", "第二批", "--allow-duplicate", "--json")
    assert r2.code == 0, r2.out
    assert kept == [True]  # no early writer this time
    assert rows_of(store, r2.json["batch"]) == early
    with store.session() as s:
        b1, b2 = s.get(PayoutBatch, r.json["batch"]), s.get(PayoutBatch, r2.json["batch"])
        assert (b1.row_count, b1.total_fen, b1.village_count) == (b2.row_count, b2.total_fen, b2.village_count)
        assert b1.row_count == n and b1.village_count == 3
        assert b1.total_fen == sum(round(round((1 + i % 7 * 0.5) * 131.42, 2) * 100) for i in range(n))
        ids = s.scalars(select(Payout.id).where(Payout.batch_id == b1.id)).all()
        assert len(set(ids)) == n and len({i[:20] for i in ids}) == 1  # one prefix per batch, then the sequence
        # A new batch is one insert to the county, not a local edit of a synced row.
        assert (b1.revision, b2.revision) == (1, 1) and b1.updated_at == b1.created_at
        assert s.scalar(select(func.count()).select_from(SyncLocalEdit)) == 0


def test_an_error_in_the_last_row_leaves_nothing_stored(store, cli, kept, small_statements, data_dir: Path,
                                                         tmp_path: Path) -> None:
    f = big_list(tmp_path / "清册.xlsx", 600, bad_id_at=599)
    copies = len(backups.list_backups(data_dir))
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 1 and r.json["status"] == "rejected"
    assert [e["row"] for e in r.json["errors"]] == [601]
    assert counts(store) == (0, 0)  # the rows stored meanwhile were rolled back with their batch
    assert len(backups.list_backups(data_dir)) == copies  # a refused list makes no restore point
    assert kept == []


def test_a_village_to_add_late_in_the_list_falls_back_to_the_ordinary_write(store, cli, kept, small_statements,
                                                                            tmp_path: Path) -> None:
    f = big_list(tmp_path / "清册.xlsx", 600, village_at={590: "石桥村"})
    r = cli("payouts", "import", str(f), *AREA, "--add-villages", "--json")
    assert r.code == 0, r.out
    assert r.json["rows"] == 600 and r.json["villages"]["石桥村"] == 1
    assert kept == [False]
    rows = rows_of(store, r.json["batch"])
    assert [row[0] for row in rows] == list(range(600)) and rows[590][1] == "石桥村"
    assert counts(store) == (600, 1)


def test_the_same_rows_under_another_period_are_refused_and_leave_nothing(store, cli, kept, small_statements,
                                                                          tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal comes after the parse, so every row had been stored: the savepoint's rollback
    is what leaves the database as it was."""
    stored_then_rolled_back: list[int] = []
    discard = importer._Early.discard

    def spy(self, **kw):  # type: ignore[no-untyped-def]
        if not self.kept and self.nested is not None:
            stored_then_rolled_back.append(len(self.writer.inserted))
        return discard(self, **kw)

    monkeypatch.setattr(importer._Early, "discard", spy)
    f = big_list(tmp_path / "清册.xlsx", 600)
    assert cli("payouts", "import", str(f), *AREA, "--period", "第一批").code == 0
    again = big_list(tmp_path / "清册(2).xlsx", 600)  # same rows, another file
    r = cli("payouts", "import", str(again), *AREA, "--period", "第二批", "--json")
    assert r.code == 1 and r.json.get("duplicate_of"), r.out  # not the batch it was itself being stored in
    assert stored_then_rolled_back == [600]
    assert counts(store) == (600, 1)
    assert kept == [True]  # the first import only


def test_replacing_a_batch_early_retires_the_old_rows(store, cli, kept, small_statements, tmp_path: Path) -> None:
    first = big_list(tmp_path / "清册.xlsx", 600)
    r1 = cli("payouts", "import", str(first), *AREA, "--json")
    fixed = big_list(tmp_path / "清册-更正.xlsx", 600, rate=120.0)
    r2 = cli("payouts", "import", str(fixed), *AREA, "--replace", "--json")
    assert r2.code == 0, r2.out
    assert kept == [True, True]
    with store.session() as s:
        live = s.scalars(select(Payout.batch_id).where(Payout.deleted_at.is_(None))).all()
        assert set(live) == {r2.json["batch"]} and len(live) == 600
        assert s.get(PayoutBatch, r1.json["batch"]).deleted_at is not None
        assert s.get(PayoutBatch, r2.json["batch"]).replaces_id == r1.json["batch"]


def test_a_row_computed_from_a_formula_keeps_its_place(store, cli, kept, small_statements, tmp_path: Path) -> None:
    f = big_list(tmp_path / "清册.xlsx", 600, formula_at=120)
    r = cli("payouts", "import", str(f), *AREA, "--json")
    assert r.code == 0, r.out
    assert kept == [False]  # its row came after the others: written the ordinary way, in the file's order
    rows = rows_of(store, r.json["batch"])
    assert [row[12] for row in rows] == list(range(2, 602))
    assert rows[120][9] == round((1 + 120 % 7 * 0.5) * 131.42 * 100)


def test_a_sqlite_that_binds_fewer_values_gets_smaller_statements(store, cli, kept, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite before 3.32, or a build that says so, binds 999 values per statement at most."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def low_limit(con, _rec) -> None:  # type: ignore[no-untyped-def]
        con.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)

    sizes: list[int] = []
    real = W.rows_per_statement
    monkeypatch.setattr(W, "rows_per_statement", lambda con: sizes.append(real(con)) or sizes[-1])
    monkeypatch.setattr(W, "EARLY_MIN_ROWS", 200)
    f = big_list(tmp_path / "清册.xlsx", 600)
    event.listen(Engine, "connect", low_limit)
    try:
        r = cli("payouts", "import", str(f), *AREA, "--json")
        monkeypatch.setattr(W, "EARLY_MIN_ROWS", 10**9)  # and the ordinary write
        r2 = cli("payouts", "import", str(f), *AREA, "--period", "第二批", "--allow-duplicate", "--json")
    finally:
        event.remove(Engine, "connect", low_limit)
    assert r.code == 0 and r2.code == 0, r.out + r2.out
    assert sizes == [70, 70]  # (999 - 8 bound once per statement) // 14 values per row
    assert kept == [True] and counts(store) == (1200, 2)
    assert rows_of(store, r2.json["batch"]) == rows_of(store, r.json["batch"])
