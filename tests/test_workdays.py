"""Working-day arithmetic against the real 2025 and 2026 State Council schedules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkdesk import workdays
from gkdesk.errors import CalendarMissing, InputRejected
from gkdesk.workdays import UNIT_NATURAL, UNIT_WORKING


@pytest.fixture
def cal(store):
    with store.session() as s:
        return workdays.load(s)


def test_request_received_2025_09_26_is_due_2025_10_30(cal) -> None:
    # 9/28 (Sunday) is a make-up working day; 10/1–10/8 are off.
    assert cal.add_workdays(date(2025, 9, 26), 20) == date(2025, 10, 30)
    assert cal.is_workday(date(2025, 9, 28))
    assert not any(cal.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert cal.is_workday(date(2025, 10, 11))  # Saturday make-up day


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 1, 1), False), (date(2026, 1, 2), False), (date(2026, 1, 4), True),  # 元旦, Sunday make-up
    (date(2026, 2, 14), True), (date(2026, 2, 16), False), (date(2026, 2, 23), False), (date(2026, 2, 28), True),
    (date(2026, 4, 6), False), (date(2026, 5, 5), False), (date(2026, 5, 9), True),
    (date(2026, 6, 19), False), (date(2026, 9, 25), False), (date(2026, 9, 20), True),
    (date(2026, 10, 7), False), (date(2026, 10, 10), True), (date(2026, 10, 12), True),
])
def test_2026_schedule(cal, day: date, working: bool) -> None:
    assert cal.is_workday(day) is working


def test_natural_days_roll_forward_past_holiday(cal) -> None:
    # 20 natural days after 2025-09-11 is 10/1 (holiday) → first working day after the block, 10/9.
    assert cal.add_natural_days(date(2025, 9, 11), 20) == date(2025, 10, 9)
    # landing on an ordinary working day stays put
    assert cal.add_natural_days(date(2025, 3, 3), 10) == date(2025, 3, 13)


def test_display_windows_count_the_start_day(cal) -> None:
    assert cal.window_end(date(2026, 3, 2), 7, UNIT_NATURAL) == date(2026, 3, 8)
    # from Monday 2026-09-28: 9/28, 9/29, 9/30, (10/1–10/7 off) 10/8, 10/9, 10/10 (Saturday make-up), 10/12
    assert cal.window_end(date(2026, 9, 28), 7, UNIT_WORKING) == date(2026, 10, 12)


def test_2027_is_refused_not_guessed(cal) -> None:
    with pytest.raises(CalendarMissing) as exc:
        cal.add_workdays(date(2026, 12, 20), 20)
    assert exc.value.message == "待补充2027年节假日安排"
    assert workdays.describe_deadline(cal, date(2026, 12, 20), 20, UNIT_WORKING) == "待补充2027年节假日安排"
    # a deadline that stays inside 2026 still works
    assert workdays.describe_deadline(cal, date(2026, 12, 1), 5, UNIT_WORKING) == "2026-12-08"


def test_clerk_enters_2027_by_hand(store) -> None:
    with store.session() as s:
        hol = workdays.parse_day_specs(["2027-01-01", "2027-02-06..2027-02-12"], "放假日期")
        res = workdays.set_year(s, 2027, hol, [date(2027, 2, 14)])
        assert res == {"year": 2027, "holidays": 8, "workdays": 1}
        cal = workdays.load(s)
    assert cal.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert cal.is_workday(date(2027, 2, 14)) and not cal.is_workday(date(2027, 2, 8))


@pytest.mark.parametrize(("holidays", "work", "message"), [
    ([], [], "不能为空"),
    ([date(2028, 1, 1)], [], "不属于 2027 年"),
    ([date(2027, 1, 1)], [date(2027, 1, 1)], "既是放假日又是调休上班日"),
    ([date(2027, 1, 1)], [date(2027, 1, 6)], "应为周六或周日"),
])
def test_bad_year_entries_are_rejected(store, holidays, work, message) -> None:
    with store.session() as s, pytest.raises(InputRejected, match=message):
        workdays.set_year(s, 2027, holidays, work)


def test_year_file_and_cli(cli, store, tmp_path) -> None:
    store.close()
    f = tmp_path / "2027.txt"
    f.write_text("年份: 2027\n放假: 2027-01-01, 2027-02-06..2027-02-12\n调休上班: 2027-02-14\n", encoding="utf-8")
    r = cli("--json", "calendar", "import", str(f))
    assert r.code == 0 and r.json["holidays"] == 8
    r = cli("--json", "calendar", "deadline", "2026-12-31", "1")
    assert r.json["deadline"] == "2027-01-04"
    r = cli("calendar", "deadline", "2027-12-20", "20")
    assert r.code == 1 and "待补充2028年节假日安排" in r.out
    r = cli("calendar", "set-year", "2028", "--holidays", "2028-13-01")
    assert r.code == 1 and "2028-13-01" in r.err


def test_package_years_do_not_overwrite_hand_entered_ones(store) -> None:
    with store.session() as s:
        workdays.set_year(s, 2026, [date(2026, 1, 1)], [], "县级下发")
        assert workdays.ensure_seeded(s) == []
        assert dict(workdays.coverage(s))[2026] == "县级下发"


@settings(max_examples=60, deadline=None)
@given(start=st.dates(date(2004, 1, 1), date(2026, 10, 31)), n=st.integers(0, 40))
def test_add_workdays_lands_on_the_nth_working_day(start: date, n: int) -> None:
    cal = _CAL
    end = cal.add_workdays(start, n)
    assert cal.workdays_between(start, end) == n
    if n:
        assert cal.is_workday(end)
        assert cal.workdays_between(start, end - timedelta(days=1)) == n - 1


def _package_calendar() -> workdays.WorkCalendar:
    _, data = workdays._package_data()
    hol = {d: n for y in data.values() for d, n in y[0]}
    work = frozenset(d for y in data.values() for d in y[1])
    return workdays.WorkCalendar(frozenset(data), hol, work)


_CAL = _package_calendar()


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_year_file_saved_by_notepad_in_any_encoding(cli, store, tmp_path, encoding) -> None:
    """Windows Notepad saves “ANSI” (GBK) or “Unicode” (UTF-16); both were refused with a Python error."""
    store.close()
    f = tmp_path / "2027年节假日.txt"
    f.write_bytes("年份:2027\r\n放假:2027-01-01,2027-02-06..2027-02-12\r\n上班:2027-02-14\r\n".encode(encoding))
    r = cli("--json", "calendar", "import", str(f))
    assert r.code == 0, r.err
    assert r.json["holidays"] == 8


def test_year_file_that_cannot_be_read_says_so_in_chinese(cli, store, tmp_path) -> None:
    store.close()
    r = cli("calendar", "import", str(tmp_path / "没有.txt"))
    assert r.code == 2 and "找不到节假日文件“没有.txt”" in r.err and "Errno" not in r.err
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04\x14\x00\xff\xfe\x00\x80junk")
    r = cli("calendar", "import", str(tmp_path / "坏.xlsx"))
    assert r.code == 2 and "“坏.xlsx”" in r.err and "codec" not in r.err


def test_health_notes_name_no_command_and_carry_the_year_to_enter(store) -> None:
    """The 首页 shows these notes: the window's words only; each face renders the hint itself."""
    from gkdesk import health
    from gkdesk.hints import Hint

    rep = health.run_checks(store, today=date(2090, 3, 1))
    for item in rep.items:
        assert "gkdesk" not in str(item["detail"]) and "--" not in str(item["detail"])
    details = {i["check"]: i["detail"] for i in rep.items}
    assert "国务院办公厅通知发布后请及时录入" in str(details["calendar_next_year"])
    assert rep.hints["calendar_next_year"] == (Hint.SET_HOLIDAYS, {"year": 2091})
    assert rep.hints["calendar"] == (Hint.SET_HOLIDAYS, {"year": 2090})
    assert "township" not in rep.hints  # initialised: nothing to fix


def test_cli_set_year_show_and_years(cli, store) -> None:
    store.close()
    r = cli("--json", "calendar", "set-year", "2027", "--holidays", "2027-01-01", "2027-02-06..2027-02-12",
            "--workdays", "2027-02-14")
    assert r.code == 0 and r.json == {"status": "ok", "year": 2027, "holidays": 8, "workdays": 1}
    r = cli("calendar", "set-year", "2027", "--holidays", "2027-01-01")
    assert r.code == 0 and "已保存2027年:放假 1 天,调休上班 0 天" in r.out
    r = cli("--json", "calendar", "show", "2027")
    assert r.json == {"year": 2027, "holidays": [{"date": "2027-01-01", "name": "节假日"}], "workdays": []}
    r = cli("--json", "calendar", "years")
    assert r.json["years"][-1] == {"year": 2027, "source": "手工录入"}
    r = cli("--json", "calendar", "show", "2099")
    assert r.code == 1 and r.json["code"] == "calendar_missing" and "calendar set-year 2099" in r.json["message"]
