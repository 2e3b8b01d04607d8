"""The 条例's clock for one request, computed from its events on the working-day calendar.

Pure arithmetic (no database): :func:`compute` replays the events in order and says where
the clock stands — running, stopped for a 补正, paused for a consultation, replied — with
the due day, the working days left and a line of history per step. The rules (REFERENCE §7.1):

- the reply is due 20 working days after receipt (the receipt day is not counted);
- a 补正 notice must go out within 7 working days of receipt; the clock stops, and
  restarts — from zero — when the corrected request arrives;
- consultation of a third party or a co-producing agency (15 working days) is not counted:
  the due day moves by the working days the consultation took, at most 15 (after that the
  agency decides without the opinion);
- one or more extensions, together at most 20 working days, each with its approver.

A day in a year the calendar does not hold raises :class:`CalendarMissing`; nothing is
guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from gkdesk.disclosure import labels as L
from gkdesk.errors import CalendarMissing
from gkdesk.workdays import WorkCalendar, cn_date


class EventLike(Protocol):
    kind: str
    day: date
    days: int
    until: date | None
    subkind: str
    party: str
    note: str


@dataclass
class HistoryLine:
    day: date
    kind: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"day": self.day.isoformat(), "kind": self.kind, "label": L.EVENT_LABELS.get(self.kind, self.kind),
                "text": self.text}


@dataclass
class Clock:
    state: str
    start: date | None = None  # the day the 20 working days run from (receipt or corrected request)
    due: date | None = None
    supplement_notice_due: date | None = None  # 7 working days after receipt
    paused_days: int = 0  # consultation days not counted
    extension_days: int = 0
    replied_on: date | None = None
    days_left: int | None = None  # working days after ``today`` up to the due day; < 0: overdue
    overdue: bool = False
    history: list[HistoryLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return L.STATE_LABELS[self.state]

    def status_text(self) -> str:
        """One phrase for a list: state and days left."""
        if self.state == L.ST_REPLIED:
            return "已答复(超期)" if self.overdue else "已答复"
        if self.state in (L.ST_SUPPLEMENT, L.ST_UNCONFIRMED) or self.days_left is None:
            return self.state_label
        if self.days_left < 0:
            return f"{self.state_label},已超期 {-self.days_left} 个工作日"
        if self.days_left == 0:
            return f"{self.state_label},今天到期"
        return f"{self.state_label},剩 {self.days_left} 个工作日"


def compute(cal: WorkCalendar, received_on: date | None, events: Sequence[EventLike], today: date) -> Clock:
    if received_on is None:
        return Clock(L.ST_UNCONFIRMED, history=[HistoryLine(e.day, e.kind, e.note) for e in events])
    clock = Clock(L.ST_RUNNING, start=received_on,
                  supplement_notice_due=cal.add_workdays(received_on, L.SUPPLEMENT_NOTICE_DAYS))
    consult_from: date | None = None
    consult_kind = ""
    later: date | None = None
    for e in events:
        if e.kind == L.EV_RECEIVED:
            clock.history.append(HistoryLine(e.day, e.kind, f"收到申请,{L.REPLY_DAYS}个工作日内答复,"
                                             f"即{cn_date(cal.add_workdays(received_on, L.REPLY_DAYS))}前"))
        elif e.kind == L.EV_SUPPLEMENT:
            text = "发出补正申请通知,计时中止" + (f",申请人应于{cn_date(e.until)}前补正" if e.until else "")
            if clock.supplement_notice_due and e.day > clock.supplement_notice_due:
                warn = f"补正通知晚于收到申请后第{L.SUPPLEMENT_NOTICE_DAYS}个工作日({cn_date(clock.supplement_notice_due)})"
                clock.warnings.append(warn)
                text += f"(注意:{warn})"
            clock.state = L.ST_SUPPLEMENT
            clock.history.append(HistoryLine(e.day, e.kind, text))
        elif e.kind == L.EV_SUPPLIED:
            clock.start, clock.paused_days, clock.extension_days = e.day, 0, 0
            clock.state = L.ST_RUNNING
            clock.history.append(HistoryLine(e.day, e.kind, f"收到补正后的申请,答复期限自当日起重新计算,"
                                             f"即{cn_date(cal.add_workdays(e.day, L.REPLY_DAYS))}前"))
        elif e.kind == L.EV_CONSULT:
            consult_from, consult_kind = e.day, e.subkind
            clock.state = L.ST_PAUSED
            label = L.CONSULT_LABELS.get(e.subkind, "征求意见")
            clock.history.append(HistoryLine(e.day, e.kind, f"{label}({e.party}),意见期限{L.CONSULT_DAYS}个工作日,"
                                             f"至{cn_date(cal.add_workdays(e.day, L.CONSULT_DAYS))};所需时间不计入答复期限"))
        elif e.kind == L.EV_CONSULT_END and consult_from is not None:
            n = min(cal.workdays_between(consult_from, e.day), L.CONSULT_DAYS)
            clock.paused_days += n
            clock.state = L.ST_RUNNING
            label = L.CONSULT_LABELS.get(consult_kind, "征求意见")
            clock.history.append(HistoryLine(e.day, e.kind, f"{label}结束,不计入答复期限 {n} 个工作日"
                                             + (f"({e.note})" if e.note else "")))
            consult_from = None
        elif e.kind == L.EV_EXTEND:
            clock.extension_days += e.days
            clock.history.append(HistoryLine(e.day, e.kind, f"经{e.party}批准延长答复期限 {e.days} 个工作日"
                                             + (f",理由:{e.note}" if e.note else "")))
        elif e.kind == L.EV_LATER and e.until is not None:
            later = e.until
            clock.history.append(HistoryLine(e.day, e.kind, f"申请数量较大,确定于{cn_date(e.until)}前提供并已告知申请人"
                                             + (f"({e.note})" if e.note else "")))
        elif e.kind == L.EV_REPLY:
            clock.replied_on = e.day
            clock.history.append(HistoryLine(e.day, e.kind, e.note or "答复"))
        else:
            clock.history.append(HistoryLine(e.day, e.kind, e.note))
    if clock.state == L.ST_SUPPLEMENT and clock.replied_on is None:
        return clock  # stopped: no due day until the corrected request arrives
    pause = clock.paused_days
    if consult_from is not None:  # still consulting: the clock stands still, for at most 15 working days
        upto = clock.replied_on or today
        pause += min(max(cal.workdays_between(consult_from, upto), 0), L.CONSULT_DAYS)
    assert clock.start is not None
    clock.due = cal.add_workdays(clock.start, L.REPLY_DAYS + pause + clock.extension_days)
    if later is not None and later > clock.due:
        clock.due = later
    if clock.replied_on is not None:
        clock.state = L.ST_REPLIED
        clock.overdue = clock.replied_on > clock.due
        return clock
    clock.overdue = today > clock.due
    try:  # days left need today's year too; the due day itself does not
        if today <= clock.due:
            clock.days_left = cal.workdays_between(today, clock.due)
        else:
            clock.days_left = -cal.workdays_between(clock.due, today)
    except CalendarMissing:
        clock.days_left = None
    return clock


def fee_for_pages(pages: int) -> int:
    """按量收费 (国办函〔2020〕109号), progressive: ≤30 free; 31–100 10元; 101–200 20元; ≥201 40元 a page."""
    fee = 0
    for lo, hi, rate in ((30, 100, 10), (100, 200, 20), (200, None, 40)):
        if pages > lo:
            fee += ((min(pages, hi) if hi else pages) - lo) * rate
    return fee


def fee_for_count(n: int) -> int:
    """按件收费: the fee for an applicant's ``n``-th request in one calendar month (≤10 free;
    11–30: 100元; from the 31st, each further step of 10 requests adds 100元 a request)."""
    if n <= 10:
        return 0
    if n <= 30:
        return 100
    return 100 * (2 + (n - 31) // 10)
