"""Working-day calendar and deadline arithmetic.

Working day = Monday–Friday minus statutory holidays, plus make-up working days
(调休). The data live in the database (seeded from ``chinesecalendar``, extended by
hand from the State Council notice, or shipped by the county). A computation that
reaches a year without data raises :class:`CalendarMissing` — we never guess.

Counting conventions (REFERENCE §3):
- "N个工作日内" after an event: the event day is not counted; the deadline is the
  N-th working day after it (as ``chinese_calendar.find_workday``).
- "N日内" natural days: the start day is not counted; if the last day is not a
  working day (holiday or weekend rest day) the period ends on the next working day
  (民法典 第二百零三条).
- Display windows (公示期) count the start day as day 1: a 7-day window starting
  on the 1st ends on the 7th; a 7-working-day window ends on the 7th working day
  counting the start day if it is a working day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gkdesk.errors import CalendarMissing, InputRejected, UnreadableInput
from gkdesk.models.calendar import DAY_HOLIDAY, DAY_WORKDAY, CalendarDay, CalendarYear

UNIT_NATURAL = "natural"
UNIT_WORKING = "working"
UNIT_LABELS = {UNIT_NATURAL: "天", UNIT_WORKING: "个工作日"}


@dataclass(frozen=True)
class WorkCalendar:
    """An in-memory snapshot of the calendar for fast arithmetic."""

    years: frozenset[int]
    holidays: dict[date, str]
    workdays: frozenset[date]

    def covers(self, year: int) -> bool:
        return year in self.years

    def _require(self, d: date) -> None:
        if d.year not in self.years:
            raise CalendarMissing(d.year)

    def is_workday(self, d: date) -> bool:
        self._require(d)
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def holiday_name(self, d: date) -> str | None:
        return self.holidays.get(d)

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (``start`` itself not counted)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        d = start
        while n > 0:
            d += timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d

    def next_workday(self, d: date) -> date:
        """``d`` if it is a working day, else the first working day after it."""
        while not self.is_workday(d):
            d += timedelta(days=1)
        return d

    def add_natural_days(self, start: date, n: int) -> date:
        """Natural-day period with the civil-code roll-forward onto a working day."""
        return self.next_workday(start + timedelta(days=n))

    def window_end(self, start: date, n: int, unit: str) -> date:
        """Last day of a display window of ``n`` units that begins on ``start`` (day 1)."""
        if n < 1:
            raise ValueError("a window lasts at least one day")
        if unit == UNIT_NATURAL:
            return start + timedelta(days=n - 1)
        if unit != UNIT_WORKING:
            raise ValueError(f"unknown unit {unit!r}")
        d = start
        count = 1 if self.is_workday(d) else 0
        while count < n:
            d += timedelta(days=1)
            if self.is_workday(d):
                count += 1
        return d

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative if end < start."""
        if end < start:
            return -self.workdays_between(end, start)
        n, d = 0, start
        while d < end:
            d += timedelta(days=1)
            if self.is_workday(d):
                n += 1
        return n


def cn_date(d: date) -> str:
    """2026年12月6日, built from the numbers: a Chinese strftime format fails on Windows (the
    format is encoded in the locale's code page)."""
    return f"{d.year}年{d.month}月{d.day}日"


def load(session: Session) -> WorkCalendar:
    years = frozenset(session.scalars(select(CalendarYear.year)))
    holidays: dict[date, str] = {}
    workdays: set[date] = set()
    for day, kind, name in session.execute(select(CalendarDay.day, CalendarDay.kind, CalendarDay.name)):
        if kind == DAY_HOLIDAY:
            holidays[day] = name
        else:
            workdays.add(day)
    return WorkCalendar(years=years, holidays=holidays, workdays=frozenset(workdays))


def describe_deadline(cal: WorkCalendar, start: date, n: int, unit: str) -> str:
    """Human text for a deadline, or the missing-year notice instead of a guess."""
    try:
        if unit == UNIT_WORKING:
            return cal.add_workdays(start, n).isoformat()
        return cal.add_natural_days(start, n).isoformat()
    except CalendarMissing as exc:
        return exc.message


