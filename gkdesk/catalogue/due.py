"""What falls due: each item's occurrences, their due dates and whether they were met.

Event-based rules (N working/natural days, 及时 with its 20-working-day backstop, a
bare 公示期) run from the date the information was formed: from each publication's
``formed_on`` (was it on time?) and from the item's ``pending_since`` (is it late
now?). Periodic rules give one occurrence per period; fixed dates one per year.
Publications are matched to occurrences in date order, each used once.

Deadlines use the stored calendar. A year without holiday data gives the status
``calendar_missing`` and the text "待补充YYYY年节假日安排" instead of a guessed date.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from gkdesk import workdays
from gkdesk.catalogue import core, duty, timerule
from gkdesk.errors import CalendarMissing
from gkdesk.models.catalogue import CatalogueItem, Publication

HORIZON_WORKING_DAYS = 10

OVERDUE, DUE_SOON, PENDING, DONE, LATE = "overdue", "due_soon", "pending", "done", "late"
NEVER, NO_DEADLINE, CALENDAR_MISSING = "never", "no_deadline", "calendar_missing"
STATUS_LABELS = {
    OVERDUE: "逾期未公开", DUE_SOON: "即将到期", PENDING: "待公开", DONE: "已按时公开", LATE: "逾期后公开",
    NEVER: "从未公开", NO_DEADLINE: "不计算期限", CALENDAR_MISSING: "缺少节假日数据",
}
EVENT_KINDS = ("working_days", "natural_days", "months", "prompt", "window")


@dataclass
class Occurrence:
    item_id: str
    domain: str
    label: str
    period: str  # what this occurrence is about, in Chinese
    status: str
    due: date | None = None
    start: date | None = None
    published_on: date | None = None
    note: str = ""
    backstop: bool = False  # the due date is the 条例 fallback, not the directory's own number

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("due", "start", "published_on"):
            d[k] = d[k].isoformat() if d[k] else None
        d["status_label"] = self.status_label
        return d


@dataclass
class Dashboard:
    today: date
    horizon_end: date | None
    overdue: list[Occurrence] = field(default_factory=list)
    due_soon: list[Occurrence] = field(default_factory=list)
    never: list[Occurrence] = field(default_factory=list)
    completion: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    by_item: dict[str, list[Occurrence]] = field(default_factory=dict)
    # items a county department publishes: listed for reference, never counted as the township's
    county_duty: list[dict[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(),
                "horizon_end": self.horizon_end.isoformat() if self.horizon_end else None,
                "overdue": [o.to_dict() for o in self.overdue],
                "due_soon": [o.to_dict() for o in self.due_soon],
                "never_published": [o.to_dict() for o in self.never],
                "completion": self.completion, "notes": self.notes, "county_duty": self.county_duty}


# --- periods -------------------------------------------------------------------------

_MONTHS_PER = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def period_of(d: date, period: str) -> tuple[date, date]:
    """First and last day of the period (month/quarter/half-year/year) containing ``d``."""
    size = _MONTHS_PER[period]
    first_month = (d.month - 1) // size * size + 1
    start = date(d.year, first_month, 1)
    ny, nm = _add_months(d.year, first_month, size)
    return start, date(ny, nm, 1) - timedelta(days=1)


def period_label(start: date, period: str) -> str:
    if period == "month":
        return f"{start.year}年{start.month}月"
    if period == "quarter":
        return f"{start.year}年第{(start.month - 1) // 3 + 1}季度"
    if period == "half_year":
        return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
    return f"{start.year}年"


def periodic_due(cal: workdays.WorkCalendar, start: date, end: date, rule: dict[str, Any]) -> date:
    """Due date of one period: its last day, or the fixed day in the next period
    ("每季度首月20日": Q3 is due on 10-20); a due day that is not a working day rolls
    forward to the next working day (民法典 第二百零三条)."""
    day = rule.get("fixed_day")
    if day:
        ny, nm = _add_months(end.year, end.month, int(rule.get("fixed_month_of_period", 1)))
        due = date(ny, nm, min(int(day), 28 if nm == 2 else 30 if nm in (4, 6, 9, 11) else 31))
    else:
        due = end
    return cal.next_workday(due)


# --- one item --------------------------------------------------------------------------

def _event_days(rule: dict[str, Any]) -> tuple[int, str, bool]:
    kind = rule["kind"]
    if kind == "working_days":
        return int(rule["n"]), workdays.UNIT_WORKING, False
    if kind == "natural_days":
        return int(rule["n"]), workdays.UNIT_NATURAL, False
    if kind == "months":
        return int(rule["n"]), "month", False
    return int(rule.get("backstop_working_days", timerule.LEGAL_BACKSTOP_WORKING_DAYS)), workdays.UNIT_WORKING, True


def _event_due(cal: workdays.WorkCalendar, formed: date, rule: dict[str, Any]) -> date:
    if rule["kind"] == "months":  # "最长不超过三个月": the same day n months on (month end if shorter)
        y, m = _add_months(formed.year, formed.month, int(rule["n"]))
        last = (date(*_add_months(y, m, 1), 1) - timedelta(days=1)).day
        return cal.next_workday(date(y, m, min(formed.day, last)))
    n, unit, _ = _event_days(rule)
    return cal.add_workdays(formed, n) if unit == workdays.UNIT_WORKING else cal.add_natural_days(formed, n)


def item_occurrences(item: CatalogueItem, pubs: list[Publication], cal: workdays.WorkCalendar,
                     today: date, horizon_end: date | None, since: date | None = None) -> list[Occurrence]:
    rule = item.rule or {"kind": "text"}
    kind = rule.get("kind", "text")
    base: dict[str, Any] = {"item_id": item.id, "domain": item.domain.name, "label": item.label}
    pubs = sorted(pubs, key=lambda p: p.published_on)
    out: list[Occurrence] = []

    def status_open(due: date) -> str:
        if today > due:
            return OVERDUE
        return DUE_SOON if horizon_end is None or due <= horizon_end else PENDING

    if kind in EVENT_KINDS:
        backstop = _event_days(rule)[2]
        for p in pubs:
            if p.formed_on is None:
                out.append(Occurrence(**base, period="已公开(未填信息形成日期)", status=DONE,
                                      published_on=p.published_on, backstop=backstop))
                continue
            try:
                due = _event_due(cal, p.formed_on, rule)
                out.append(Occurrence(**base, period=f"信息形成于{p.formed_on.isoformat()}",
                                      status=DONE if p.published_on <= due else LATE, due=due,
                                      start=p.formed_on, published_on=p.published_on, backstop=backstop))
            except CalendarMissing as exc:
                out.append(Occurrence(**base, period=f"信息形成于{p.formed_on.isoformat()}", status=CALENDAR_MISSING,
                                      start=p.formed_on, published_on=p.published_on, note=exc.message))
        if item.pending_since:
            try:
                due = _event_due(cal, item.pending_since, rule)
                out.append(Occurrence(**base, period=f"信息形成于{item.pending_since.isoformat()}",
                                      status=status_open(due), due=due, start=item.pending_since,
                                      backstop=backstop))
            except CalendarMissing as exc:
                out.append(Occurrence(**base, period=f"信息形成于{item.pending_since.isoformat()}",
                                      status=CALENDAR_MISSING, start=item.pending_since, note=exc.message))
    elif kind == "once":  # a single deadline ("2023年9月底前"), met by any publication up to it
        due = date.fromisoformat(rule["date"])
        hit = pubs[0] if pubs else None
        label = f"{due.year}年{due.month}月{due.day}日前(一次性)"
        if hit is not None:
            out.append(Occurrence(**base, period=label, status=DONE if hit.published_on <= due else LATE,
                                  due=due, published_on=hit.published_on))
        else:
            out.append(Occurrence(**base, period=label, status=status_open(due), due=due))
    elif kind in ("periodic", "fixed_date"):
        first = since or item.created_at.date()
        spans = _spans(rule, first, today)
        unused = list(pubs)
        for start, end, label in spans:
            try:
                due = periodic_due(cal, start, end, rule) if kind == "periodic" else end
            except CalendarMissing as exc:
                out.append(Occurrence(**base, period=label, status=CALENDAR_MISSING, start=start, note=exc.message))
                continue
            hit = next((p for p in unused if p.published_on >= start), None)
            if hit is not None:
                unused.remove(hit)
                out.append(Occurrence(**base, period=label, status=DONE if hit.published_on <= due else LATE,
                                      due=due, start=start, published_on=hit.published_on))
            else:
                out.append(Occurrence(**base, period=label, status=status_open(due), due=due, start=start))
    if not pubs and not any(o.status in (OVERDUE, DUE_SOON, PENDING) for o in out):
        out.append(Occurrence(**base, period="", status=NEVER,
                              note="" if kind not in ("text", "reference", "retention") else timerule.describe(rule)))
    elif not out:
        out.append(Occurrence(**base, period="", status=NO_DEADLINE, published_on=pubs[-1].published_on))
    return out


def _spans(rule: dict[str, Any], first: date, today: date) -> list[tuple[date, date, str]]:
    """(accept-from, due-or-period-end, label) for every occurrence from ``first`` up to today."""
    spans = []
    if rule["kind"] == "periodic":
        period = rule["period"]
        start, end = period_of(first, period)
        # A fixed-day rule publishes the *previous* period: the period running today is not due yet
        # but is listed so the clerk sees what comes next.
        while start <= today:
            spans.append((start, end, period_label(start, period)))
            start, end = period_of(end + timedelta(days=1), period)
        return spans
    month, day = int(rule["month"]), int(rule["day"])
    for year in range(first.year, today.year + 2):
        due = date(year, month, min(day, 28) if month == 2 else day)
        prev = date(year - 1, month, min(day, 28) if month == 2 else day)
        if due < first:
            continue
        if prev > today:
            break
        spans.append((prev + timedelta(days=1), due, f"{year}年{month}月{day}日前"))
    return spans


# --- the whole catalogue ---------------------------------------------------------------

def dashboard(session: Session, today: date | None = None, since: date | None = None,
              township_id: str | None = None) -> Dashboard:
    """Overdue, due in the next 10 working days, never published, and completion per domain.

    ``township_id`` reads one of the county's townships (from their sync packages)."""
    today = today or date.today()
    cal = workdays.load(session)
    notes: list[str] = []
    try:
        horizon_end: date | None = cal.add_workdays(today, HORIZON_WORKING_DAYS)
    except CalendarMissing as exc:
        horizon_end = None
        notes.append(f"无法计算未来{HORIZON_WORKING_DAYS}个工作日:{exc.message}")
    board = Dashboard(today=today, horizon_end=horizon_end, notes=notes)
    per_domain: dict[str, dict[str, Any]] = {}
    for d in core.domains(session, township_id=township_id):
        if d.applicable:
            per_domain[d.name] = {"domain": d.name, "items": 0, "published": 0, "overdue": 0}
    for item in core.items(session, township_id=township_id):
        if not (item.applicable and item.domain.applicable):
            continue
        if not duty.counts(item):
            board.county_duty.append({"item_id": item.id, "domain": item.domain.name, "label": item.label,
                                      "publisher": item.publisher, "levels": "、".join(item.levels or [])})
            continue
        pubs = core.publications(item)
        occ = item_occurrences(item, pubs, cal, today, horizon_end, since)
        board.by_item[item.id] = occ
        stats = per_domain[item.domain.name]
        stats["items"] += 1
        stats["published"] += 1 if pubs else 0
        for o in occ:
            if o.status == OVERDUE:
                board.overdue.append(o)
                stats["overdue"] += 1
            elif o.status == DUE_SOON:
                board.due_soon.append(o)
            elif o.status == NEVER:
                board.never.append(o)
            elif o.status == CALENDAR_MISSING and o.note not in board.notes:
                board.notes.append(o.note)
    board.overdue.sort(key=lambda o: o.due or today)
    board.due_soon.sort(key=lambda o: o.due or today)
    for stats in per_domain.values():
        stats["percent"] = round(100 * stats["published"] / stats["items"]) if stats["items"] else None
    board.completion = [s for s in per_domain.values() if s["items"]]
    return board
