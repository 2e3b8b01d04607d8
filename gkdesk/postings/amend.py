"""Putting a posting's record right: amend what was recorded wrongly, or withdraw a posting
registered in error — always with a reason, kept in the posting's history and the audit log.

A posting is never silently deleted: a withdrawn posting stays in the register as
“已撤回” with who, when and why, and counts for no calendar period or year-end duty.
This is the record's correction; a notice whose *content* was wrong on the board is
re-posted with a correction notice (:func:`gkdesk.postings.lifecycle.correct`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from gkdesk import audit, workdays
from gkdesk.errors import CalendarMissing, InputRejected
from gkdesk.models.posting_lifecycle import (
    LOCATIONS,
    REVIEWER_BODIES,
    STATUS_ARCHIVED,
    STATUS_SUPERSEDED,
    STATUS_WITHDRAWN,
    status_label,
)
from gkdesk.postings.lifecycle import _event, _label, find_posting, posting_dict
from gkdesk.result import OpResult

audit.ACTION_LABELS.update({"posting.amend": "更正公示记录", "posting.withdraw": "撤回公示"})
CHANGES = {"postings"}


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InputRejected("请写明原因(如:登记错了村、重复登记、日期记错)")
    return text


def withdraw(session: Session, posting_id: str, operator: str, *, reason: str, on: date) -> OpResult:
    """Mark a posting registered in error as withdrawn (kept, with the reason)."""
    p = find_posting(session, posting_id)
    why = _reason(reason)
    if p.status == STATUS_WITHDRAWN:
        raise InputRejected(f"{_label(p)}已撤回")
    if p.status in (STATUS_ARCHIVED, STATUS_SUPERSEDED):
        raise InputRejected(f"{_label(p)}当前为“{status_label(p)}”,已成档案,不能撤回;如记录有误请用“更正记录”")
    old = p.status
    p.status = STATUS_WITHDRAWN
    _event(session, p, "withdraw", operator, on, f"原为“{status_label_of(old)}”:{why}")
    return OpResult(changes=CHANGES, data={"posting": posting_dict(p), "old_status": old})


def status_label_of(code: str) -> str:
    from gkdesk.labels import STATUS_LABELS

    return STATUS_LABELS.get(code, code)


def amend(session: Session, posting_id: str, operator: str, *, reason: str, on: date, title: str | None = None,
          reviewer: str | None = None, reviewer_body: str | None = None, reviewed_on: date | None = None,
          posted_on: date | None = None, location: str | None = None) -> OpResult:
    """Correct recorded facts (title, reviewer, review or posting date, place); old → new in the history."""
    p = find_posting(session, posting_id)
    why = _reason(reason)
    if p.status == STATUS_WITHDRAWN:
        raise InputRejected(f"{_label(p)}已撤回,不能再更正")
    changes: list[str] = []

    def change(label: str, old: object, new: object) -> bool:
        if new is None or new == old:
            return False
        changes.append(f"{label}:{old or '(空)'} → {new}")
        return True

    if title is not None and change("标题", p.title, title.strip() or None):
        p.title = title.strip()[:200]
    if reviewer is not None and change("审核人", p.reviewer, reviewer.strip() or None):
        p.reviewer = reviewer.strip()
    if reviewer_body is not None:
        if reviewer_body not in REVIEWER_BODIES:
            raise InputRejected(f"审核机构“{reviewer_body}”无效:应为“村务监督委员会”或“民主理财小组”")
        if p.reviewed_on is None:
            raise InputRejected(f"{_label(p)}尚未审核,没有审核记录可更正")
        if change("审核机构", p.reviewer_body, reviewer_body):
            p.reviewer_body = reviewer_body
    if reviewed_on is not None:
        if p.reviewed_on is None:
            raise InputRejected(f"{_label(p)}尚未审核,没有审核日期可更正")
        if reviewed_on > on:
            raise InputRejected(f"审核日期 {reviewed_on} 晚于今天")
        if change("审核日期", p.reviewed_on, reviewed_on):
            p.reviewed_on = reviewed_on
    if location is not None:
        if location not in LOCATIONS:
            raise InputRejected(f"张贴地点“{location}”无效:应为 " + "、".join(LOCATIONS))
        if p.posted_on is None:
            raise InputRejected(f"{_label(p)}尚未张贴,没有张贴地点可更正")
        if change("张贴地点", p.location, location):
            p.location = location
    if posted_on is not None:
        if p.posted_on is None:
            raise InputRejected(f"{_label(p)}尚未张贴,没有张贴日期可更正")
        if posted_on > on:
            raise InputRejected(f"张贴日期 {posted_on} 晚于今天")
        if change("张贴日期", p.posted_on, posted_on):
            _move_period(session, p, posted_on)
    if p.reviewed_on and p.posted_on and p.posted_on < p.reviewed_on:
        raise InputRejected(f"张贴日期 {p.posted_on} 早于审核日期 {p.reviewed_on}:应先审核后张贴")
    if not changes:
        raise InputRejected(f"{_label(p)}没有需要更正的内容")
    _event(session, p, "amend", operator, on, ";".join(changes) + f"(原因:{why})")
    return OpResult(changes=CHANGES, data={"posting": posting_dict(p), "changed": changes})


def _move_period(session: Session, p, posted_on: date) -> None:  # type: ignore[no-untyped-def]
    """A corrected posting date moves the period with it (same length and unit)."""
    old_start, old_posted = p.period_start, p.posted_on
    p.posted_on = posted_on
    if old_start is None or p.period_days is None:
        return
    start = posted_on if old_start == old_posted else max(old_start, posted_on)
    try:
        end = workdays.load(session).window_end(start, p.period_days, p.period_unit or workdays.UNIT_NATURAL)
    except CalendarMissing as exc:
        raise InputRejected(f"无法重算公示期:{exc.message}") from exc
    p.period_start, p.period_end = start, end
