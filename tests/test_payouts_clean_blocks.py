"""Clean blocks (column by column) must give exactly what the row loop gives.

``gkdesk.payouts.clean_blocks`` takes a block of rows at once only when it can prove the row
loop would accept every row as it is. These tests hold the two ways against each other on
lists made the way clerks' lists go wrong — a stray space, a lower-case x, an amount typed as
text, a 合计 line in the village column, a person twice across blocks, a row cut short — in
every column layout the parser knows, and check that the fast way was really taken where the
rows were clean (else the comparison would prove nothing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from gkdesk.identity import CHECK_CODES
from gkdesk.payouts import clean_blocks, parse
from gkdesk.payouts.plan import SheetPlan
from gkdesk.sheets.header import HeaderMatch
from gkdesk.sheets.reader import Sheet

VILLAGES = ["高桥村", "柳树村", "新华社区", "红石村"]
KNOWN = {v: f"id-{i}" for i, v in enumerate(VILLAGES)}
N_ROWS = 2_500  # two full blocks and a part


def _id(rng: random.Random, birth: str | None = None) -> str:
    head = "511702" + (birth or f"19{rng.randint(30, 99)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}") \
        + f"{rng.randint(0, 999):03d}"
    return head + CHECK_CODES[sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(head)) % 11]


@dataclass
class Layout:
    """Which fields a list has, in which column order."""

    fields: list[str]
    monthly: bool = False
    default_month: str = ""
    fixed_village: str | None = None
    sparse_group: bool = False  # the group column filled only where it differs from the 村组 cell


LAYOUTS = {
    "today": Layout(["seq", "village", "group", "name", "id_number", "account_number", "quantity", "rate",
                     "amount", "remark"]),
    "village_first": Layout(["village", "group", "name", "id_number", "amount"]),
    "export": Layout(["seq", "village_group", "name", "id_number", "phone", "quantity", "rate", "amount",
                      "bank", "account_number", "bank_name", "remark"]),
    "village_group_and_group": Layout(["village_group", "group", "name", "id_number", "amount"], sparse_group=True),
    "address": Layout(["name", "id_number", "address", "amount", "account_number"]),
    "one_village": Layout(["name", "id_number", "quantity", "rate", "amount"], fixed_village="红石村"),
    "monthly": Layout(["village", "name", "id_number", "month", "amount", "remark"], monthly=True),
    "monthly_period": Layout(["village", "name", "id_number", "amount"], monthly=True, default_month="2026-10"),
    "monthly_no_period": Layout(["village", "name", "id_number", "amount"], monthly=True),
}


def _clean_row(rng: random.Random, lay: Layout, i: int, ids: list[str], taken_ids: set[str]) -> list[Any]:
    village = rng.choice(VILLAGES)
    group = rng.randint(1, 9)
    qty = round(rng.uniform(0.5, 20), 2)
    rate = 131.42
    pid = _id(rng)
    while pid in taken_ids:  # a person twice only where a spoiler puts them
        pid = _id(rng)
    taken_ids.add(pid)
    ids.append(pid)
    values = {
        "seq": float(i + 1), "village": village, "group": f"{group}组", "name": rng.choice(["张三", "李四娃", "王小", "阿依·木"]),
        "id_number": pid, "account_number": "62170" + f"{rng.randint(0, 10**13):014d}", "quantity": qty, "rate": rate,
        "amount": round(qty * rate, 2), "remark": "", "village_group": f"{village}{group}组",
        "address": f"四川省达州市梅山镇{village}{group}组", "phone": "13800000000", "bank": "6217000011112222333",
        "bank_name": "四川农信", "month": "2026-10",
    }
    if lay.sparse_group and rng.random() < 0.5:
        values["group"] = ""  # the group comes from the 村组 cell
    if "quantity" not in lay.fields:
        values["amount"] = round(rng.uniform(10, 2000), 2)
    return [values[f] for f in lay.fields]


# One way each a real list goes wrong, as (field, value or a function of the rng and row).
SPOILERS: list[tuple[str, Any]] = [
    ("name", ""), ("name", " 张三"), ("name", "张\u3000三"), ("name", "=cmd|' /C calc'!A0"), ("name", "合计"),
    ("name", "ＡＢ"), ("name", 123.0), ("name", None), ("name", "王小计"), ("name", "张三\n"), ("name", "制表人:李"),
    ("id_number", lambda rng, row: row.lower() if row.endswith("X") else row[:17] + "x"),
    ("id_number", lambda rng, row: row[:17] + ("0" if row[17] != "0" else "1")), ("id_number", "51170219400120000"),
    ("id_number", 5.117021940012e17), ("id_number", ""), ("id_number", None),
    ("id_number", lambda rng, row: "５" + row[1:]), ("id_number", lambda rng, row: _id(rng, "20991201")),
    ("id_number", lambda rng, row: _id(rng, "19990230")), ("id_number", "DUP"), ("id_number", "DUPFAR"),
    ("amount", 500), ("amount", "1,234.50"), ("amount", ""), ("amount", None), ("amount", float("nan")),
    ("amount", float("inf")), ("amount", -5.0), ("amount", 1e12), ("amount", 12.345), ("amount", True),
    ("amount", "合计"),
    ("quantity", ""), ("quantity", None), ("quantity", "3.5"), ("quantity", 4), ("quantity", float("nan")),
    ("quantity", 99.0), ("rate", 2e9),
    ("village", "不存在村"), ("village", ""), ("village", "高桥村2组"), ("village", 3.0), ("village", "合计"),
    ("village_group", "高桥村六组"), ("village_group", "柳树村3社"), ("village_group", "无名村1组"),
    ("address", "无地址"), ("group", ""), ("group", None), ("group", 3.0), ("group", "三组"), ("group", True),
    ("month", ""), ("month", 10.0), ("month", "bad"), ("month", "2026年11月"),
    ("account_number", ""), ("account_number", "6217 0000"), ("account_number", 6.217e18),
    ("account_number", "６２１７"), ("remark", 5.0), ("remark", None), ("remark", "说明:无"),
    ("SHORT", None), ("BLANK", None), ("TOTAL", None), ("FOOTER", None),
]


def _spoil(rng: random.Random, lay: Layout, row: list[Any], ids: list[str],
           spoiler: tuple[str, Any] | None = None) -> list[Any]:
    what, value = spoiler or rng.choice([s for s in SPOILERS if s[0] in lay.fields or s[0].isupper()])
    if what == "SHORT":
        return row[: max(1, len(row) - 2)]
    if what == "BLANK":
        return [""] * len(row)
    if what == "TOTAL":
        out = [""] * len(row)
        out[0] = "合计"
        out[lay.fields.index("amount")] = 99.0
        return out
    if what == "FOOTER":
        return ["制表人:张三  审核人:李四"] + [""] * (len(row) - 1)
    col = lay.fields.index(what)
    if value == "DUP":
        value = ids[-2] if len(ids) > 1 else row[col]
    elif value == "DUPFAR":
        value = ids[rng.randrange(len(ids))]
    elif callable(value):
        value = value(rng, row[col])
    row[col] = value
    return row


def _list(seed: int, lay: Layout, spoil_rate: float) -> Sheet:
    rng = random.Random(seed)
    header = [parse.FIELD_LABELS.get(f, f) for f in lay.fields]
    rows: list[list[Any]] = [["高桥镇补贴发放清册"] + [""] * (len(header) - 1), header]
    ids: list[str] = []
    taken_ids: set[str] = set()
    for i in range(N_ROWS):
        row = _clean_row(rng, lay, i, ids, taken_ids)
        if rng.random() < spoil_rate:
            row = _spoil(rng, lay, row, ids)
        rows.append(row)
    return Sheet("清册", rows)


def _plan(sheet: Sheet, lay: Layout) -> SheetPlan:
    cols = {f: i for i, f in enumerate(lay.fields) if f in parse.FIELD_LABELS}
    header = HeaderMatch(row=1, columns=cols, labels={f: sheet.rows[1][i] for f, i in cols.items()})
    return SheetPlan(sheet.name, header, village=lay.fixed_village)


def _parse(sheet: Sheet, lay: Layout, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[parse.ParsedList, int]:
    taken = [0]
    take = clean_blocks.CleanBlocks.take

    def counting(self: clean_blocks.CleanBlocks, lo: int, hi: int) -> bool:
        ok = take(self, lo, hi)
        taken[0] += ok
        return ok

    monkeypatch.setattr(parse, "CLEAN_BLOCKS", fast)
    monkeypatch.setattr(clean_blocks.CleanBlocks, "take", counting)
    copy = Sheet(sheet.name, [list(r) for r in sheet.rows])  # .csv: an empty amount has no formula to look up
    out = parse.parse_payout_sheets([copy], [_plan(copy, lay)], Path("清册.csv"), year=2026, monthly=lay.monthly,
                                    default_month=lay.default_month, today_key="20261207", known=KNOWN)
    return out, taken[0]


def _same(a: parse.ParsedList, b: parse.ParsedList) -> None:
    assert a.rows == b.rows
    assert [(p.message, p.sheet, p.row, p.column) for p in a.errors] == \
        [(p.message, p.sheet, p.row, p.column) for p in b.errors]
    assert [(p.message, p.sheet, p.row, p.column) for p in a.warnings] == \
        [(p.message, p.sheet, p.row, p.column) for p in b.warnings]
    assert a.error_rows == b.error_rows
    assert a.doubts == b.doubts
    assert a.totals == b.totals


def _cases() -> list[tuple[str, int]]:
    """Every way a row goes wrong, in every layout that has the column it spoils."""
    return [(name, i) for name, lay in sorted(LAYOUTS.items()) for i, (what, _v) in enumerate(SPOILERS)
            if what in lay.fields or what.isupper()]


@pytest.mark.parametrize(("layout", "spoiler"), _cases())
def test_one_odd_row_sends_its_block_to_the_row_loop(layout: str, spoiler: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """One odd row in the middle block: the other blocks are taken at once, and the result is
    the row loop's to the letter (the odd row's error, warning or skip included)."""
    lay = LAYOUTS[layout]
    sheet = _list(spoiler, lay, 0.0)
    rng = random.Random(spoiler)
    at = 2 + clean_blocks.BLOCK + 400  # a row of the second block
    ids = [r[lay.fields.index("id_number")] for r in sheet.rows[2:at]]
    sheet.rows[at] = _spoil(rng, lay, sheet.rows[at], ids, SPOILERS[spoiler])
    fast, taken = _parse(sheet, lay, True, monkeypatch)
    slow, not_taken = _parse(sheet, lay, False, monkeypatch)
    assert not_taken == 0
    _same(fast, slow)
    blocks = -(-N_ROWS // clean_blocks.BLOCK)
    if layout == "monthly_no_period":
        assert taken == 0 and len(fast.errors) >= N_ROWS - 1  # no month anywhere: every row said by the loop
    else:
        assert taken >= blocks - 1


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("spoil_rate", [0.0, 0.002, 0.05])
def test_lists_with_odd_rows_here_and_there(layout: str, spoil_rate: float, monkeypatch: pytest.MonkeyPatch) -> None:
    lay = LAYOUTS[layout]
    sheet = _list(int(spoil_rate * 1e4), lay, spoil_rate)
    fast, taken = _parse(sheet, lay, True, monkeypatch)
    slow, _ = _parse(sheet, lay, False, monkeypatch)
    _same(fast, slow)
    blocks = -(-N_ROWS // clean_blocks.BLOCK)
    if layout == "monthly_no_period":
        assert taken == 0
    elif spoil_rate == 0.0:
        assert taken == blocks and len(fast.rows) == N_ROWS and not fast.errors and not fast.warnings
    elif spoil_rate == 0.05:
        assert taken == 0 and fast.errors  # an odd row in every block


def test_a_person_paid_twice_across_blocks_is_named_with_the_first_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first payment sits in a block taken at once, the second in a later one: the
    message still names the first row, as the loop does."""
    lay = LAYOUTS["today"]
    sheet = _list(7, lay, 0.0)
    id_col = lay.fields.index("id_number")
    sheet.rows[2300][id_col] = sheet.rows[10][id_col]  # row 11 of the sheet, paid again at row 2301
    fast, taken = _parse(sheet, lay, True, monkeypatch)
    slow, _ = _parse(sheet, lay, False, monkeypatch)
    _same(fast, slow)
    assert taken == 2  # the blocks without the second payment
    assert [(p.row, p.column) for p in fast.errors] == [(2301, "身份证号")]
    assert "第11行" in fast.errors[0].message
    assert [d[0] for d in fast.doubts] == ["同一名单重复"]


