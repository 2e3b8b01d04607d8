"""The posting calendar: for a village and year, which catalogue items are due, posted, late or missing.

Each periodic item has one slot per period (month, quarter, half-year, year). A slot is
due at the end of its period, or — with a fixed day such as 每季度首月20日 — on that day
of the period's first month, moved to the next working day when it falls on a holiday
or rest day (that needs the year's holiday data; without it the slot says
“待补充YYYY年节假日安排” instead of guessing). A posting counts for the slot it names
(``Posting.slot``) or else the slot its posting date falls in.
"""

from __future__ import annotations

import calendar as _cal
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import township, village_catalogue, workdays
from gkdesk.errors import CalendarMissing
from gkdesk.models.posting import Posting
from gkdesk.models.posting_lifecycle import POSTED_STATUSES, STATUS_WITHDRAWN
from gkdesk.models.township import Village
from gkdesk.models.village_disclosure import (
    FREQ_HALF_YEAR,
    FREQ_IMMEDIATE,
    FREQ_MONTHLY,
    FREQ_QUARTERLY,
    FREQ_YEARLY,
    VillageCatalogueItem,
)

CELL_POSTED = "posted"
CELL_LATE = "late"
CELL_MISSING = "missing"
CELL_DUE = "due"
CELL_FUTURE = "future"
CELL_UNKNOWN = "unknown"
CELL_NONE = "none"  # an immediate item with nothing posted that month: nothing owed
CELL_UNTRACKED = "untracked"  # due before the village's calendar was kept: neither due nor overdue
CELL_LABELS = {CELL_POSTED: "已公示", CELL_LATE: "逾期公示", CELL_MISSING: "逾期未公示", CELL_DUE: "待公示",
               CELL_FUTURE: "未到期", CELL_UNKNOWN: "待定", CELL_NONE: "", CELL_UNTRACKED: "开始跟踪前"}
_QUARTER_NAMES = ("一季度", "二季度", "三季度", "四季度")


@dataclass(frozen=True)
class Slot:
    key: str
    label: str
    start: date
    end: date

    @property
    def first_month(self) -> int:
        return self.start.month

    @property
    def months(self) -> int:
        return self.end.month - self.start.month + 1


def _month_end(year: int, month: int) -> date:
    return date(year, month, _cal.monthrange(year, month)[1])


def slots(frequency: str, year: int) -> list[Slot]:
    if frequency in (FREQ_MONTHLY, FREQ_IMMEDIATE):
        return [Slot(f"{year}-{m:02d}", f"{m}月", date(year, m, 1), _month_end(year, m)) for m in range(1, 13)]
    if frequency == FREQ_QUARTERLY:
        return [Slot(f"{year}-Q{q + 1}", _QUARTER_NAMES[q], date(year, 3 * q + 1, 1), _month_end(year, 3 * q + 3))
                for q in range(4)]
    if frequency == FREQ_HALF_YEAR:
        return [Slot(f"{year}-H1", "上半年", date(year, 1, 1), date(year, 6, 30)),
                Slot(f"{year}-H2", "下半年", date(year, 7, 1), date(year, 12, 31))]
    if frequency == FREQ_YEARLY:
        return [Slot(f"{year}", "全年", date(year, 1, 1), date(year, 12, 31))]
    raise ValueError(frequency)


def slot_of(frequency: str, d: date) -> str:
    return next(s.key for s in slots(frequency, d.year) if s.start <= d <= s.end)


def due_date(cal: workdays.WorkCalendar, item: VillageCatalogueItem, slot: Slot) -> date:
    """Raises CalendarMissing when a fixed day needs a year without holiday data."""
    if item.fixed_day:
        return cal.next_workday(date(slot.start.year, slot.start.month, item.fixed_day))
    return slot.end


@dataclass
class Cell:
    slot: Slot
    status: str
    due: date | None = None
    posted_on: date | None = None
    posting_ids: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def label(self) -> str:
        return CELL_LABELS[self.status]


@dataclass
class CalendarRow:
    item_id: str
    category: str
    name: str
    frequency_text: str
    cells: list[Cell]


@dataclass
class VillageCalendar:
    village_id: str
    village_name: str
    year: int
    today: date
    rows: list[CalendarRow]
    notes: list[str] = field(default_factory=list)
    tracking_from: date | None = None  # first month the calendar counts (None: every period)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows for c in r.cells if c.status == status)

    def missing(self) -> list[tuple[str, Cell]]:
        return [(r.name, c) for r in self.rows for c in r.cells if c.status == CELL_MISSING]


@dataclass(frozen=True)
class _Posted:
    """The few columns of a posting the calendar needs (read as tuples, not ORM objects)."""

    id: str
    slot: str
    posted_on: date | None
    status: str


def _postings_by_item(session: Session, village_ids: list[str]) -> dict[str, list[_Posted]]:
    out: dict[str, list[_Posted]] = defaultdict(list)
    q = (select(Posting.id, Posting.catalogue_item_id, Posting.slot, Posting.posted_on, Posting.status)
         .where(Posting.village_id.in_(village_ids), Posting.catalogue_item_id.is_not(None),
                Posting.deleted_at.is_(None), Posting.status != STATUS_WITHDRAWN))
    for pid, item_id, slot, posted_on, status in session.execute(q):
        out[item_id].append(_Posted(pid, slot, posted_on, status))
    return out


