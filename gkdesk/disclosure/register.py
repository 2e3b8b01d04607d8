"""The register's rules on a session: add a request, step its clock, reply, appeal, fees.

Every step appends a :class:`DisclosureEvent` and recomputes the cached clock columns
(``state``, ``due_on``, ``overdue``) from the whole history, so the list, the 首页 and the
county read one column while the history stays the single source of truth. Every step
that moves the clock refuses, with the hand-entry hint, when the due day falls in a year
the calendar does not hold.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from gkdesk import audit, township, workdays
from gkdesk.disclosure import clock as ck
from gkdesk.disclosure import labels as L
from gkdesk.errors import CalendarMissing, GkError, InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models.disclosure import (
    DisclosureAppeal,
    DisclosureApplicant,
    DisclosureEvent,
    DisclosureRequest,
)
from gkdesk.workdays import cn_date

audit.ACTION_LABELS.update({
    "disclosure.add": "登记依申请公开申请", "disclosure.confirm": "确认收到申请", "disclosure.supplement": "发出补正通知",
    "disclosure.supplied": "收到补正后的申请", "disclosure.consult": "征求意见", "disclosure.consult_end": "征求意见结束",
    "disclosure.extend": "延期答复", "disclosure.reply": "答复申请", "disclosure.appeal": "登记复议/诉讼",
    "disclosure.fee": "计算信息处理费", "disclosure.attach": "附申请扫描件", "disclosure.print": "打印答复文书",
    "disclosure.export": "导出依申请公开台账", "disclosure.later": "确定提供日期", "disclosure.undo": "撤销申请的上一步", "disclosure.void": "作废申请", "annual_report.figures": "填报年度报告数字",
    "annual_report.section": "修改年度报告文字", "annual_report.override": "放行年度报告检查",
    "annual_report.export": "导出年度报告",
})


def _calendar_refusal(exc: CalendarMissing, what: str) -> GkError:
    return GkError(f"{what}要用到{exc.year}年的工作日,但还没有{exc.year}年节假日安排,不能推算期限。"
                   f"请先按国务院办公厅通知录入{exc.year}年节假日", hint=Hint.SET_HOLIDAYS, code="calendar_missing",
                   year=exc.year)


def find(session: Session, key: str) -> DisclosureRequest:
    """A request by its number (2026-003), its id, or an id prefix of at least 6 characters."""
    key = (key or "").strip()
    q = select(DisclosureRequest).where(DisclosureRequest.deleted_at.is_(None))
    r = session.scalars(q.where(DisclosureRequest.number == key)).first()
    if r is None and len(key) >= 6:
        found = session.scalars(q.where(DisclosureRequest.id.like(f"{key}%"))).all()
        if len(found) == 1:
            r = found[0]
    if r is None:
        raise NotFound(f"找不到编号为“{key}”的依申请公开申请")
    return r


def clock_of(session: Session, r: DisclosureRequest, today: date,
             cal: workdays.WorkCalendar | None = None) -> ck.Clock:
    cal = cal or workdays.load(session)
    return ck.compute(cal, r.received_on, [e for e in r.events if e.deleted_at is None], today)


def refresh(session: Session, r: DisclosureRequest, today: date, what: str) -> ck.Clock:
    """Recompute the cached clock columns; refuse (roll back) when the calendar lacks a year."""
    session.flush()
    session.refresh(r, ["events"])
    try:
        c = clock_of(session, r, today)
    except CalendarMissing as exc:
        raise _calendar_refusal(exc, what) from exc
    r.state, r.due_on, r.overdue = c.state, c.due, c.overdue
    return c


def _event(session: Session, r: DisclosureRequest, kind: str, day: date, operator: str, **kw: Any) -> DisclosureEvent:
    seq = session.scalar(select(func.count()).select_from(DisclosureEvent)
                         .where(DisclosureEvent.request_id == r.id, DisclosureEvent.day == day)) or 0
    e = DisclosureEvent(request=r, kind=kind, day=day, seq=seq, operator=operator, **kw)
    session.add(e)
    return e


def _need_open(r: DisclosureRequest, what: str) -> None:
    if r.replied_on is not None:
        raise InputRejected(f"申请 {r.number} 已于{cn_date(r.replied_on)}答复,不能再{what}")


def _not_before(day: date, floor: date | None, what: str, floor_what: str) -> None:
    if floor is not None and day < floor:
        raise InputRejected(f"{what}日期({cn_date(day)})早于{floor_what}({cn_date(floor)})")


# --- register ------------------------------------------------------------------------
def add(session: Session, operator: str, *, channel: str, arrived_on: date, applicant_type: str, content: str,
        applicant_name: str = "", contact: str = "", address: str = "", confirmed_on: date | None = None,
        form: str = "", handler: str = "", today: date | None = None) -> tuple[DisclosureRequest, ck.Clock]:
    if channel not in L.CHANNELS:
        raise InputRejected(f"收到方式“{channel}”不认识,可选:" + "、".join(L.CHANNEL_LABELS.values()))
    if applicant_type not in L.APPLICANT_TYPES:
        raise InputRejected(f"申请人类型“{applicant_type}”不认识,可选:" + "、".join(L.APPLICANT_LABELS.values()))
    content = (content or "").strip()
    if not content:
        raise InputRejected("请填写申请公开的政府信息内容")
    today = today or date.today()
    if arrived_on > today:
        raise InputRejected(f"收到日期({cn_date(arrived_on)})晚于今天")
    if confirmed_on is not None:
        _not_before(confirmed_on, arrived_on, "确认收到", "信件到达日期")
    received = (confirmed_on if channel in L.CONFIRMED_CHANNELS else arrived_on)
    t = township.current(session)
    year = (received or arrived_on).year
    seq = (session.scalar(select(func.max(DisclosureRequest.seq)).where(
        DisclosureRequest.township_id == t.id, DisclosureRequest.year == year)) or 0) + 1
    r = DisclosureRequest(township_id=t.id, number=f"{year}-{seq:03d}", year=year, seq=seq, channel=channel,
                          arrived_on=arrived_on, received_on=received, applicant_type=applicant_type,
                          content=content, form=form.strip(), handler=handler.strip() or operator)
    session.add(r)
    session.flush()
    session.add(DisclosureApplicant(request_id=r.id, name=applicant_name.strip(), contact=contact.strip(),
                                    address=address.strip()))
    if received is not None:
        _event(session, r, L.EV_RECEIVED, received, operator, note=L.CHANNEL_RULES[channel])
    c = refresh(session, r, today, "登记这件申请")
    return r, c


def confirm(session: Session, operator: str, r: DisclosureRequest, day: date, today: date) -> ck.Clock:
    """平信/传真: the day receipt was confirmed with the applicant starts the clock."""
    if r.received_on is not None:
        raise InputRejected(f"申请 {r.number} 已确认于{cn_date(r.received_on)}收到")
    _not_before(day, r.arrived_on, "确认收到", "信件到达日期")
    r.received_on = day
    _event(session, r, L.EV_RECEIVED, day, operator, note=L.CHANNEL_RULES[r.channel])
    return refresh(session, r, today, "确认收到")


def _need_received(r: DisclosureRequest) -> date:
    if r.received_on is None:
        raise InputRejected(f"申请 {r.number} 还未确认收到日期(平信、传真须先与申请人确认)")
    return r.received_on


def supplement(session: Session, operator: str, r: DisclosureRequest, day: date, until: date | None, items: str,
               today: date) -> ck.Clock:
    _need_open(r, "要求补正")
    received = _need_received(r)
    _not_before(day, received, "补正通知", "收到申请日期")
    if any(e.kind == L.EV_SUPPLEMENT for e in r.events if e.deleted_at is None):
        raise InputRejected(f"申请 {r.number} 已经发过补正通知:条例规定只能一次性告知补正")
    if until is not None:
        _not_before(until, day, "补正期限", "通知日期")
    if not items.strip():
        raise InputRejected("请写明需要补正的事项")
    _event(session, r, L.EV_SUPPLEMENT, day, operator, until=until, note=items.strip())
    return refresh(session, r, today, "补正通知")


def supplied(session: Session, operator: str, r: DisclosureRequest, day: date, today: date) -> ck.Clock:
    _need_open(r, "登记补正")
    notice = next((e for e in r.events if e.kind == L.EV_SUPPLEMENT and e.deleted_at is None), None)
    if notice is None:
        raise InputRejected(f"申请 {r.number} 没有发过补正通知")
    if any(e.kind == L.EV_SUPPLIED for e in r.events if e.deleted_at is None):
        raise InputRejected(f"申请 {r.number} 已登记过补正后的申请")
    _not_before(day, notice.day, "收到补正", "补正通知日期")
    _event(session, r, L.EV_SUPPLIED, day, operator)
    return refresh(session, r, today, "补正后重新计算答复期限")


def consult(session: Session, operator: str, r: DisclosureRequest, day: date, kind: str, party: str,
            today: date) -> ck.Clock:
    _need_open(r, "征求意见")
    _not_before(day, _need_received(r), "征求意见", "收到申请日期")
    if kind not in L.CONSULT_LABELS:
        raise InputRejected(f"征求意见的类型“{kind}”不认识")
    if not party.strip():
        raise InputRejected("请填写被征求意见的第三方或机关名称")
    if r.state == L.ST_PAUSED:
        raise InputRejected(f"申请 {r.number} 正在征求意见,请先登记上一次征求意见结束")
    if r.state == L.ST_SUPPLEMENT:
        raise InputRejected(f"申请 {r.number} 正等待申请人补正")
    _event(session, r, L.EV_CONSULT, day, operator, subkind=kind, party=party.strip())
    return refresh(session, r, today, "征求意见")


def consult_end(session: Session, operator: str, r: DisclosureRequest, day: date, note: str,
                today: date) -> ck.Clock:
    _need_open(r, "登记意见")
    start = next((e for e in reversed(r.events) if e.kind == L.EV_CONSULT and e.deleted_at is None), None)
    if r.state != L.ST_PAUSED or start is None:
        raise InputRejected(f"申请 {r.number} 没有正在进行的征求意见")
    _not_before(day, start.day, "征求意见结束", "征求意见开始日期")
    _event(session, r, L.EV_CONSULT_END, day, operator, note=note.strip())
    return refresh(session, r, today, "征求意见结束")


def extend(session: Session, operator: str, r: DisclosureRequest, day: date, days: int, approver: str, reason: str,
           today: date) -> ck.Clock:
    _need_open(r, "延期")
    _need_received(r)
    if not approver.strip():
        raise InputRejected("延期答复须经政府信息公开工作机构负责人同意:请填写批准人")
    c = clock_of(session, r, today)
    used = c.extension_days
    if days < 1 or used + days > L.MAX_EXTENSION_DAYS:
        raise InputRejected(f"延长期限最长不超过{L.MAX_EXTENSION_DAYS}个工作日"
                            + (f"(已延长 {used} 个工作日)" if used else "") + f",不能再延长 {days} 个工作日")
    if c.due is not None and day > c.due:
        raise InputRejected(f"答复期限已于{cn_date(c.due)}届满,不能在期满后({cn_date(day)})决定延期")
    _not_before(day, r.received_on, "延期", "收到申请日期")
    _event(session, r, L.EV_EXTEND, day, operator, days=days, party=approver.strip(), note=reason.strip())
    return refresh(session, r, today, "延期答复")


def later_date(session: Session, operator: str, r: DisclosureRequest, day: date, until: date, reason: str,
               today: date) -> ck.Clock:
    """第三十五条: a request too large to answer in time gets a reasonable later date, notified to the applicant."""
    _need_open(r, "确定提供日期")
    _not_before(day, _need_received(r), "确定提供日期", "收到申请日期")
    _not_before(until, day, "提供日期", "决定日期")
    c = clock_of(session, r, today)
    if c.due is not None and until <= c.due:
        raise InputRejected(f"提供日期({cn_date(until)})不晚于现有答复期限({cn_date(c.due)}),无需另定")
    _event(session, r, L.EV_LATER, day, operator, until=until, note=reason.strip())
    return refresh(session, r, today, "确定提供日期")


def reply(session: Session, operator: str, r: DisclosureRequest, day: date | None, outcome: str, delivery: str,
          note: str, today: date, *, on_the_spot: bool = False, repeat_of: str | None = None) -> ck.Clock:
    _need_open(r, "答复")
    received = _need_received(r)
    if outcome not in L.OUTCOMES:
        raise InputRejected(f"答复类型“{outcome}”不认识")
    if delivery not in L.DELIVERIES:
        raise InputRejected(f"送达方式“{delivery}”不认识,可选:" + "、".join(L.DELIVERY_LABELS.values()))
    if on_the_spot:
        day = received
    if day is None:
        raise InputRejected("请填写答复日期")
    _not_before(day, received, "答复", "收到申请日期")
    if day > today:
        raise InputRejected(f"答复日期({cn_date(day)})晚于今天")
    if repeat_of:
        first = find(session, repeat_of)
        if first.id == r.id:
            raise InputRejected("重复申请不能指向它自己")
        r.repeat_of_id = first.id
    r.replied_on, r.outcome, r.delivery, r.reply_note, r.on_the_spot = day, outcome, delivery, note.strip(), on_the_spot
    text = ("当场答复:" if on_the_spot else "") + L.OUTCOME_LABELS[outcome] + f",{L.DELIVERY_LABELS[delivery]}"
    _event(session, r, L.EV_REPLY, day, operator, note=text)
    return refresh(session, r, today, "答复")


def appeal(session: Session, operator: str, r: DisclosureRequest, kind: str, filed_on: date, result: str,
           decided_on: date | None, note: str, appeal_id: str | None = None) -> DisclosureAppeal:
    """Record a 行政复议/诉讼 against the reply, or (``appeal_id``) its later result."""
    if kind not in L.APPEAL_KINDS:
        raise InputRejected(f"类型“{kind}”不认识,可选:" + "、".join(L.APPEAL_KIND_LABELS.values()))
    if result not in L.APPEAL_RESULTS:
        raise InputRejected(f"结果“{result}”不认识,可选:" + "、".join(L.APPEAL_RESULT_LABELS.values()))
    if r.replied_on is None:
        raise InputRejected(f"申请 {r.number} 尚未答复:行政复议、行政诉讼针对的是答复")
    _not_before(filed_on, r.replied_on, "提起", "答复日期")
    if result != L.AR_PENDING and decided_on is None:
        decided_on = filed_on
    if decided_on is not None:
        _not_before(decided_on, filed_on, "审结", "提起日期")
    if appeal_id:
        a = next((a for a in r.appeals if a.id.startswith(appeal_id) and a.deleted_at is None), None)
        if a is None:
            raise NotFound(f"申请 {r.number} 没有编号为“{appeal_id}”的复议/诉讼")
        a.result, a.decided_on, a.note = result, decided_on, note.strip() or a.note
    else:
        a = DisclosureAppeal(request=r, kind=kind, filed_on=filed_on, result=result, decided_on=decided_on,
                             note=note.strip())
        session.add(a)
    _event(session, r, L.EV_APPEAL, decided_on or filed_on, operator,
           note=f"{L.APPEAL_KIND_LABELS[kind]}:{L.APPEAL_RESULT_LABELS[result]}")
    session.flush()
    return a


def applicant_requests_in_month(session: Session, r: DisclosureRequest) -> int:
    """Which request of this applicant (same name) in the receipt month this is, counting it."""
    me = session.get(DisclosureApplicant, r.id)
    day = r.received_on or r.arrived_on
    if me is None or not me.name:
        return 1
    start = day.replace(day=1)
    q = (select(func.count()).select_from(DisclosureRequest)
         .join(DisclosureApplicant, DisclosureApplicant.request_id == DisclosureRequest.id)
         .where(DisclosureApplicant.name == me.name, DisclosureRequest.deleted_at.is_(None),
                DisclosureRequest.arrived_on >= start, DisclosureRequest.arrived_on <= day,
                DisclosureRequest.township_id == r.township_id))
    return int(session.scalar(q) or 1)


def set_fee(session: Session, operator: str, r: DisclosureRequest, mode: str, pages: int, paid_on: date | None,
            today: date) -> tuple[int, int]:
    """Compute and record the 信息处理费; returns (amount, n-th request in month or pages)."""
    if mode == "per_page":
        if pages < 0:
            raise InputRejected("页数不能为负")
        amount, basis = ck.fee_for_pages(pages), pages
    elif mode == "per_request":
        basis = applicant_requests_in_month(session, r)
        amount = ck.fee_for_count(basis)
    elif mode == "":
        amount, basis = 0, 0
    else:
        raise InputRejected("收费方式只能是按件或按量")
    r.fee_mode, r.fee_pages, r.fee_amount, r.fee_paid_on = mode, max(pages, 0), Decimal(amount), paid_on
    _event(session, r, L.EV_FEE, paid_on or today, operator, note=f"信息处理费 {amount} 元")
    return amount, basis


# --- reads ---------------------------------------------------------------------------
def request_dict(r: DisclosureRequest, c: ck.Clock | None = None) -> dict[str, Any]:
    """What lists, ``--json`` and the county show: never the applicant's name or contact."""
    d: dict[str, Any] = {
        "id": r.id, "number": r.number, "year": r.year, "channel": r.channel,
        "channel_label": L.CHANNEL_LABELS.get(r.channel, r.channel),
        "arrived_on": r.arrived_on.isoformat(), "received_on": r.received_on.isoformat() if r.received_on else None,
        "applicant_type": r.applicant_type, "applicant_type_label": L.APPLICANT_LABELS.get(r.applicant_type, ""),
        "content": r.content, "handler": r.handler, "state": r.state,
        "state_label": L.STATE_LABELS.get(r.state, r.state),
        "due_on": r.due_on.isoformat() if r.due_on else None,
        "replied_on": r.replied_on.isoformat() if r.replied_on else None,
        "outcome": r.outcome, "outcome_label": L.OUTCOME_LABELS.get(r.outcome, ""),
        "delivery": r.delivery, "delivery_label": L.DELIVERY_LABELS.get(r.delivery, ""),
        "on_the_spot": r.on_the_spot, "overdue": r.overdue,
        "supplemented": any(e.kind == L.EV_SUPPLEMENT for e in r.events if e.deleted_at is None),
        "extension_days": sum(e.days for e in r.events if e.kind == L.EV_EXTEND and e.deleted_at is None),
        "fee_amount": f"{Decimal(r.fee_amount or 0):.2f}", "fee_mode": r.fee_mode,
        "appeals": [{"id": a.id, "kind": a.kind, "kind_label": L.APPEAL_KIND_LABELS[a.kind],
                     "filed_on": a.filed_on.isoformat(), "result": a.result,
                     "result_label": L.APPEAL_RESULT_LABELS[a.result]} for a in r.appeals if a.deleted_at is None],
        "attachments": [{"sha256": a.sha256, "ext": a.ext, "name": a.original_name}
                        for a in r.attachments if a.deleted_at is None],
    }
    if c is not None:
        d.update(state=c.state, state_label=c.state_label, status_text=c.status_text(),
                 due_on=c.due.isoformat() if c.due else None, days_left=c.days_left, overdue=c.overdue,
                 supplement_notice_due=c.supplement_notice_due.isoformat() if c.supplement_notice_due else None,
                 paused_days=c.paused_days, history=[h.to_dict() for h in c.history], clock_warnings=c.warnings)
    return d


