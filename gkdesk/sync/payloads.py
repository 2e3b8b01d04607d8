"""What the county sends down: named payloads in an ``update`` package.

Built in: ``calendar`` (holiday years). A feature adds its own with
:func:`register_update_payload` — e.g. the catalogue registers ``catalogue`` with a
``build`` that serialises the county's current catalogue revision and an ``apply``
that installs it on the township. ``apply`` runs inside the package's transaction
and must be idempotent (the same payload twice changes nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import workdays
from gkdesk.models.calendar import DAY_HOLIDAY, DAY_WORKDAY, CalendarDay, CalendarYear

Build = Callable[[Session, dict[str, Any]], "dict[str, Any] | None"]
Apply = Callable[[Session, dict[str, Any]], dict[str, int]]


@dataclass(frozen=True)
class UpdatePayload:
    name: str
    label: str  # Chinese, for reports
    build: Build
    apply: Apply


UPDATE_PAYLOADS: dict[str, UpdatePayload] = {}


def register_update_payload(name: str, label: str, build: Build, apply: Apply) -> None:
    UPDATE_PAYLOADS[name] = UpdatePayload(name, label, build, apply)


def _calendar_build(session: Session, options: dict[str, Any]) -> dict[str, Any] | None:
    wanted = options.get("years")
    years = []
    for y in session.scalars(select(CalendarYear).order_by(CalendarYear.year)):
        if wanted and y.year not in wanted:
            continue
        days = session.scalars(select(CalendarDay).where(CalendarDay.year == y.year).order_by(CalendarDay.day))
        hol, work = [], []
        for d in days:
            (hol if d.kind == DAY_HOLIDAY else work).append([d.day.isoformat(), d.name])
        years.append({"year": y.year, "source": y.source, "holidays": hol, "workdays": work})
    return {"years": years} if years else None


def _calendar_apply(session: Session, data: dict[str, Any]) -> dict[str, int]:
    added = replaced = same = 0
    for y in data.get("years", []):
        year = int(y["year"])
        hol = [(date.fromisoformat(d), str(n)) for d, n in y["holidays"]]
        work = [date.fromisoformat(d) for d, _ in y["workdays"]]
        if any(d.year != year for d, _ in hol) or any(d.year != year for d in work):
            raise ValueError(f"{year} 年的节假日数据含有其他年份的日期")
        have = {(d.day, d.kind, d.name) for d in session.scalars(select(CalendarDay).where(CalendarDay.year == year))}
        want = {(d, DAY_HOLIDAY, n) for d, n in hol} | {(d, DAY_WORKDAY, "调休上班") for d in work}
        exists = session.get(CalendarYear, year) is not None
        if exists and have == want:
            same += 1
            continue
        workdays._write_year(session, year, hol, work, f"县级下发({y.get('source', '')})"[:128])
        if exists:
            replaced += 1
        else:
            added += 1
    return {"calendar_added": added, "calendar_replaced": replaced, "calendar_unchanged": same}


register_update_payload("calendar", "节假日安排", _calendar_build, _calendar_apply)
