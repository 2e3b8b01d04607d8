"""The posting lifecycle: draft → reviewed → posted → period ended → archived.

Each step is one core function taking the clerk's date (``on``) and refusing, with a
Chinese message that says why and what to do, any step out of order: a sheet the
村务监督委员会 / 民主理财小组 has not reviewed may not go on the board, an objection
belongs to the posting period, a posting with unanswered objections is not archived.
A corrected notice is a new posting linked to the first (``replaces_id``); the first
becomes ``superseded`` when the correction is posted. Every step leaves a
``PostingEvent`` (travels to the county) and an audit entry (local).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gkdesk import audit, township, workdays
from gkdesk.errors import CalendarMissing, InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models.posting import STATUS_DRAFT, STATUS_POSTED, Posting
from gkdesk.models.posting_lifecycle import (
    ALL_KIND_LABELS,
    KIND_CATALOGUE,
    KIND_OTHER,
    LOCATION_GROUP,
    LOCATIONS,
    POSTED_STATUSES,
    REVIEWER_BODIES,
    STATUS_ARCHIVED,
    STATUS_ENDED,
    STATUS_LABELS,
    STATUS_REVIEWED,
    STATUS_SUPERSEDED,
    PostingEvent,
    PostingObjection,
    status_label,
)
from gkdesk.result import OpResult, Problem

audit.ACTION_LABELS.update({
    "posting.create": "登记公示", "posting.review": "公示审核", "posting.post": "张贴公示",
    "posting.end": "公示期满", "posting.archive": "公示归档", "posting.object": "登记异议",
    "posting.answer": "答复异议", "posting.correct": "更正重贴", "posting.attach": "附公示照片",
})
EVENT_LABELS = {"create": "登记", "review": "审核", "post": "张贴", "end": "公示期满", "archive": "归档",
                "object": "异议", "answer": "答复异议", "correct": "更正", "superseded": "被更正稿替代",
                "attach": "附照片", "reprint": "重新打印", "withdraw": "撤回", "amend": "更正记录"}
CHANGES = {"postings"}


def _event(session: Session, p: Posting, action: str, operator: str, on: date | None, detail: str = "") -> None:
    session.add(PostingEvent(posting=p, action=action, operator=operator or "未知", on=on, detail=detail))
    audit.record(session, operator, f"posting.{action}" if action != "superseded" else "posting.correct",
                 p.id[:8], title=p.title, detail=detail)


def find_posting(session: Session, ref: str) -> Posting:
    """By id or an unambiguous id prefix of at least 6 characters (what the CLI lists)."""
    ref = (ref or "").strip().lower()
    p = session.get(Posting, ref) if len(ref) == 32 else None
    if p is None and len(ref) >= 6:
        found = list(session.scalars(select(Posting).where(Posting.id.like(f"{ref}%"), Posting.deleted_at.is_(None))))
        if len(found) > 1:
            raise InputRejected(f"编号“{ref}”对应多条公示,请多写几位")
        p = found[0] if found else None
    if p is None or p.deleted_at is not None:
        raise NotFound(f"找不到编号为“{ref}”的公示")
    return p


def _label(p: Posting) -> str:
    return f"公示“{p.title}”"


def create_posting(session: Session, operator: str, *, village_name: str, title: str, kind: str = KIND_OTHER,
                   group_name: str = "", catalogue_item: str | None = None, program_id: str | None = None,
                   year: int | None = None, slot: str = "", source_ref: str = "",
                   on: date | None = None) -> OpResult:
    """Register a draft posting (a sheet to be reviewed and put on the board)."""
    from gkdesk import village_catalogue

    v = township.find_village(session, village_name)
    title = (title or "").strip()
    if not title:
        raise InputRejected("公示标题不能为空")
    if kind not in ALL_KIND_LABELS:
        raise InputRejected(f"公示类型“{kind}”无效:应为 " + "、".join(ALL_KIND_LABELS.values()))
    item_id = None
    if catalogue_item:
        item_id = village_catalogue.find_item(session, v, catalogue_item).id
        kind = KIND_CATALOGUE if kind == KIND_OTHER else kind
    p = Posting(township_id=v.township_id, village_id=v.id, title=title[:200], kind=kind, group_name=group_name,
                catalogue_item_id=item_id, program_id=program_id, year=year, slot=slot,
                source_ref=source_ref, status=STATUS_DRAFT, printed_by=operator)
    session.add(p)
    session.flush()
    _event(session, p, "create", operator, on or date.today(), f"{v.name}:{title}")
    return OpResult(changes=CHANGES, data={"posting": posting_dict(p)})


def review(session: Session, posting_id: str, operator: str, *, reviewer: str, body: str, on: date) -> OpResult:
    p = find_posting(session, posting_id)
    if p.status == STATUS_REVIEWED:
        raise InputRejected(f"{_label(p)}已于{p.reviewed_on}由{p.reviewer_body}{p.reviewer}审核,不能重复审核")
    if p.status != STATUS_DRAFT:
        raise InputRejected(f"{_label(p)}当前为“{status_label(p)}”,只有草稿才能审核;如内容有误,请登记更正稿重新公示")
    if not (reviewer or "").strip():
        raise InputRejected("请填写审核人姓名(村务监督委员会或民主理财小组成员)")
    if body not in REVIEWER_BODIES:
        raise InputRejected(f"审核机构“{body}”无效:应为“村务监督委员会”或“民主理财小组”")
    p.reviewer, p.reviewer_body, p.reviewed_on = reviewer.strip(), body, on
    p.status = STATUS_REVIEWED
    _event(session, p, "review", operator, on, f"{body} {p.reviewer}")
    return OpResult(changes=CHANGES, data={"posting": posting_dict(p)})


def post(session: Session, posting_id: str, operator: str, *, on: date, location: str, length: int | None = None,
         unit: str | None = None, start: date | None = None) -> OpResult:
    """Put a reviewed sheet on the board for ``length`` days (or working days) from ``start``.

    A notice printed with a planned period keeps its length and unit unless new ones are given;
    the period starts on ``start``, else on the planned start if that is not yet past, else today.
    """
    p = find_posting(session, posting_id)
    if p.status == STATUS_DRAFT:
        raise InputRejected(f"{_label(p)}尚未经村务监督委员会或民主理财小组审核,不能张贴", hint=Hint.REVIEW_POSTING)
    if p.status != STATUS_REVIEWED:
        raise InputRejected(f"{_label(p)}已于{p.posted_on}张贴(当前“{status_label(p)}”),不能重复张贴;如内容有误,请登记更正稿")
    if location not in LOCATIONS:
        raise InputRejected(f"张贴地点“{location}”无效:应为 " + "、".join(LOCATIONS))
    if location == LOCATION_GROUP and not p.group_name:
        raise InputRejected("张贴在村民小组公示栏时,请在公示上注明是哪个组")
    if p.reviewed_on and on < p.reviewed_on:
        raise InputRejected(f"张贴日期 {on} 早于审核日期 {p.reviewed_on}:应先审核后张贴")
    if length is None:
        if not p.period_days:
            raise InputRejected(f"{_label(p)}没有预定的公示期,请给出公示天数")
        length, unit = p.period_days, unit or p.period_unit or workdays.UNIT_NATURAL
    unit = unit or workdays.UNIT_NATURAL
    if start is None:
        start = p.period_start if p.period_start and p.period_start >= on else on
    if start < on:
        raise InputRejected(f"公示期起始日 {start} 早于张贴日期 {on}")
    if not 1 <= length <= 366:
        raise InputRejected(f"公示期 {length} 无效:应为 1 至 366")
    if unit not in workdays.UNIT_LABELS:
        raise InputRejected(f"公示期单位“{unit}”无效:应按自然日或工作日计算")
    try:
        end = workdays.load(session).window_end(start, length, unit)
    except CalendarMissing as exc:
        raise InputRejected(f"无法计算{length}个工作日的公示期结束日:{exc.message}。可改按自然日计算",
                            hint=Hint.SET_HOLIDAYS, year=exc.year) from exc
    p.location, p.posted_on, p.period_start, p.period_end = location, on, start, end
    p.period_days, p.period_unit = length, unit
    p.status = STATUS_POSTED
    _event(session, p, "post", operator, on,
           f"{location}{p.group_name if location == LOCATION_GROUP else ''} {start}至{end}"
           f"(共{length}{workdays.UNIT_LABELS[unit]})")
    if p.replaces_id:
        old = session.get(Posting, p.replaces_id)
        if old is not None and old.status in (STATUS_POSTED, STATUS_ENDED):
            old.status = STATUS_SUPERSEDED
            _event(session, old, "superseded", operator, on, f"更正稿 {p.id[:8]} 已张贴")
    return OpResult(changes=CHANGES, data={"posting": posting_dict(p)})


def end_period(session: Session, posting_id: str, operator: str, *, on: date) -> OpResult:
    p = find_posting(session, posting_id)
    if p.status != STATUS_POSTED:
        raise InputRejected(f"{_label(p)}当前为“{status_label(p)}”,只有公示中的公示才能登记期满")
    assert p.period_end is not None
    if on <= p.period_end:
        left = (p.period_end - on).days + 1
        raise InputRejected(f"{_label(p)}公示期至 {p.period_end} 结束,尚未期满(含当日还剩 {left} 天)")
    p.status, p.ended_on = STATUS_ENDED, on
    _event(session, p, "end", operator, on)
    return OpResult(changes=CHANGES, data={"posting": posting_dict(p)})


def archive(session: Session, posting_id: str, operator: str, *, on: date, place: str = "村委会") -> OpResult:
    """File the posting in the 村务档案 once its period is over and every objection is answered."""
    p = find_posting(session, posting_id)
    if p.status in (STATUS_DRAFT, STATUS_REVIEWED):
        raise InputRejected(f"{_label(p)}尚未张贴,不能归档")
    if p.status == STATUS_ARCHIVED:
        raise InputRejected(f"{_label(p)}已于 {p.archived_on} 归档")
    if p.status == STATUS_POSTED:
        assert p.period_end is not None
        if on <= p.period_end:
            raise InputRejected(f"{_label(p)}公示期至 {p.period_end} 结束,期满后才能归档")
    open_ = [o for o in p.objections if o.deleted_at is None and not o.answer]
    if open_:
        raise InputRejected(f"{_label(p)}尚有 {len(open_)} 条异议未答复,答复后才能归档")
    if p.status == STATUS_POSTED:
        end_period(session, p.id, operator, on=on)
    warnings = []
    if not [ph for ph in p.photos if ph.deleted_at is None]:
        warnings.append(Problem(f"{_label(p)}没有张贴照片,县级检查时缺少佐证"))
    p.status, p.archived_on, p.archive_place = STATUS_ARCHIVED, on, place
    _event(session, p, "archive", operator, on, place)
    return OpResult(changes=CHANGES, warnings=warnings, data={"posting": posting_dict(p)})


def add_objection(session: Session, posting_id: str, operator: str, *, on: date, content: str,
                  raised_by: str = "") -> OpResult:
    p = find_posting(session, posting_id)
    if p.status not in (STATUS_POSTED, STATUS_ENDED) or p.period_start is None or p.period_end is None:
        raise InputRejected(f"{_label(p)}当前为“{status_label(p)}”,不在公示期内,不能登记公示期异议")
    if not p.period_start <= on <= p.period_end:
        raise InputRejected(f"异议日期 {on} 不在公示期({p.period_start}至{p.period_end})内,不能登记为本次公示的异议")
    if not (content or "").strip():
        raise InputRejected("请填写异议内容")
    o = PostingObjection(posting=p, raised_on=on, raised_by=raised_by.strip(), content=content.strip())
    session.add(o)
    session.flush()
    _event(session, p, "object", operator, on, f"{raised_by or '村民'}:{content.strip()}")
    return OpResult(changes=CHANGES, data={"objection_id": o.id, "posting": posting_dict(p)})


def answer_objection(session: Session, objection_id: str, operator: str, *, on: date, answer: str,
                     answered_by: str = "") -> OpResult:
    o = session.get(PostingObjection, objection_id)
    if o is None:
        found = list(session.scalars(select(PostingObjection).where(PostingObjection.id.like(f"{objection_id}%"))))
        o = found[0] if len(found) == 1 and len(objection_id) >= 6 else None
    if o is None:
        raise NotFound(f"找不到编号为“{objection_id}”的异议")
    if o.answer:
        raise InputRejected(f"该异议已于 {o.answered_on} 答复")
    if not (answer or "").strip():
        raise InputRejected("请填写答复内容")
    if on < o.raised_on:
        raise InputRejected(f"答复日期 {on} 早于异议提出日期 {o.raised_on}")
    o.answer, o.answered_on, o.answered_by = answer.strip(), on, answered_by.strip() or operator
    _event(session, o.posting, "answer", operator, on, answer.strip())
    return OpResult(changes=CHANGES, data={"posting": posting_dict(o.posting)})


def correct(session: Session, posting_id: str, operator: str, *, on: date, reason: str,
            title: str | None = None) -> OpResult:
    """Register a corrected notice (a new draft) linked to the posted one it will replace."""
    p = find_posting(session, posting_id)
    if p.status in (STATUS_DRAFT, STATUS_REVIEWED):
        raise InputRejected(f"{_label(p)}尚未张贴,直接修改后再审核即可,无需更正重贴")
    if p.status not in (STATUS_POSTED, STATUS_ENDED):
        raise InputRejected(f"{_label(p)}当前为“{status_label(p)}”,不能再更正")
    pending = session.scalar(select(Posting).where(Posting.replaces_id == p.id, Posting.deleted_at.is_(None)))
    if pending is not None:
        raise InputRejected(f"{_label(p)}已有更正稿(编号 {pending.id[:8]},{status_label(pending)})")
    if not (reason or "").strip():
        raise InputRejected("请写明更正原因(如:核实异议后更正某户面积)")
    new = Posting(township_id=p.township_id, village_id=p.village_id, group_name=p.group_name, kind=p.kind,
                  title=(title or f"{p.title}(更正)")[:200], source_ref=p.source_ref,
                  catalogue_item_id=p.catalogue_item_id, program_id=p.program_id, year=p.year, slot=p.slot,
                  status=STATUS_DRAFT, replaces_id=p.id, note=reason.strip())
    session.add(new)
    session.flush()
    _event(session, p, "correct", operator, on, f"更正稿 {new.id[:8]}:{reason.strip()}")
    _event(session, new, "create", operator, on, f"更正 {p.id[:8]}:{reason.strip()}")
    return OpResult(changes=CHANGES, data={"posting": posting_dict(new), "replaces": p.id})


def list_postings(session: Session, *, village_name: str | None = None, year: int | None = None,
                  status: str | None = None, with_children: bool = False) -> list[Posting]:
    """Postings of this township; ``with_children`` loads objections and photos in two more queries."""
    t = township.current(session)
    q = select(Posting).where(Posting.township_id == t.id, Posting.deleted_at.is_(None))
    if with_children:
        q = q.options(selectinload(Posting.objections), selectinload(Posting.photos))  # type: ignore[attr-defined]
    if village_name:
        q = q.where(Posting.village_id == township.find_village(session, village_name).id)
    if status:
        if status not in STATUS_LABELS:
            raise InputRejected(f"状态“{status}”无效:应为 " + "、".join(STATUS_LABELS))
        q = q.where(Posting.status == status)
    rows = list(session.scalars(q.order_by(Posting.posted_on, Posting.created_at)))
    if year:
        rows = [p for p in rows if posting_year(p) == year]
    return rows


def posting_year(p: Posting) -> int:
    """The year a posting belongs to in the register: posting date, else its stated year, else creation."""
    if p.posted_on:
        return p.posted_on.year
    return p.year or p.created_at.year


def is_on_board(p: Posting) -> bool:
    return p.status in POSTED_STATUSES


def posting_dict(p: Posting) -> dict[str, Any]:
    return {
        "id": p.id, "village_id": p.village_id, "title": p.title, "kind": p.kind, "status": p.status,
        "status_label": status_label(p), "group": p.group_name, "reviewer": p.reviewer,
        "reviewer_body": p.reviewer_body, "reviewed_on": p.reviewed_on, "location": p.location,
        "posted_on": p.posted_on, "period_start": p.period_start, "period_end": p.period_end,
        "period_days": p.period_days, "period_unit": p.period_unit, "archived_on": p.archived_on,
        "replaces_id": p.replaces_id, "slot": p.slot, "year": p.year, "program_id": p.program_id,
        "catalogue_item_id": p.catalogue_item_id,
        "objections": sum(1 for o in p.objections if o.deleted_at is None),
        "objections_open": sum(1 for o in p.objections if o.deleted_at is None and not o.answer),
        "photos": sum(1 for ph in p.photos if ph.deleted_at is None),
    }


def period_text(p: Posting) -> str:
    if not p.period_start or not p.period_end:
        return ""
    unit = workdays.UNIT_LABELS.get(p.period_unit, p.period_unit)
    return f"{p.period_start}至{p.period_end}(共{p.period_days}{unit})"


def history(p: Posting) -> list[dict[str, Any]]:
    return [{"on": e.on, "at": e.at, "action": e.action, "label": EVENT_LABELS.get(e.action, e.action),
             "operator": e.operator, "detail": e.detail} for e in p.events if e.deleted_at is None]
