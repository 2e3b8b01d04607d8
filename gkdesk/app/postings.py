"""Village postings (公示) as clerk actions: one function per step of a posting's life.

The lifecycle's rules live in :mod:`gkdesk.postings.lifecycle` (it refuses a step out of
order, with the reason); this module adds what both faces need around them: which steps
a posting allows next (:func:`next_actions`, so the window enables the right buttons
without knowing the statuses), the defaults to ask with (reviewer, period), the reads a
page shows, and one typed result per step whose ``summary()`` both faces print.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gkdesk import township
from gkdesk import village_catalogue as vcat
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.errors import GkError, InputRejected
from gkdesk.models.township import Village
from gkdesk.postings import calendar as pcal
from gkdesk.postings import lifecycle as lc
from gkdesk.postings import photos as ph
from gkdesk.postings.labels import REVIEWER_FINANCE, REVIEWER_SUPERVISION
from gkdesk.postings.register import export_register as _export_register
from gkdesk.postings.yearend import YearEndChecklist, township_year_end, year_end_checklist
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report

CHANGES = frozenset({"postings"})

# --- the state machine as the faces see it ---------------------------------------------
NEW, REVIEW, POST, ATTACH, OBJECT, ANSWER, CORRECT, ARCHIVE = (
    "new", "review", "post", "attach", "object", "answer", "correct", "archive")
RECORD, END, AMEND, WITHDRAW = "record", "end", "amend", "withdraw"
ACTIONS = (NEW, REVIEW, POST, ATTACH, OBJECT, ANSWER, CORRECT, ARCHIVE, RECORD, END, AMEND, WITHDRAW)
_ON_BOARD = (ATTACH, OBJECT, CORRECT, ARCHIVE, AMEND, WITHDRAW)
#: what each status allows next (besides answering an open objection, which any status allows)
NEXT_BY_STATUS: dict[str, tuple[str, ...]] = {
    "draft": (REVIEW, AMEND, WITHDRAW), "reviewed": (POST, AMEND, WITHDRAW), "posted": (*_ON_BOARD, END),
    "ended": _ON_BOARD, "archived": (ATTACH, AMEND), "superseded": (ATTACH, ARCHIVE, AMEND), "withdrawn": (),
}


def next_actions(posting: Mapping[str, Any] | None, *, slot_open: bool = False) -> frozenset[str]:
    """The steps the clerk may take now: for a posting (as ``posting_dict``), or — with none
    chosen — registering a new one when an empty calendar slot is selected (``slot_open``)."""
    if posting is None:
        return frozenset({NEW, RECORD}) if slot_open else frozenset()
    allowed = set(NEXT_BY_STATUS.get(posting["status"], ()))
    if posting.get("objections_open"):
        allowed.add(ANSWER)
    return frozenset(allowed)


def posting_line(d: Mapping[str, Any]) -> str:
    return f"{d['id'][:8]}  {d['title']}  [{d['status_label']}]"


_VERBS = {"create": "登记", "review": "登记审核", "post": "登记张贴", "end": "登记公示期满",
          "answer": "答复异议", "correct": "登记更正稿(审核后张贴,原公示将标为已更正重贴)", "archive": "归档",
          "record": "补录已张贴的公示", "withdraw": "撤回", "amend": "更正记录"}


@dataclass
class PostingStep(Outcome):
    """One step of a posting's life; ``posting`` is the posting after it (for a correction: the new draft)."""

    action: str  # create, review, post, end, object, answer, correct, archive
    posting: dict[str, Any]
    period: str = ""  # after posting: the period in words
    objection_id: str | None = None  # after an objection: its number
    replaces: str | None = None  # after a correction: the posting it will replace
    detail: str = ""  # after amending: what changed, old → new

    def summary(self) -> str:
        if self.action == "object":
            return f"已登记异议 {(self.objection_id or '')[:8]}"
        text = f"已{_VERBS[self.action]}:{posting_line(self.posting)}"
        return text + (f"  公示期:{self.period}" if self.period else "") + (f"  {self.detail}" if self.detail else "")


@dataclass
class PhotosAttached(Outcome):
    posting: dict[str, Any]
    photos: list[dict[str, Any]]  # id, sha256, path, width, height
    names: list[str] = field(default_factory=list)  # the files' own names, in the same order

    def summary(self) -> str:
        return "已附照片 " + "、".join(f"{n}({p['width']}×{p['height']})" for n, p in zip(self.names, self.photos,
                                                                                      strict=True))


@dataclass
class RegisterExported(Outcome):
    file: str
    title: str
    rows: int
    photos: int

    def summary(self) -> str:
        return f"已导出“{self.title}”:{self.rows} 条公示,照片 {self.photos} 张 → {self.file}"