# --- seeding and editing -------------------------------------------------------------

def _package_data() -> tuple[str, dict[int, tuple[list[tuple[date, str]], list[date]]]]:
    """Read every year the installed ``chinesecalendar`` knows."""
    import chinese_calendar as cc
    from chinese_calendar import constants

    version = getattr(cc, "__version__", "?")
    by_year: dict[int, tuple[list[tuple[date, str]], list[date]]] = {}
    for d, name in constants.holidays.items():
        label = getattr(name, "value", str(name)).split(",")[-1]
        by_year.setdefault(d.year, ([], []))[0].append((d, _CN_NAMES.get(label, label)))
    for d in constants.workdays:
        if d.weekday() >= 5:
            by_year.setdefault(d.year, ([], []))[1].append(d)
    return f"chinesecalendar {version}", by_year


_CN_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


_SEEDED_KEY = "calendar.seeded_from"


def _package_fingerprint() -> str:
    """Identifies the installed ``chinesecalendar`` data without importing it (size and mtime)."""
    import importlib.util

    spec = importlib.util.find_spec("chinese_calendar")
    if spec is None or not spec.origin:
        return ""
    try:
        st = (Path(spec.origin).parent / "constants.py").stat()
    except OSError:
        return ""
    return f"{spec.origin}:{st.st_size}:{st.st_mtime_ns}"


def ensure_seeded(session: Session) -> list[int]:
    """Fill years the package knows and the database lacks; returns the years added.

    Years already present (perhaps entered by hand or shipped by the county) are
    never overwritten by the package. Runs on every open of the store, so it
    remembers (in the ``setting`` table, restored with the data) which package
    data it has already compared against: years are only ever added or replaced,
    never removed, so the same package data cannot add anything the second time and
    the common case is one primary-key lookup, without importing the package.
    """
    from gkdesk.models.setting import Setting

    fingerprint = _package_fingerprint()
    mark = session.get(Setting, _SEEDED_KEY)
    if fingerprint and mark is not None and mark.value == fingerprint:
        return []
    have = set(session.scalars(select(CalendarYear.year)))
    source, data = _package_data()
    added = []
    for year in sorted(data):
        if year in have:
            continue
        holidays, workdays = data[year]
        _write_year(session, year, holidays, workdays, source)
        added.append(year)
    if fingerprint:
        if mark is None:
            session.add(Setting(key=_SEEDED_KEY, value=fingerprint))
        else:
            mark.value = fingerprint
    return added


def _write_year(
    session: Session,
    year: int,
    holidays: Iterable[tuple[date, str]],
    workdays: Iterable[date],
    source: str,
) -> None:
    session.execute(delete(CalendarDay).where(CalendarDay.year == year))
    session.execute(delete(CalendarYear).where(CalendarYear.year == year))
    session.add(CalendarYear(year=year, source=source))
    session.flush()
    session.add_all(CalendarDay(day=d, year=year, kind=DAY_HOLIDAY, name=n) for d, n in holidays)
    session.add_all(CalendarDay(day=d, year=year, kind=DAY_WORKDAY, name="调休上班") for d in workdays)
    session.flush()


