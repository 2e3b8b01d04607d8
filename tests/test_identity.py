"""GB 11643 ID numbers: known vectors, properties of the check code, upgrade and masking."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from gkdesk.identity import (
    check_code,
    check_id,
    is_valid_id,
    make_id,
    mask_account,
    mask_id,
    sex,
    upgrade15,
)

TODAY = date(2026, 11, 22)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
areas = st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)
seqs = st.integers(min_value=0, max_value=999)


def test_reference_vectors() -> None:
    for v in ("11010519491231002X", "440524188001010014", "513101198201130014"):
        assert check_id(v, TODAY).number == v
    assert check_id("11010519491231002x", TODAY).number == "11010519491231002X"
    assert upgrade15("110105491231002") == "11010519491231002X"


def test_errors_name_the_problem() -> None:
    assert "校验位错误" in check_id("110105194912310021", TODAY).error
    assert "出生日期" in check_id(make_id("110105", date(1990, 1, 1), 1)[:10] + "0230" + "0010", TODAY).error
    assert "18位" in check_id("1101051949", TODAY).error
    assert "非法字符" in check_id("11010519491231A02X", TODAY).error
    future = make_id("110105", date(2027, 1, 1), 1)
    assert "晚于今天" in check_id(future, TODAY).error


@given(areas, births, seqs)
def test_generated_ids_are_valid(area: str, born: date, seq: int) -> None:
    n = make_id(area, born, seq)
    assert len(n) == 18 and check_id(n, TODAY).number == n
    assert sex(n) == ("男" if seq % 2 else "女")


@given(areas, births, seqs, st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_caught(area: str, born: date, seq: int, pos: int, delta: int) -> None:
    n = make_id(area, born, seq)
    changed = n[:pos] + str((int(n[pos]) + delta) % 10) + n[pos + 1:]
    assert not is_valid_id(changed, TODAY)


@given(areas, births, seqs, st.integers(0, 15))
def test_adjacent_transposition_is_caught(area: str, born: date, seq: int, pos: int) -> None:
    n = make_id(area, born, seq)
    if n[pos] == n[pos + 1] or n[pos + 1] == "X":
        return
    swapped = n[:pos] + n[pos + 1] + n[pos] + n[pos + 2:]
    assert not is_valid_id(swapped, TODAY)


@given(areas, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), seqs)
def test_15_digit_upgrade_round_trip(area: str, born: date, seq: int) -> None:
    id15 = f"{area}{born:%y%m%d}{seq:03d}"
    r = check_id(id15, TODAY)
    assert r.upgraded and r.number == make_id(area, born, seq)


@given(areas, births, seqs)
def test_masking_hides_birth_date_and_keeps_length(area: str, born: date, seq: int) -> None:
    n = make_id(area, born, seq)
    for pattern in ("first6last4", "hide_birth", "first3last4", "first1last1"):
        m = mask_id(n, pattern)
        assert len(m) == 18 and f"{born:%Y%m%d}" not in m
    assert mask_id(n) == n[:6] + "********" + n[-4:]


def test_check_code_table() -> None:
    assert check_code("11010519491231002") == "X"
    assert mask_account("6217001234567890123") == "****0123"


@given(st.lists(st.text("0123456789", min_size=17, max_size=17), min_size=1, max_size=40),
       st.lists(st.sampled_from("0123456789X"), min_size=40, max_size=40))
def test_payout_fast_path_agrees_with_check_id(first17: list[str], checks: list[str]) -> None:
    """The importer's inline check digit (digits read in base 13) accepts exactly what check_id accepts."""
    from pathlib import Path

    from gkdesk.payouts.parse import parse_payout_sheets, plan_sheets
    from gkdesk.sheets.reader import Sheet

    ids = [f + c for f, c in zip(first17, checks, strict=False)]
    rows = [["姓名", "身份证号", "补贴金额"]] + [[f"张{i}", n, 1.0] for i, n in enumerate(ids)]
    sheet = Sheet("清册", rows)
    plans, _ = plan_sheets([sheet], "x.xlsx")
    from datetime import date

    today = date.today().strftime("%Y%m%d")  # the same "born in the future" cut-off check_id uses
    out = parse_payout_sheets([sheet], plans, Path("x.xlsx"), year=2026, monthly=False, today_key=today)
    bad_rows = {p.row for p in out.errors if "重复" not in p.message}
    want_bad = {i + 2 for i, n in enumerate(ids) if check_id(n).number is None}
    assert bad_rows == want_bad