def _cell(cal: workdays.WorkCalendar, item: VillageCatalogueItem, slot: Slot, postings: list[_Posted],
          today: date, tracking_from: date | None = None) -> Cell:
    """The status of one period; ``postings`` are the item's postings that count for this slot."""
    mine = postings
    on_board = sorted((p for p in mine if p.status in POSTED_STATUSES and p.posted_on and p.posted_on <= today),
                      key=lambda p: p.posted_on or date.min)
    drafts = [p for p in mine if p.status not in POSTED_STATUSES]
    note = f"有{len(drafts)}份待审核/待张贴" if drafts else ""
    ids = [p.id for p in on_board] + [p.id for p in drafts]
    if item.frequency == FREQ_IMMEDIATE:
        status = CELL_POSTED if on_board else CELL_NONE
        return Cell(slot, status, None, on_board[0].posted_on if on_board else None, ids, note)
    try:
        due: date | None = due_date(cal, item, slot)
    except CalendarMissing as exc:
        due, note = None, exc.message
    if on_board:
        first = on_board[0].posted_on
        assert first is not None
        status = CELL_POSTED if due is None or first <= due else CELL_LATE
        return Cell(slot, status, due, first, ids, note)
    if slot.start > today:
        return Cell(slot, CELL_FUTURE, due, None, ids, note)
    if tracking_from is not None and (due or slot.end) < tracking_from:
        return Cell(slot, CELL_UNTRACKED, due, None, ids,
                    note or f"{tracking_from.year}年{tracking_from.month}月开始跟踪,此前各期不计逾期")
    if due is None:
        return Cell(slot, CELL_UNKNOWN, None, None, ids, note)
    return Cell(slot, CELL_MISSING if today > due else CELL_DUE, due, None, ids, note)


def village_calendar(session: Session, village: Village | str, year: int, today: date | None = None,
                     *, _cal: workdays.WorkCalendar | None = None,
                     _postings: dict[str, list[_Posted]] | None = None,
                     _items: list[VillageCatalogueItem] | None = None,
                     _tracking: dict[str, date] | None = None) -> VillageCalendar:
    v = township.find_village(session, village) if isinstance(village, str) else village
    today = today or date.today()
    track = (_tracking if _tracking is not None else village_catalogue.tracking_from(session, [v.id])).get(v.id)
    cal = _cal or workdays.load(session)
    by_item = _postings if _postings is not None else _postings_by_item(session, [v.id])
    rows = []
    notes: set[str] = set()
    for item in _items if _items is not None else village_catalogue.items(session, v):
        per_slot: dict[str, list[_Posted]] = defaultdict(list)
        for p in by_item.get(item.id, []):
            key = p.slot or (slot_of(item.frequency, p.posted_on) if p.posted_on else "")
            per_slot[key].append(p)
        cells = [_cell(cal, item, s, per_slot.get(s.key, []), today, track) for s in slots(item.frequency, year)]
        notes.update(c.note for c in cells if c.note.startswith("待补充"))
        rows.append(CalendarRow(item.id, item.category, item.name, village_catalogue.frequency_text(item), cells))
    return VillageCalendar(v.id, v.name, year, today, rows, sorted(notes), track)


@dataclass
class OverdueVillage:
    village_id: str
    name: str
    missing: int
    items: list[str]


def overdue_villages(session: Session, today: date | None = None,
                     township_id: str | None = None) -> list[OverdueVillage]:
    """Villages with catalogue items overdue this year, most overdue first (for the 首页 dashboard;
    the county passes ``township_id`` to read one of its townships)."""
    today = today or date.today()
    villages = township.villages(session, township_id=township_id)
    cal = workdays.load(session)
    by_item = _postings_by_item(session, [v.id for v in villages])
    tracking = village_catalogue.tracking_from(session, [v.id for v in villages])
    items_of: dict[str, list[VillageCatalogueItem]] = defaultdict(list)
    for it in session.scalars(select(VillageCatalogueItem).where(VillageCatalogueItem.deleted_at.is_(None),
                                                                 VillageCatalogueItem.village_id.in_([v.id for v in villages]))
                              .order_by(VillageCatalogueItem.sort_order, VillageCatalogueItem.name)):
        items_of[it.village_id].append(it)
    out = []
    for v in villages:
        vc = village_calendar(session, v, today.year, today, _cal=cal, _postings=by_item, _items=items_of[v.id],
                              _tracking=tracking)
        missing = vc.missing()
        if missing:
            names = list(dict.fromkeys(name for name, _ in missing))
            out.append(OverdueVillage(v.id, v.name, len(missing), names))
    out.sort(key=lambda o: (-o.missing, o.name))
    return out


def calendar_dict(vc: VillageCalendar) -> dict:
    return {
        "village": vc.village_name, "year": vc.year, "today": vc.today, "notes": vc.notes,
        "tracking_from": vc.tracking_from,
        "counts": {s: vc.count(s) for s in (CELL_POSTED, CELL_LATE, CELL_MISSING, CELL_DUE, CELL_FUTURE, CELL_UNKNOWN,
                                            CELL_UNTRACKED)},
        "rows": [{"item": r.name, "category": r.category, "frequency": r.frequency_text,
                  "cells": [{"slot": c.slot.key, "label": c.slot.label, "status": c.status, "due": c.due,
                             "posted_on": c.posted_on, "note": c.note} for c in r.cells]} for r in vc.rows],
    }
