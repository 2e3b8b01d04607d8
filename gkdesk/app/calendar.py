"""The holiday calendar as clerk actions: enter a year, import a year file, look, count a deadline.

Working-day deadlines are only as good as the State Council schedule behind them, and
the clerk enters next year's by hand every winter (or imports the small file the county
sends). Both faces call these functions; the texts they print live here, once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from gkdesk import workdays
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.errors import CalendarMissing, InputRejected

SOURCE_BY_HAND = "手工录入"


@dataclass
class YearSaved(Outcome):
    """One year's schedule stored (replacing whatever that year had)."""

    year: int
    holidays: int
    workdays: int
    source: str = SOURCE_BY_HAND
    replaced: bool = False  # the year had data before (a backup was taken first)

    def summary(self) -> str:
        return f"已保存{self.year}年:放假 {self.holidays} 天,调休上班 {self.workdays} 天"

    def payload(self) -> dict[str, object]:
        """What ``calendar set-year|import --json`` prints."""
        return {"status": "ok", "year": self.year, "holidays": self.holidays, "workdays": self.workdays}


@dataclass
class YearSource:
    year: int
    source: str


@dataclass
class Coverage(Outcome):
    """Which years have holiday data, and whether next year is still missing."""

    years: list[YearSource] = field(default_factory=list)
    today: date = field(default_factory=date.today)

    @property
    def next_year_missing(self) -> bool:
        return self.today.year + 1 not in {y.year for y in self.years}

    def span(self) -> str:
        if not self.years:
            return "无"
        ys = [y.year for y in self.years]
        return f"{min(ys)}–{max(ys)}年"

    def summary(self) -> str:
        text = self.span()
        if self.next_year_missing:
            text += f"。尚无{self.today.year + 1}年数据:国务院办公厅通知发布后请在下面录入。"
        return text


@dataclass
class YearSchedule(Outcome):
    """One year's days off (with the festival's name) and make-up working days."""

    year: int
    holidays: list[tuple[date, str]]
    workdays: list[date]

    def summary(self) -> str:
        return ("放假:" + "、".join(f"{d:%m-%d}{name}" for d, name in self.holidays)
                + "\n调休上班:" + "、".join(f"{d:%m-%d}" for d in self.workdays))

    def payload(self) -> dict[str, object]:
        return {"year": self.year, "holidays": [{"date": d.isoformat(), "name": n} for d, n in self.holidays],
                "workdays": [d.isoformat() for d in self.workdays]}


@dataclass
class Deadline(Outcome):
    """A deadline, or the year whose schedule is missing (we never guess Monday–Friday)."""

    start: date
    days: int
    unit: str
    due: date | None
    missing_year: int | None = None

    @property
    def ok(self) -> bool:
        return self.due is not None

    def summary(self) -> str:
        if self.due is not None:
            return self.due.isoformat()
        return CalendarMissing(self.missing_year or self.start.year).message

    def payload(self) -> dict[str, object]:
        text = self.summary()
        return {"start": self.start.isoformat(), "days": self.days, "unit": self.unit,
                "deadline": text if self.ok else None, "message": None if self.ok else text}


def parse_date(text: str | date) -> date:
    """A date typed by the clerk (YYYY-MM-DD); refused, not guessed, when it is not one."""
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError as exc:
        raise InputRejected(f"日期“{text}”无效,应为 YYYY-MM-DD") from exc


def _specs(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def set_year(ws: Workspace, year: int, holidays: str | Iterable[str], make_up: str | Iterable[str] = (),
             *, source: str = SOURCE_BY_HAND) -> YearSaved:
    """Enter a year from the State Council notice: days off and make-up working days, as the clerk
    types them (``2027-01-01 2027-02-06..2027-02-12``). Replacing a year backs up first."""
    hol = workdays.parse_day_specs(_specs(holidays), "放假日期")
    work = workdays.parse_day_specs(_specs(make_up), "调休上班日期")
    return _save(ws, year, hol, work, source)


def import_file(ws: Workspace, path: str | Path) -> YearSaved:
    """Enter a year from a small JSON or text file (the county sends one; Notepad writes one)."""
    path = Path(path)
    year, hol, work = workdays.read_year_file(path)
    return _save(ws, year, hol, work, f"文件导入:{path.name}")


def _save(ws: Workspace, year: int, hol: list[date], work: list[date], source: str) -> YearSaved:
    with ws.session() as s:
        replaced = year in {y for y, _ in workdays.coverage(s)}
    with ws.change(backup="before-replace" if replaced else None) as s:
        res = workdays.set_year(s, year, hol, work, source)
        ws.audit(s, "calendar.set_year", str(year), **res)
    return YearSaved(year, res["holidays"], res["workdays"], source, replaced, changes=frozenset({"calendar"}))


def coverage(ws: Workspace, today: date | None = None) -> Coverage:
    with ws.session() as s:
        rows = workdays.coverage(s)
    return Coverage([YearSource(y, src) for y, src in rows], today or date.today())


def show_year(ws: Workspace, year: int) -> YearSchedule:
    with ws.session() as s:
        cal = workdays.load(s)
    if not cal.covers(year):
        raise CalendarMissing(year)
    hol = sorted((d, n) for d, n in cal.holidays.items() if d.year == year)
    work = sorted(d for d in cal.workdays if d.year == year)
    return YearSchedule(year, hol, work)


def deadline(ws: Workspace, start: str | date, days: int, *, natural: bool = False) -> Deadline:
    """``days`` working days (or natural days, rolled onto a working day) after ``start``."""
    first = parse_date(start)
    if days < 0:
        raise InputRejected(f"天数不能为负数(现在是 {days})")
    unit = workdays.UNIT_NATURAL if natural else workdays.UNIT_WORKING
    with ws.session() as s:
        cal = workdays.load(s)
    try:
        due = cal.add_natural_days(first, days) if natural else cal.add_workdays(first, days)
    except CalendarMissing as exc:
        return Deadline(first, days, unit, None, exc.year)
    return Deadline(first, days, unit, due)
