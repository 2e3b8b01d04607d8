"""A big sheet's rows are converted to Python as the payout importer checks them
(``read_workbook(lazy=True)``, :class:`gkdesk.sheets.reader.Sheet`). Whoever reads a sheet
must see exactly what a whole read gives — the same cells, Excel row numbers, merged cells
filled, errors named at the right row — and planning a list must not look past the rows it
has asked for."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from gkdesk.errors import UnreadableInput
from gkdesk.payouts import parse as P
from gkdesk.payouts.plan import PLAN_ROWS, plan_sheets
from gkdesk.sheets import reader
from gkdesk.sheets.reader import Sheet, read_workbook
from tests.payout_files import pid

KNOWN = {"高桥村": "v1", "柳树村": "v2", "新华社区": "v3"}


@pytest.fixture
def small_lazy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sheets of 100 rows and more are read lazily, 40 rows converted at first."""
    monkeypatch.setattr(reader, "LAZY_MIN_ROWS", 100)
    monkeypatch.setattr(reader, "LAZY_HEAD", 40)


def awkward_list(path: Path, n: int = 3000, *, bad_id_at: int | None = None) -> Path:
    """A list as villages send them: a title, data from column B and row 3, a village merged
    down a block far below the first rows, dates, booleans, empty cells, a 合计 row, a second
    small sheet and an empty third one."""
    wb = Workbook()
    ws = wb.active
    ws.title = "发放清册"
    ws["B1"] = "高桥镇2026年耕地地力保护补贴发放清册"
    ws.merge_cells("B1:J1")
    ws.append([None, "序号", "村(社区)", "组", "姓名", "身份证号码", "补贴面积(亩)", "补贴标准", "补贴金额(元)", "备注"])
    for i in range(n):
        idn = pid(i) if i != bad_id_at else pid(i)[:-1] + ("0" if pid(i)[-1] != "0" else "1")
        remark: Any = date(2026, 3, 1 + i % 28) if i % 97 == 0 else (True if i % 89 == 0 else None)
        village = "" if 2001 <= i <= 2040 else ["高桥村", "柳树村", "新华社区"][i % 3]
        ws.append([None, i + 1, village, f"{1 + i % 4}组", f"张{i:05d}", idn, 1 + i % 7 * 0.5, 131.42,
                   round((1 + i % 7 * 0.5) * 131.42, 2), remark])
    ws.cell(2000 + 3, 3, "柳树村")  # the row of i = 2000 (Excel row 2003) heads a merged block
    ws.merge_cells(start_row=2003, start_column=3, end_row=2043, end_column=3)
    total = sum(round((1 + i % 7 * 0.5) * 131.42, 2) for i in range(n))
    ws.append([None, None, "合计", None, None, None, None, None, round(total, 2)])
    small = wb.create_sheet("说明")
    small.append(["本表由高桥镇农业服务中心填报"])
    wb.create_sheet("空表")
    wb.save(path)
    return path


def test_lazy_sheets_hold_exactly_what_a_whole_read_gives(tmp_path: Path, small_lazy: None) -> None:
    f = awkward_list(tmp_path / "清册.xlsx")
    whole = read_workbook(f)
    lazy = read_workbook(f, lazy=True)
    big = lazy[0]
    assert big._tail is not None, "the big sheet was read whole: nothing here tests the lazy path"
    assert big.height == len(whole[0].rows) == 3000 + 3  # title, header, rows, 合计
    first = big.head(100)
    assert 100 <= len(first) < big.height  # only what was asked for (and what was converted first)
    assert first == whole[0].rows[:len(first)]
    big.load(2500)
    assert big.head(0) is first and len(first) >= 2500
    assert [s.name for s in lazy] == [s.name for s in whole] == ["发放清册", "说明", "空表"]
    for a, b in zip(lazy, whole, strict=True):
        assert a.rows == b.rows  # .rows converts whatever is left
        assert a.merged == b.merged
        assert a.height == len(b.rows)
    assert big.rows is first and big._tail is None
    assert big.rows[1][1:4] == ["序号", "村(社区)", "组"] and big.rows[1][0] == ""  # column A stays empty


