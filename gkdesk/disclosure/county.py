"""The county's view of every township's requests: which are open, which are overdue.

The rows arrive in the townships' sync packages (``disclosure_request`` and its events;
never the applicant, whose table does not travel). The county recomputes each clock
from the events on its own calendar, so "overdue" means the same thing in every township.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import workdays
from gkdesk.disclosure import register as reg
from gkdesk.errors import CalendarMissing
from gkdesk.models.township import ROLE_TOWNSHIP, Township


@dataclass
class TownshipRequests:
    township: str
    code: str
    total: int = 0
    open: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)  # unanswered and past the due day
    replied_late: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"township": self.township, "code": self.code, "total": self.total, "open": self.open,
                "overdue": self.overdue, "replied_late": self.replied_late}


def overview(session: Session, today: date, year: int | None = None) -> list[TownshipRequests]:
    cal = workdays.load(session)
    out = []
    towns = session.scalars(select(Township).where(Township.role == ROLE_TOWNSHIP, Township.deleted_at.is_(None))
                            .order_by(Township.code))
    for t in towns:
        tr = TownshipRequests(t.name, t.code)
        for r in reg.all_requests(session, year, township_id=t.id):
            tr.total += 1
            try:
                c = reg.clock_of(session, r, today, cal)
            except CalendarMissing:
                c = None
            d = reg.request_dict(r, c) | {"township": t.name}
            if r.replied_on is None:
                tr.open.append(d)
                if d["overdue"]:
                    tr.overdue.append(d)
            elif d["overdue"]:
                tr.replied_late += 1
        out.append(tr)
    return out