def test_two_sheets_with_the_same_person_on_both(monkeypatch: pytest.MonkeyPatch) -> None:
    """One village per sheet, a person on both: named with the other sheet's row, both ways."""
    lay = LAYOUTS["today"]
    first, second = _list(11, lay, 0.0), _list(12, lay, 0.0)
    second.name = "柳树村"
    id_col = lay.fields.index("id_number")
    second.rows[1500][id_col] = first.rows[20][id_col]
    results = []
    for fast in (True, False):
        monkeypatch.setattr(parse, "CLEAN_BLOCKS", fast)
        sheets = [Sheet(s.name, [list(r) for r in s.rows]) for s in (first, second)]
        results.append(parse.parse_payout_sheets(sheets, [_plan(s, lay) for s in sheets], Path("清册.csv"), year=2026,
                                                 monthly=False, today_key="20261207", known=KNOWN))
    _same(*results)
    assert [(p.sheet, p.row) for p in results[0].errors] == [("柳树村", 1501)]
    assert "工作表“清册”第21行" in results[0].errors[0].message
    assert len(results[0].rows) == 2 * N_ROWS - 1


def test_a_person_first_in_a_block_the_loop_checked_then_in_a_clean_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first payment sits in a block the loop had to check (an odd name in it), the second
    in a clean block: that block is not taken at once, and the loop names the first row."""
    lay = LAYOUTS["today"]
    sheet = _list(8, lay, 0.0)
    id_col, name_col = lay.fields.index("id_number"), lay.fields.index("name")
    sheet.rows[12][name_col] = "张 三"  # block 1 goes to the loop (a space, normalised with a warning)
    sheet.rows[2200][id_col] = sheet.rows[30][id_col]  # row 31, paid again at row 2201 (block 3)
    fast, taken = _parse(sheet, lay, True, monkeypatch)
    slow, _ = _parse(sheet, lay, False, monkeypatch)
    _same(fast, slow)
    assert taken == 1  # only block 2
    assert [(p.row, p.column) for p in fast.errors] == [(2201, "身份证号")]
    assert "第31行" in fast.errors[0].message