def all_requests(session: Session, year: int | None = None, township_id: str | None = None) -> list[DisclosureRequest]:
    q = (select(DisclosureRequest).where(DisclosureRequest.deleted_at.is_(None))
         .options(selectinload(DisclosureRequest.events), selectinload(DisclosureRequest.appeals),
                  selectinload(DisclosureRequest.attachments)))
    if year is not None:
        q = q.where(DisclosureRequest.year == year)
    if township_id is not None:
        q = q.where(DisclosureRequest.township_id == township_id)
    return list(session.scalars(q.order_by(DisclosureRequest.year, DisclosureRequest.seq)))


# --- corrections ---------------------------------------------------------------------
def undo_last(session: Session, operator: str, r: DisclosureRequest, today: date) -> str:
    """Withdraw the latest step entered by mistake (not the receipt, not an appeal); returns its label."""
    live = [e for e in r.events if e.deleted_at is None]
    if not live or live[-1].kind == L.EV_RECEIVED:
        raise InputRejected(f"申请 {r.number} 除收到登记外没有可撤销的步骤;登记有误的申请请整件作废")
    e = live[-1]
    if e.kind == L.EV_APPEAL:
        raise InputRejected("复议/诉讼的登记不能撤销,请改登记其结果")
    if e.kind == L.EV_REPLY:
        r.replied_on, r.outcome, r.delivery, r.reply_note, r.on_the_spot, r.repeat_of_id = None, "", "", "", False, None
    elif e.kind == L.EV_FEE:
        r.fee_mode, r.fee_pages, r.fee_amount, r.fee_paid_on = "", 0, Decimal("0"), None
    e.soft_delete()
    refresh(session, r, today, "撤销后重新计算期限")
    return L.EVENT_LABELS.get(e.kind, e.kind)


def void(session: Session, r: DisclosureRequest, reason: str) -> None:
    """Strike a request registered by mistake (a tombstone: the deletion travels to the county)."""
    if not reason.strip():
        raise InputRejected("请写明作废的理由")
    if any(a.deleted_at is None for a in r.appeals):
        raise InputRejected(f"申请 {r.number} 已有复议/诉讼登记,不能作废")
    r.soft_delete()
    for e in r.events:
        if e.deleted_at is None:
            e.soft_delete()