_RANGE = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s*(?:(?:\.\.|~|～|至|—|--)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*$")


def parse_day_specs(specs: Iterable[str], what: str) -> list[date]:
    """Parse ``2027-01-01`` and ``2027-02-06..2027-02-12`` items (comma/space separated)."""
    days: list[date] = []
    for spec in specs:
        for part in re.split(r"[,，;；\s]+", spec.strip()):
            if not part:
                continue
            m = _RANGE.match(part.replace("/", "-"))
            if not m:
                raise InputRejected(f"{what}“{part}”不是日期或日期范围(例:2027-01-01 或 2027-02-06..2027-02-12)")
            try:
                first = date.fromisoformat(_pad(m.group(1)))
                last = date.fromisoformat(_pad(m.group(2))) if m.group(2) else first
            except ValueError as exc:
                raise InputRejected(f"{what}“{part}”不是有效日期") from exc
            if last < first:
                raise InputRejected(f"{what}“{part}”的结束日期早于开始日期")
            d = first
            while d <= last:
                days.append(d)
                d += timedelta(days=1)
    return days


def _pad(s: str) -> str:
    y, m, d = s.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def set_year(
    session: Session,
    year: int,
    holidays: list[date],
    workdays: list[date],
    source: str = "手工录入",
    names: dict[date, str] | None = None,
) -> dict[str, int]:
    """Replace one year's holidays and make-up working days (from the State Council notice)."""
    if not 2000 <= year <= 2100:
        raise InputRejected(f"年份 {year} 不在可接受范围内")
    if not holidays:
        raise InputRejected(f"{year}年的节假日不能为空:请按国务院办公厅通知录入放假日期")
    for d in holidays + workdays:
        if d.year != year:
            raise InputRejected(f"日期 {d.isoformat()} 不属于 {year} 年")
    clash = set(holidays) & set(workdays)
    if clash:
        raise InputRejected(f"{min(clash).isoformat()} 不能既是放假日又是调休上班日")
    weekday_workdays = [d for d in workdays if d.weekday() < 5]
    if weekday_workdays:
        raise InputRejected(
            f"调休上班日 {weekday_workdays[0].isoformat()} 是工作日(周一至周五),调休上班日应为周六或周日"
        )
    names = names or {}
    _write_year(session, year, [(d, names.get(d, "节假日")) for d in sorted(set(holidays))],
                sorted(set(workdays)), source)
    return {"year": year, "holidays": len(set(holidays)), "workdays": len(set(workdays))}


def _decode_text(raw: bytes) -> str | None:
    encodings = ("utf-16",) if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "gb18030")
    for enc in encodings:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return None


def read_year_file(path: Path) -> tuple[int, list[date], list[date]]:
    """Read a small calendar file.

    JSON: ``{"year": 2027, "holidays": ["2027-01-01", "2027-02-06..2027-02-12"], "workdays": [...]}``;
    or text lines ``year: 2027`` / ``holidays: …`` / ``workdays: …`` (also 放假:/上班:).
    """
    import json

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(f"找不到节假日文件“{path.name}”({path})") from None
    except OSError as exc:
        raise UnreadableInput(f"无法读取节假日文件“{path.name}”({exc.strerror or type(exc).__name__})") from exc
    text = _decode_text(raw)  # Notepad saves UTF-8, “ANSI” (GBK) or “Unicode” (UTF-16)
    if text is None or "\0" in text:
        raise UnreadableInput(f"节假日文件“{path.name}”不是文本文件(应为 UTF-8 或 GBK 编码的 .txt/.json)")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        obj = {}
        for line in text.splitlines():
            if ":" not in line and ":" not in line:
                continue
            key, _, value = line.replace(":", ":").partition(":")
            key = {"年份": "year", "放假": "holidays", "上班": "workdays", "调休上班": "workdays"}.get(
                key.strip(), key.strip().lower())
            obj[key] = value.strip()
    if not isinstance(obj, dict) or "year" not in obj:
        raise UnreadableInput(f"节假日文件“{path.name}”缺少年份(year)")
    try:
        year = int(obj["year"])
    except (TypeError, ValueError) as exc:
        raise UnreadableInput(f"节假日文件“{path.name}”的年份无效") from exc

    def items(v: object) -> list[str]:
        return [str(x) for x in v] if isinstance(v, list) else [str(v or "")]

    return (year, parse_day_specs(items(obj.get("holidays")), "放假日期"),
            parse_day_specs(items(obj.get("workdays")), "调休上班日期"))


def coverage(session: Session) -> list[tuple[int, str]]:
    return list(session.execute(select(CalendarYear.year, CalendarYear.source).order_by(CalendarYear.year)))
