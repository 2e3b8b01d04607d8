"""Holiday calendar: per-year data with provenance, and the exceptions to Mon–Fri.

A year is either present (with its source) or absent; absence means "no data",
never "no holidays". Days store only the exceptions: ``holiday`` (a day off,
including the weekend days inside a holiday block, for display) and ``workday``
(a weekend day that is a make-up working day, 调休).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gkdesk.models.base import Base, utcnow

DAY_HOLIDAY = "holiday"
DAY_WORKDAY = "workday"


class CalendarYear(Base):
    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(128), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class CalendarDay(Base):
    __tablename__ = "calendar_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(
        ForeignKey("calendar_year.year", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[str] = mapped_column(String(8), nullable=False)
    name: Mapped[str] = mapped_column(String(32), nullable=False, default="")
