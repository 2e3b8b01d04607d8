"""The posting period (公示期) printed on a notice: start, length and its unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from gkdesk import workdays
from gkdesk.errors import InputRejected

cn_date = workdays.cn_date  # the notice text and the window write dates the same way


@dataclass(frozen=True)
class PostingPeriod:
    start: date
    days: int
    unit: str  # workdays.UNIT_NATURAL / UNIT_WORKING
    end: date

    def describe(self) -> str:
        return f"公示期:{cn_date(self.start)}至{cn_date(self.end)}(共{self.days}{workdays.UNIT_LABELS[self.unit]})"


BLANK_PERIOD_LINE = "公示期:______年____月____日至______年____月____日"


def posting_period(session: Session, start: date, days: int, working_days: bool = False) -> PostingPeriod:
    """End date of a window that counts ``start`` as day 1 (working days from the stored calendar)."""
    if days < 1:
        raise InputRejected(f"公示天数必须至少为 1 天(现在是 {days})")
    unit = workdays.UNIT_WORKING if working_days else workdays.UNIT_NATURAL
    cal = workdays.load(session)
    end = cal.window_end(start, days, unit)  # CalendarMissing for a year without data: never guess
    return PostingPeriod(start=start, days=days, unit=unit, end=end)
