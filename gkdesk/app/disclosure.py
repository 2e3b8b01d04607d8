"""依申请公开 as clerk actions: register a request, step its clock, reply, appeal, fees, print, export.

The rules live in :mod:`gkdesk.disclosure.register` (and the clock in
:mod:`gkdesk.disclosure.clock`); this module wraps each step in one backed-up transaction
with its audit line and returns one typed result whose ``summary()`` both faces print.
Reads never return the applicant's name or contact except :func:`show` (the clerk's own
view of one request).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.disclosure import labels as L
from gkdesk.disclosure import register as reg
from gkdesk.errors import CalendarMissing, GkError

CHANGES = frozenset({"disclosure"})


def _today(today: date | None) -> date:
    return today or date.today()


def write_failed(out: str | Path, exc: OSError) -> GkError:
    """An output file that cannot be written (open in WPS/Word on Windows, read-only stick …)."""
    return GkError(f"无法写入文件“{Path(out).name}”:{exc.strerror or exc}。如果它正在 WPS 或 Word 中打开,"
                   "请先关闭再试;或换一个保存位置。数据未受影响。", code="write_failed")


@dataclass
class RequestStep(Outcome):
    """One step of a request: ``request`` is the request after it, with its clock."""

    action: str
    request: dict[str, Any]
    detail: str = ""

    def summary(self) -> str:
        r = self.request
        verb = {"add": "已登记", "confirm": "已确认收到", "supplement": "已登记补正通知", "supplied": "已登记补正后的申请",
                "consult": "已登记征求意见", "consult_end": "已登记征求意见结束", "extend": "已延期",
                "reply": "已登记答复", "appeal": "已登记复议/诉讼", "fee": "已计算信息处理费",
                "attach": "已附扫描件", "undo": "已撤销", "void": "已作废", "later": "已确定提供日期"}[self.action]
        due = f",答复期限 {r['due_on']}" if r.get("due_on") and r["state"] != L.ST_REPLIED else ""
        extra = f";{self.detail}" if self.detail else ""
        return f"{verb}:申请 {r['number']}({r.get('status_text', r['state_label'])}{due}){extra}"


def _step(ws: Workspace, s: Any, action: str, r: Any, c: Any, detail: str = "", **audit: Any) -> RequestStep:
    ws.audit(s, f"disclosure.{action}", r.number, **audit)
    d = reg.request_dict(r, c)
    warnings = []
    if c is not None and c.warnings:
        from gkdesk.result import Problem

        warnings = [Problem(message=w) for w in c.warnings]
    return RequestStep(action, d, detail, changes=CHANGES, warnings=warnings)


def add(ws: Workspace, *, channel: str, arrived_on: date, applicant_type: str, content: str,
        applicant_name: str = "", contact: str = "", address: str = "", confirmed_on: date | None = None,
        form: str = "", handler: str = "", scans: list[str | Path] | None = None,
        today: date | None = None) -> RequestStep:
    """Register a request (and its scans); refused when its due day lies in a year without holiday data."""
    with ws.change() as s:
        r, c = reg.add(s, ws.operator, channel=channel, arrived_on=arrived_on, applicant_type=applicant_type,
                       content=content, applicant_name=applicant_name, contact=contact, address=address,
                       confirmed_on=confirmed_on, form=form, handler=handler, today=_today(today))
        for f in scans or []:
            from gkdesk.disclosure import attachments

            attachments.attach(s, ws.data_dir, r, f, ws.operator)
        return _step(ws, s, "add", r, c, channel=channel)


def confirm(ws: Workspace, key: str, day: date, *, today: date | None = None) -> RequestStep:
    with ws.change() as s:
        r = reg.find(s, key)
        return _step(ws, s, "confirm", r, reg.confirm(s, ws.operator, r, day, _today(today)))


def supplement(ws: Workspace, key: str, day: date, items: str, *, until: date | None = None,
               today: date | None = None) -> RequestStep:
    """The one-time 补正 notice: the clock stops until the corrected request arrives."""
    with ws.change() as s:
        r = reg.find(s, key)
        return _step(ws, s, "supplement", r, reg.supplement(s, ws.operator, r, day, until, items, _today(today)))


def supplied(ws: Workspace, key: str, day: date, *, today: date | None = None) -> RequestStep:
    """The corrected request arrived: the 20 working days run again from ``day``."""
    with ws.change() as s:
        r = reg.find(s, key)
        return _step(ws, s, "supplied", r, reg.supplied(s, ws.operator, r, day, _today(today)))


def consult(ws: Workspace, key: str, day: date, party: str, *, kind: str = L.CONSULT_THIRD,
            today: date | None = None) -> RequestStep:
    with ws.change() as s:
        r = reg.find(s, key)
        return _step(ws, s, "consult", r, reg.consult(s, ws.operator, r, day, kind, party, _today(today)))


def consult_end(ws: Workspace, key: str, day: date, *, note: str = "", today: date | None = None) -> RequestStep:
    with ws.change() as s:
        r = reg.find(s, key)
        return _step(ws, s, "consult_end", r, reg.consult_end(s, ws.operator, r, day, note, _today(today)))


def extend(ws: Workspace, key: str, day: date, days: int, approver: str, *, reason: str = "",
           today: date | None = None) -> RequestStep:
    with ws.change() as s:
        r = reg.find(s, key)
        c = reg.extend(s, ws.operator, r, day, days, approver, reason, _today(today))
        return _step(ws, s, "extend", r, c, days=days, approver=approver)


def later_date(ws: Workspace, key: str, day: date, until: date, *, reason: str = "",
               today: date | None = None) -> RequestStep:
    """第三十五条: set a reasonable later date for a large request (print the 政府信息提供日期通知书)."""
    with ws.change() as s:
        r = reg.find(s, key)
        return _step(ws, s, "later", r, reg.later_date(s, ws.operator, r, day, until, reason, _today(today)))


def reply(ws: Workspace, key: str, outcome: str, delivery: str, *, day: date | None = None, note: str = "",
          on_the_spot: bool = False, repeat_of: str | None = None, today: date | None = None) -> RequestStep:
    with ws.change(backup="before-request-reply") as s:
        r = reg.find(s, key)
        c = reg.reply(s, ws.operator, r, day, outcome, delivery, note, _today(today), on_the_spot=on_the_spot,
                      repeat_of=repeat_of)
        return _step(ws, s, "reply", r, c, "超过答复期限" if c.overdue else "", outcome=outcome)


def appeal(ws: Workspace, key: str, kind: str, filed_on: date, *, result: str = L.AR_PENDING,
           decided_on: date | None = None, note: str = "", appeal_id: str | None = None,
           today: date | None = None) -> RequestStep:
    with ws.change() as s:
        r = reg.find(s, key)
        a = reg.appeal(s, ws.operator, r, kind, filed_on, result, decided_on, note, appeal_id)
        s.refresh(r, ["appeals"])
        return _step(ws, s, "appeal", r, _clock_or_none(s, r, _today(today)),
                     f"{L.APPEAL_KIND_LABELS[a.kind]}:{L.APPEAL_RESULT_LABELS[a.result]}", kind=kind, result=result)


def fee(ws: Workspace, key: str, mode: str, *, pages: int = 0, paid_on: date | None = None,
        today: date | None = None) -> RequestStep:
    """Compute the 信息处理费 (按件: this applicant's n-th request in the month; 按量: pages) and record it."""
    with ws.change() as s:
        r = reg.find(s, key)
        amount, basis = reg.set_fee(s, ws.operator, r, mode, pages, paid_on, _today(today))
        how = {"per_page": f"按量,{basis} 页", "per_request": f"按件,本月第 {basis} 件", "": "不收费"}[mode]
        return _step(ws, s, "fee", r, _clock_or_none(s, r, _today(today)), f"{how},{amount} 元", amount=amount)


def attach(ws: Workspace, key: str, files: list[str | Path], *, today: date | None = None) -> RequestStep:
    from gkdesk.disclosure import attachments

    with ws.change() as s:
        r = reg.find(s, key)
        names = [attachments.attach(s, ws.data_dir, r, f, ws.operator).original_name for f in files]
        s.refresh(r, ["attachments"])
        return _step(ws, s, "attach", r, _clock_or_none(s, r, _today(today)), "、".join(names))


def undo(ws: Workspace, key: str, *, today: date | None = None) -> RequestStep:
    """Withdraw the latest step entered by mistake (a backup is taken first)."""
    with ws.change(backup="before-request-undo") as s:
        r = reg.find(s, key)
        label = reg.undo_last(s, ws.operator, r, _today(today))
        return _step(ws, s, "undo", r, _clock_or_none(s, r, _today(today)), f"撤销了“{label}”", step=label)


def void(ws: Workspace, key: str, reason: str) -> RequestStep:
    """Strike a request registered by mistake; its number is not reused."""
    with ws.change(backup="before-request-void") as s:
        r = reg.find(s, key)
        reg.void(s, r, reason)
        return _step(ws, s, "void", r, None, reason.strip(), reason=reason.strip())


# --- reads -------------------------------------------------------------------------------
def _clock_or_none(s: Any, r: Any, today: date) -> Any:
    try:
        return reg.clock_of(s, r, today)
    except CalendarMissing:
        return None


@dataclass
class RequestList(Outcome):
    rows: list[dict[str, Any]] = field(default_factory=list)
    missing_years: list[int] = field(default_factory=list)  # clocks that could not be computed

    def summary(self) -> str:
        text = f"共 {len(self.rows)} 件申请,未答复 {sum(1 for r in self.rows if not r['replied_on'])} 件," \
               f"超期 {sum(1 for r in self.rows if r['overdue'])} 件"
        if self.missing_years:
            text += ";待补充" + "、".join(f"{y}年" for y in self.missing_years) + "节假日安排,部分期限无法推算"
        return text


def list_requests(ws: Workspace, *, year: int | None = None, open_only: bool = False,
                  today: date | None = None) -> RequestList:
    from gkdesk import workdays

    today = _today(today)
    out = RequestList()
    with ws.session() as s:
        cal = workdays.load(s)
        for r in reg.all_requests(s, year):
            if open_only and r.replied_on is not None:
                continue
            missing = None
            try:
                c = reg.clock_of(s, r, today, cal)
            except CalendarMissing as exc:
                c, missing = None, exc.year
                if exc.year not in out.missing_years:
                    out.missing_years.append(exc.year)
            d = reg.request_dict(r, c)
            if missing is not None:
                d["status_text"] = f"待补充{missing}年节假日安排"
            out.rows.append(d)
    return out


def show(ws: Workspace, key: str, *, today: date | None = None) -> dict[str, Any]:
    """One request with its clock history and, for the clerk only, the applicant."""
    from gkdesk.models.disclosure import DisclosureApplicant

    with ws.session() as s:
        r = reg.find(s, key)
        try:
            c = reg.clock_of(s, r, _today(today))
            d = reg.request_dict(r, c)
        except CalendarMissing as exc:
            d = reg.request_dict(r) | {"status_text": exc.message, "history": []}
        a = s.get(DisclosureApplicant, r.id)
        d["applicant"] = {"name": a.name, "contact": a.contact, "address": a.address} if a else {}
        return d


@dataclass
class DueItem:
    number: str
    content: str
    due_on: date
    days_left: int
    state_label: str


def due_soon(ws: Workspace, *, within: int = 5, today: date | None = None) -> tuple[list[DueItem], list[DueItem]]:
    """(overdue, due within ``within`` working days) among unanswered requests, for the 首页."""
    rows = list_requests(ws, open_only=True, today=today).rows
    overdue, soon = [], []
    for d in rows:
        if d.get("days_left") is None or not d.get("due_on"):
            continue
        item = DueItem(d["number"], d["content"], date.fromisoformat(d["due_on"]), d["days_left"], d["state_label"])
        if d["days_left"] < 0:
            overdue.append(item)
        elif d["days_left"] <= within:
            soon.append(item)
    return overdue, sorted(soon, key=lambda i: i.due_on)


# --- documents and exports -----------------------------------------------------------------
@dataclass
class DocumentPrinted(Outcome):
    number: str
    title: str
    file: str
    template: str
    missing_chars: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"已生成申请 {self.number} 的《{self.title}》→ {self.file}(模板:{self.template})"
        if self.missing_chars:
            text += ";以下字符没有字体可以打印,已留空框:" + "".join(self.missing_chars)
        return text


def print_document(ws: Workspace, key: str, doc: str, out: str | Path, *, provide_on: date | None = None,
                   today: date | None = None) -> DocumentPrinted:
    """Fill a reply document's template with the request's data and write it as PDF."""
    from gkdesk.disclosure import documents

    with ws.change() as s:
        r = reg.find(s, key)
        try:
            res = documents.render(s, ws.data_dir, r, doc, out, on=_today(today), provide_on=provide_on)
        except OSError as exc:
            raise write_failed(out, exc) from exc
        ws.audit(s, "disclosure.print", r.number, doc=doc, file=Path(out).name)
        return DocumentPrinted(r.number, res["title"], res["file"], res["template"], res["missing_chars"])


@dataclass
class TemplatesWritten(Outcome):
    folder: str
    files: list[str]

    def summary(self) -> str:
        return f"已写出 {len(self.files)} 个文书模板到 {self.folder};修改后放入数据目录的 templates/disclosure 文件夹即可替换"


def export_templates(ws: Workspace, folder: str | Path) -> TemplatesWritten:
    from gkdesk.disclosure import documents

    files = documents.export_templates(Path(folder))
    return TemplatesWritten(str(folder), [f.name for f in files])


@dataclass
class RegisterExported(Outcome):
    file: str
    title: str
    rows: int

    def summary(self) -> str:
        return f"已导出“{self.title}”:{self.rows} 件申请 → {self.file}"


def export_register(ws: Workspace, out: str | Path, *, year: int | None = None,
                    today: date | None = None) -> RegisterExported:
    """The register as print-ready .xlsx (no applicant names or contacts)."""
    from gkdesk import township
    from gkdesk.disclosure import export
    from gkdesk.errors import InputRejected

    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise InputRejected(f"输出文件“{out.name}”须为 .xlsx")
    listing = list_requests(ws, year=year, today=today)
    with ws.session() as s:
        name = township.current(s).name
        title = f"{name}{f'{year}年' if year else ''}政府信息公开申请登记台账"
        footer = f"共 {len(listing.rows)} 件;{listing.summary()};导出日期 {_today(today).isoformat()}"
        try:
            export.write_xlsx(out, title, listing.rows, footer)
        except OSError as exc:
            raise write_failed(out, exc) from exc
        ws.audit(s, "disclosure.export", out.name, year=year or "", rows=len(listing.rows))
    return RegisterExported(str(out), title, len(listing.rows), changes=frozenset())


# --- county ----------------------------------------------------------------------------------
@dataclass
class CountyRequests(Outcome):
    townships: list[Any] = field(default_factory=list)  # gkdesk.disclosure.county.TownshipRequests

    def summary(self) -> str:
        n_open = sum(len(t.open) for t in self.townships)
        n_late = sum(len(t.overdue) for t in self.townships)
        return f"{len(self.townships)} 个乡镇(街道):未答复申请 {n_open} 件,其中超期 {n_late} 件"

    def lines(self) -> list[str]:
        out = [self.summary()]
        for t in self.townships:
            out.append(f"{t.township}:共 {t.total} 件,未答复 {len(t.open)} 件,超期未答复 {len(t.overdue)} 件,"
                       f"超期答复 {t.replied_late} 件")
            out += [f"    {d['number']}  期限 {d.get('due_on') or '—'}  {d.get('status_text', '')}  {d['content'][:24]}"
                    for d in t.open]
        return out


def county_overview(ws: Workspace, *, year: int | None = None, today: date | None = None) -> CountyRequests:
    """Every township's open and overdue requests, as the county received them."""
    from gkdesk.disclosure import county

    with ws.session() as s:
        return CountyRequests(county.overview(s, _today(today), year))