def _step(action: str, res: Any, **extra: Any) -> PostingStep:
    return PostingStep(action, res.data["posting"], warnings=list(res.warnings), changes=CHANGES, **extra)


def _day(on: date | None) -> date:
    return on or date.today()


# --- steps -------------------------------------------------------------------------------
def new(ws: Workspace, village: str, title: str, *, item: str | None = None, slot: str = "", group: str = "",
        on: date | None = None) -> PostingStep:
    """Register a draft posting (a sheet to be reviewed before it goes on the board)."""
    with ws.session() as s:
        res = lc.create_posting(s, ws.operator, village_name=village, title=title, catalogue_item=item,
                                slot=slot, group_name=group, on=_day(on))
    return _step("create", res)


def new_for_slot(ws: Workspace, village: str, item_id: str, slot: str, *, title: str | None = None,
                 on: date | None = None) -> PostingStep:
    """A draft for one period of a catalogue item; the title defaults to village + period + item."""
    with ws.session() as s:
        it = vcat.find_item(s, township.find_village(s, village), item_id)
        year = int(slot[:4]) if slot[:4].isdigit() else _day(on).year
        label = next((x.label for x in pcal.slots(it.frequency, year) if x.key == slot), slot)
        res = lc.create_posting(s, ws.operator, village_name=village, title=title or f"{village}{label}{it.name}",
                                catalogue_item=it.id, slot=slot, on=_day(on))
    return _step("create", res)


def review(ws: Workspace, posting: str, reviewer: str, body: str, *, on: date | None = None) -> PostingStep:
    with ws.session() as s:
        res = lc.review(s, posting, ws.operator, reviewer=reviewer, body=body, on=_day(on))
    return _step("review", res)


def post(ws: Workspace, posting: str, *, location: str, days: int | None = None, working: bool | None = None,
         start: date | None = None, on: date | None = None) -> PostingStep:
    """Put a reviewed sheet on the board. ``days``/``working`` None keep what the printed notice planned."""
    unit = None if working is None else ("working" if working else "natural")
    with ws.session() as s:
        res = lc.post(s, posting, ws.operator, on=_day(on), location=location, length=days, unit=unit, start=start)
        period = lc.period_text(lc.find_posting(s, posting))
    return _step("post", res, period=period)


def end(ws: Workspace, posting: str, *, on: date | None = None) -> PostingStep:
    with ws.session() as s:
        res = lc.end_period(s, posting, ws.operator, on=_day(on))
    return _step("end", res)


def add_objection(ws: Workspace, posting: str, content: str, *, by: str = "", on: date | None = None) -> PostingStep:
    with ws.session() as s:
        res = lc.add_objection(s, posting, ws.operator, on=_day(on), content=content, raised_by=by)
    return _step("object", res, objection_id=res.data["objection_id"])


def answer(ws: Workspace, objection: str, text: str, *, by: str = "", on: date | None = None) -> PostingStep:
    """Answer one objection, by its number."""
    with ws.session() as s:
        res = lc.answer_objection(s, objection, ws.operator, on=_day(on), answer=text, answered_by=by)
    return _step("answer", res)


def answer_open(ws: Workspace, posting: str, text: str, *, by: str = "", on: date | None = None) -> PostingStep:
    """Answer the oldest unanswered objection of a posting (the window answers them in turn)."""
    with ws.session() as s:
        p = lc.find_posting(s, posting)
        o = min((o for o in p.objections if o.deleted_at is None and not o.answer),
                key=lambda o: (o.raised_on, o.id), default=None)
        if o is None:
            raise InputRejected("这条公示没有未答复的异议")
        res = lc.answer_objection(s, o.id, ws.operator, on=_day(on), answer=text, answered_by=by)
    return _step("answer", res)


def correct(ws: Workspace, posting: str, reason: str, *, title: str | None = None,
            on: date | None = None) -> PostingStep:
    """Register a corrected notice; it replaces the posted one once it is itself posted."""
    with ws.session() as s:
        res = lc.correct(s, posting, ws.operator, on=_day(on), reason=reason, title=title or None)
    return _step("correct", res, replaces=res.data["replaces"])


def archive(ws: Workspace, posting: str, *, place: str = "村委会", on: date | None = None) -> PostingStep:
    """File the posting after its period, all objections answered (warns when it has no photo)."""
    with ws.session() as s:
        res = lc.archive(s, posting, ws.operator, on=_day(on), place=place)
    return _step("archive", res)