def test_a_lazy_list_is_checked_exactly_as_a_whole_one(tmp_path: Path, small_lazy: None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(P, "BLOCK", 100)  # many blocks, each converted just before it is checked
    f = awkward_list(tmp_path / "清册.xlsx", bad_id_at=2700)

    def parse(lazy: bool) -> P.ParsedList:
        sheets = read_workbook(f, lazy=lazy)
        plans, skipped = plan_sheets(sheets, f.name, known=KNOWN)
        assert [p.name for p in plans] == ["发放清册"] and skipped == ["说明", "空表"]
        if lazy:
            assert sheets[0]._tail is not None and len(sheets[0].head(0)) < sheets[0].height  # planned early
        return P.parse_payout_sheets(sheets, plans, f, year=2026, monthly=False, known=KNOWN)

    a, b = parse(True), parse(False)
    assert a.rows == b.rows and len(a.rows) == 2999
    assert [(r[P.R_VILLAGE], r[P.R_ROW]) for r in a.rows[2000:2002]] == [("柳树村", 2003), ("柳树村", 2004)]  # the merged block
    assert [str(e) for e in a.errors] == [str(e) for e in b.errors]
    assert [(e.sheet, e.row) for e in a.errors] == [("发放清册", 2703)]  # Excel row of i = 2700
    assert [str(w) for w in a.warnings] == [str(w) for w in b.warnings]
    assert a.totals == b.totals and a.totals["发放清册"]


class _Poison(list):  # type: ignore[type-arg]
    """A row planning must never touch."""

    def _touched(self, *_a: Any) -> Any:
        raise AssertionError("planning looked at a row after PLAN_ROWS")

    __getitem__ = __iter__ = __len__ = __contains__ = _touched  # type: ignore[assignment]


class _Guarded(Sheet):
    """A sheet that only gives its first PLAN_ROWS rows; the rest are poison."""

    @property
    def rows(self) -> list[list[Any]]:
        raise AssertionError("planning asked for the whole sheet")

    @rows.setter
    def rows(self, value: list[list[Any]]) -> None:
        self._rows, self._tail = value, None

    def head(self, n: int) -> list[list[Any]]:
        assert n <= PLAN_ROWS
        return self._rows


@pytest.mark.parametrize("layout", ["headers", "export headers", "village from title"])
def test_planning_looks_at_no_row_after_plan_rows(tmp_path: Path, layout: str) -> None:
    wb = Workbook()
    ws = wb.active
    if layout == "village from title":
        ws.title = "Sheet1"
        ws.append(["柳树村2026年耕地地力保护补贴发放名单"])
        ws.append(["姓名", "身份证号码", "补贴金额(元)"])
    elif layout == "headers":
        ws.append(["村(社区)", "姓名", "身份证号码", "一卡通账号", "补贴面积(亩)", "补贴金额(元)"])
    else:  # an 一卡通 export: columns found by content and header scoring
        ws.append(["所属村", "收款人全称", "收款人身份证号", "收款账号", "计税面积", "最终确定发放该人补贴总金额"])
    for i in range(PLAN_ROWS + 200):
        row: list[Any] = [f"张{i:05d}", pid(i), 131.42]
        if layout != "village from title":
            area = 1 + i % 13 * 0.25
            row = ["高桥村", f"张{i:05d}", pid(i), f"62170{i:014d}", area, round(area * 131.42, 2)]
        ws.append(row)
    wb.save(tmp_path / "名单.xlsx")
    whole = read_workbook(tmp_path / "名单.xlsx")[0]
    guarded = _Guarded(whole.name, whole.rows[:PLAN_ROWS] + [_Poison() for _ in whole.rows[PLAN_ROWS:]])
    plans, _ = plan_sheets([guarded], "名单.xlsx", known=KNOWN)
    expected, _ = plan_sheets([whole], "名单.xlsx", known=KNOWN)
    assert [(p.header, p.village, p.village_from) for p in plans] == \
        [(p.header, p.village, p.village_from) for p in expected]
    assert plans and "name" in plans[0].header.columns and "amount" in plans[0].header.columns


class _Panic(BaseException):
    """What a Rust panic inside calamine arrives as (pyo3's PanicException is a BaseException)."""


def _rows_then(fault: BaseException | None, n: int) -> Any:
    yield from (["张三", float(i)] for i in range(n))
    if fault is not None:
        raise fault


def test_a_fault_in_the_rows_not_yet_converted_is_named_like_any_unreadable_sheet() -> None:
    sheet = Sheet("发放清册", [])
    sheet._tail = reader._Tail(_rows_then(_Panic("cell"), 30), 0, 100, "清册.xlsx", "发放清册")
    sheet.load(20)
    assert len(sheet.head(0)) == 20
    with pytest.raises(UnreadableInput, match=r"无法读取文件“清册\.xlsx”的工作表“发放清册”:文件内容异常"):
        sheet.load(60)


def test_a_sheet_that_ends_early_or_late_is_refused_not_cut_short() -> None:
    for ask in ("part", "all"):
        short = Sheet("发放清册", [])
        short._tail = reader._Tail(_rows_then(None, 30), 1, 100, "清册.xlsx", "发放清册")
        with pytest.raises(UnreadableInput, match="读出的行数与表格记录的不一致"):
            short.load(50) if ask == "part" else short.rows
    long = Sheet("发放清册", [])
    long._tail = reader._Tail(_rows_then(None, 101), 0, 100, "清册.xlsx", "发放清册")
    with pytest.raises(UnreadableInput, match="读出的行数与表格记录的不一致"):
        long.load()
    padded = Sheet("发放清册", [])
    padded._tail = reader._Tail(_rows_then(None, 5), 2, 5, "清册.xlsx", "发放清册")
    assert padded.rows[4] == ["", "", "张三", 4.0]  # the empty columns before the first cell come back