def attach_photos(ws: Workspace, posting: str, files: list[str | Path], *, on: date | None = None) -> PhotosAttached:
    """Attach photos of the posted sheet, all or none (one bad file refuses the lot)."""
    out: list[dict[str, Any]] = []
    with ws.session() as s:
        for f in files:
            res = ph.attach_photo(s, ws.data_dir, posting, f, ws.operator, taken_on=on)
            out.append(res.data["photo"])
        d = lc.posting_dict(lc.find_posting(s, posting))
    return PhotosAttached(d, out, [Path(f).name for f in files], changes=CHANGES)


def export_register(ws: Workspace, year: int, out: str | Path, *, village: str | None = None,
                    report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> RegisterExported:
    """The year's 公示台账 as .xlsx or .pdf (by the file's suffix), for the county's check."""
    with ws.session() as s:
        res = _export_register(s, ws.data_dir, year, out, ws.operator, village_name=village,
                               report=report, cancelled=cancelled)
    return RegisterExported(res.data["file"], res.data["title"], res.counts["rows"], res.counts["photos"])


def record_posted(ws: Workspace, village: str, item_id: str, slot: str, *, posted_on: date, reviewer: str,
                  body: str, location: str, days: int = 7, working: bool = False, reviewed_on: date | None = None,
                  title: str | None = None, today: date | None = None) -> PostingStep:
    """Record, after the fact, a sheet that was reviewed and posted on past dates (补录): the
    draft, its review and its posting in one step. The review date (default: the posting date)
    must not be after the posting date; neither may be after today."""
    now = _day(today)
    reviewed = reviewed_on or posted_on
    if posted_on > now:
        raise InputRejected(f"张贴日期 {posted_on} 晚于今天:补录只用于已经张贴的公示")
    if reviewed > posted_on:
        raise InputRejected(f"审核日期 {reviewed} 晚于张贴日期 {posted_on}:应先审核后张贴")
    with ws.session() as s:
        it = vcat.find_item(s, township.find_village(s, village), item_id)
        year = int(slot[:4]) if slot[:4].isdigit() else posted_on.year
        label = next((x.label for x in pcal.slots(it.frequency, year) if x.key == slot), slot)
        res = lc.create_posting(s, ws.operator, village_name=village, title=title or f"{village}{label}{it.name}",
                                catalogue_item=it.id, slot=slot, on=reviewed)
        pid = res.data["posting"]["id"]
        lc.review(s, pid, ws.operator, reviewer=reviewer, body=body, on=reviewed)
        res = lc.post(s, pid, ws.operator, on=posted_on, location=location, length=days,
                      unit="working" if working else "natural", start=posted_on)
        period = lc.period_text(lc.find_posting(s, pid))
    return _step("record", res, period=period)


def withdraw(ws: Workspace, posting: str, reason: str, *, on: date | None = None) -> PostingStep:
    """Withdraw a posting registered in error; it stays on record as 已撤回 with the reason."""
    from gkdesk.postings import amend as am

    with ws.change(backup="before-posting-withdraw") as s:
        res = am.withdraw(s, posting, ws.operator, reason=reason, on=_day(on))
    return _step("withdraw", res)


def amend(ws: Workspace, posting: str, reason: str, *, title: str | None = None, reviewer: str | None = None,
          body: str | None = None, reviewed_on: date | None = None, posted_on: date | None = None,
          location: str | None = None, on: date | None = None) -> PostingStep:
    """Correct what was recorded wrongly (old → new kept in the history with the reason)."""
    from gkdesk.postings import amend as am

    with ws.session() as s:
        res = am.amend(s, posting, ws.operator, reason=reason, on=_day(on), title=title, reviewer=reviewer,
                       reviewer_body=body, reviewed_on=reviewed_on, posted_on=posted_on, location=location)
    return _step("amend", res, detail=";".join(res.data["changed"]))


# --- what to ask with ----------------------------------------------------------------------
def step_dates(posting: Mapping[str, Any], history: list[dict[str, Any]], today: date) -> dict[str, date]:
    """Default dates for the next step follow the posting's own dates, so a posting registered
    for a past period can be reviewed and posted on those past dates (not "today")."""
    registered = next((h["on"] for h in history if h["action"] == "create" and h["on"]), None) or today
    reviewed = posting.get("reviewed_on") or registered
    posted = posting.get("posted_on") or reviewed
    return {"review": min(registered, today), "post": min(reviewed, today), "after": min(posted, today)}

def reviewer_default(ws: Workspace, posting: str) -> tuple[str, str]:
    """Finance items go to the 民主理财小组, the rest to the 村务监督委员会; names from the village's settings."""
    with ws.session() as s:
        p = lc.find_posting(s, posting)
        item = s.get(vcat.VillageCatalogueItem, p.catalogue_item_id) if p.catalogue_item_id else None
        village = s.get(Village, p.village_id) if p.village_id else None
        prof = vcat.profile(s, village) if village is not None else None
        finance = item is not None and item.finance
        name = (prof.finance_group_head if finance else prof.supervision_head) if prof else ""
    return name or "", REVIEWER_FINANCE if finance else REVIEWER_SUPERVISION


def post_defaults(posting: Mapping[str, Any]) -> tuple[int, bool]:
    """The period to offer: what the printed notice planned, else 7 natural days."""
    return int(posting.get("period_days") or 7), posting.get("period_unit") == "working"


# --- reading -------------------------------------------------------------------------------
@dataclass
class PhotoView:
    id: str
    name: str
    sha256: str
    path: str  # relative to the data directory
    thumb: str = ""  # a cached thumbnail file ("" when not asked for or unreadable)


@dataclass
class PostingDetail:
    posting: dict[str, Any]
    period: str
    objections: list[dict[str, Any]]  # id, raised_on, by, content, answer, answered_on
    photos: list[PhotoView]
    history: list[dict[str, Any]]
    actions: frozenset[str] = field(default_factory=frozenset)


def detail(ws: Workspace, posting: str, *, thumbs: int | None = None) -> PostingDetail:
    """A posting with its objections, photos (with thumbnails of ``thumbs`` pixels if asked) and history."""
    with ws.session() as s:
        p = lc.find_posting(s, posting)
        d = lc.posting_dict(p)
        objs = [{"id": o.id, "raised_on": o.raised_on, "by": o.raised_by, "content": o.content, "answer": o.answer,
                 "answered_on": o.answered_on} for o in p.objections if o.deleted_at is None]
        pics = []
        for x in p.photos:
            if x.deleted_at is not None:
                continue
            thumb = ""
            if thumbs:
                try:
                    thumb = str(ph.thumbnail(ws.data_dir, x, thumbs))
                except GkError:
                    thumb = ""
            pics.append(PhotoView(x.id, x.original_name, x.sha256, x.relpath, thumb))
        return PostingDetail(d, lc.period_text(p), objs, pics, lc.history(p), next_actions(d))


def photo_file(ws: Workspace, posting: str, sha256: str) -> Path:
    """Where a posting's photo is stored, to open it in the system viewer."""
    with ws.session() as s:
        p = lc.find_posting(s, posting)
        x = next((x for x in p.photos if x.sha256 == sha256 and x.deleted_at is None), None)
        if x is None:
            raise InputRejected("这张照片已不在该公示上")
        return ph.photo_path(ws.data_dir, x)


@dataclass
class Listing:
    rows: list[dict[str, Any]]  # posting_dict of each posting
    village_names: dict[str, str]  # village id → name (deleted villages included)


def listed(ws: Workspace, *, village: str | None = None, year: int | None = None,
           status: str | None = None) -> Listing:
    with ws.session() as s:
        names = {v.id: v.name for v in township.villages(s, include_deleted=True)}
        rows = [lc.posting_dict(p) for p in lc.list_postings(s, village_name=village, year=year, status=status,
                                                               with_children=True)]
    return Listing(rows, names)


def calendar(ws: Workspace, village: str, year: int, today: date | None = None) -> pcal.VillageCalendar:
    with ws.session() as s:
        return pcal.village_calendar(s, village, year, _day(today))


def overdue(ws: Workspace, today: date | None = None) -> list[pcal.OverdueVillage]:
    """Villages with catalogue items overdue this year, most overdue first."""
    with ws.session() as s:
        return pcal.overdue_villages(s, _day(today))


def year_end(ws: Workspace, year: int, village: str | None = None) -> list[YearEndChecklist]:
    """The year-end payout publication checklist of one village, or of every village."""
    with ws.session() as s:
        return [year_end_checklist(s, village, year)] if village else township_year_end(s, year)


@dataclass
class VillageOverview:
    """The village list of the 村务公开 page: names in order and how many periods each has overdue."""

    names: list[str]
    overdue: dict[str, int]


def overview(ws: Workspace, today: date | None = None) -> VillageOverview | None:
    """None before the township is set up."""
    with ws.session() as s:
        if not township.is_initialised(s):
            return None
        over = {o.name: o.missing for o in pcal.overdue_villages(s, _day(today))}
        return VillageOverview([v.name for v in township.villages(s)], over)


@dataclass
class VillageView:
    """Everything the page shows for a village and year, read in one transaction."""

    calendar: pcal.VillageCalendar
    postings: list[dict[str, Any]]
    year_end: YearEndChecklist


def village_view(ws: Workspace, village: str, year: int, today: date | None = None) -> VillageView:
    with ws.session() as s:
        cal = pcal.village_calendar(s, village, year, _day(today))
        posts = [lc.posting_dict(p) for p in lc.list_postings(s, village_name=village, year=year, with_children=True)]
        return VillageView(cal, posts, year_end_checklist(s, village, year))
