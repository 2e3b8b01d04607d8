"""Printing notices: the operations the CLI and the window both call.

A notice printed with a posting period (a start date) is printed *for posting*: the
PDF is kept under ``attachments/`` in the data directory and a :class:`Posting` is
recorded per sheet. Without a start date the period line is left blank to be filled
by hand and nothing is recorded (a draft or a preview).
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from gkdesk import audit, fileio, township
from gkdesk.errors import Cancelled, GkError, InputRejected
from gkdesk.hints import Hint
from gkdesk.models.base import utcnow
from gkdesk.models.posting import KIND_PAYOUT, KIND_TABLE, KIND_YEAR_END, STATUS_DRAFT, Posting
from gkdesk.notices import fonts as font_mod
from gkdesk.notices.layout import PageLayout
from gkdesk.notices.masking import ID_MASK_PATTERN, check_policy
from gkdesk.notices.payout import build_payout_notices
from gkdesk.notices.period import PostingPeriod, posting_period
from gkdesk.notices.render import MissingGlyph, Notice, RenderResult, render
from gkdesk.notices.sources import find_batch, payout_sources, supervision_phones, year_end_source
from gkdesk.notices.table import build_table_notice, load_table_rows
from gkdesk.notices.year_end import build_year_end_notice
from gkdesk.result import IsCancelled, OpResult, Problem, Report, never_cancelled, no_report
from gkdesk.settings import BoolOption

# Set by ``gkdesk demo``: every sheet printed from this data directory carries a visible 演示
# mark, so a demo print can never be mistaken for (or posted as) a real notice.
DEMO_DATA = BoolOption("notices.demo_data", False)


@dataclass
class NoticeOptions:
    paper: str = "A4"
    landscape: bool = False
    large_print: bool = False
    mask: str = "none"
    by_group: bool = False
    start: date | None = None
    days: int | None = None
    working_days: bool = False
    allow_missing_glyphs: bool = False  # print a blank square where no font has a character of a name

    @property
    def layout(self) -> PageLayout:
        return PageLayout(self.paper, self.landscape, self.large_print)

    def period(self, session: Session) -> PostingPeriod | None:
        if self.start is None:
            if self.days:
                raise InputRejected("给了公示天数却没有开始日期", hint=Hint.NOTICE_PERIOD)
            return None
        if not self.days:
            raise InputRejected("给了公示开始日期却没有天数", hint=Hint.NOTICE_PERIOD)
        return posting_period(session, self.start, self.days, self.working_days)


@dataclass
class NoticeRun(OpResult):
    """A print run's :class:`OpResult`, plus the characters printed as □ (kept apart so a
    summary can count them; the ``--json`` payload stays the plain OpResult)."""

    missing: list[MissingGlyph] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        d = super().to_dict()
        d.pop("missing", None)
        return d


class GlyphsMissing(InputRejected):
    """Some names hold characters no installed font can print; nothing was written or recorded.

    ``missing`` lists them (person, column, character) so the window can show them and
    offer to print with a blank square for handwriting instead.
    """

    code = "missing_glyphs"

    def __init__(self, missing: list[MissingGlyph]) -> None:
        self.missing = list(missing)
        people = describe_missing(missing)
        more = f"等 {len(people)} 处" if len(people) > 20 else ""
        super().__init__(
            f"有 {len(people)} 处姓名或内容中的字在所有已安装的字体中都没有字形,无法打印:"
            f"{';'.join(people[:20])}{more}。"
            "请安装含这些字的 TrueType 字体(如花园明朝 HanaMinB、宋体-ExtB)后重印。未生成文件,也未记录公示",
            hint=Hint.NOTICE_MISSING_GLYPHS)


def describe_missing(missing: list[MissingGlyph]) -> list[str]:
    """One line per person: who, and which characters cannot be printed."""
    people: dict[str, list[str]] = {}
    for m in missing:
        people.setdefault(m.who or f"“{m.column}”列", []).append(m.char)
    return [f"{who}:{'、'.join(f'{c}(U+{ord(c):04X})' for c in dict.fromkeys(chars))}" for who, chars in people.items()]


def safe_filename(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("_") or "公示"


def store_attachment(data_dir: Path, data: bytes, suffix: str = ".pdf") -> tuple[str, str]:
    """Keep ``data`` under attachments/ by its SHA-256; returns (sha256, path relative to data_dir)."""
    sha = hashlib.sha256(data).hexdigest()
    rel = Path("attachments") / sha[:2] / f"{sha}{suffix}"
    target = data_dir / rel
    if not target.exists():
        fileio.write_bytes(target, data)
    return sha, rel.as_posix()


@dataclass
class _Sheet:
    notice: Notice
    village_id: str | None
    group_id: str | None
    kind: str
    source_ref: str


# A sheet printed again for posting is the same posting while it is still current;
# once archived or replaced by a correction a new print is a new posting.
CLOSED_STATUSES = ("archived", "superseded", "withdrawn")


def _existing(session: Session, township_id: str, sheet: _Sheet) -> Posting | None:
    """The current posting of this very sheet (same source, village, group, kind and title)."""
    from sqlalchemy import select

    q = (select(Posting).where(Posting.township_id == township_id, Posting.kind == sheet.kind,
                               Posting.source_ref == sheet.source_ref, Posting.title == sheet.notice.title,
                               Posting.group_name == sheet.notice.group, Posting.deleted_at.is_(None),
                               Posting.status.not_in(CLOSED_STATUSES))
         .order_by(Posting.printed_at.desc()))
    q = q.where(Posting.village_id.is_(None) if sheet.village_id is None else Posting.village_id == sheet.village_id)
    return session.scalars(q.limit(1)).first()


def _record(session: Session, data_dir: Path, sheets: list[_Sheet], pdf: bytes, result: RenderResult,
            period: PostingPeriod, opts: NoticeOptions, operator: str) -> tuple[list[str], int]:
    """Record one posting per sheet, or update the sheet's current posting when it is printed
    again (the earlier PDF stays in its history). Returns the posting ids and how many were updated."""
    from gkdesk.models.posting_lifecycle import PostingEvent

    sha, rel = store_attachment(data_dir, pdf)
    t = township.current(session)
    ids = []
    updated = 0
    for sheet, pages in zip(sheets, result.notice_pages, strict=True):
        rows = sum(1 for r in sheet.notice.rows if r.kind == "data")
        p = _existing(session, t.id, sheet)
        if p is not None:
            old = p.pdf_sha256
            p.pdf_sha256, p.pdf_path, p.page_count, p.row_count = sha, rel, pages, rows
            p.paper, p.printed_by, p.printed_at = opts.layout.describe(), operator, utcnow()
            if p.status == STATUS_DRAFT:  # not on the board yet: the new period holds
                p.period_start, p.period_end = period.start, period.end
                p.period_days, p.period_unit = period.days, period.unit
            session.add(PostingEvent(posting=p, action="reprint", operator=operator or "未知", on=period.start,
                                     detail=f"重新打印:{pages} 页,{opts.layout.describe()};PDF {old[:12]} → {sha[:12]}"
                                            f"(原文件 {p.pdf_path if old == sha else 'attachments/' + old[:2] + '/' + old + '.pdf'})"))
            updated += 1
            action = "notice.reprint"
        else:
            p = Posting(township_id=t.id, village_id=sheet.village_id, group_id=sheet.group_id,
                        group_name=sheet.notice.group, kind=sheet.kind, title=sheet.notice.title,
                        source_ref=sheet.source_ref, period_start=period.start, period_end=period.end,
                        period_days=period.days, period_unit=period.unit, printed_by=operator,
                        paper=opts.layout.describe(), page_count=pages, row_count=rows, pdf_sha256=sha, pdf_path=rel)
            session.add(p)
            action = "notice.post"
        session.flush()
        ids.append(p.id)
        audit.record(session, operator, action, sheet.notice.title, posting=p.id, village=sheet.notice.village,
                     group=sheet.notice.group, period=f"{period.start}~{period.end}", pdf=sha)
    return ids, updated


def _emit(session: Session, data_dir: Path, sheets: list[_Sheet], out: Path, opts: NoticeOptions,
          period: PostingPeriod | None, operator: str, op: NoticeRun, title: str,
          cancelled: IsCancelled) -> None:
    """Render ``sheets`` into one PDF at ``out`` and (for posting) record them."""
    fs = font_mod.font_set_for_session(session)
    buf = io.BytesIO()
    t = township.current(session)
    if DEMO_DATA.get(session):
        for sh in sheets:
            sh.notice.demo = True
    res = render([s.notice for s in sheets], buf, opts.layout, fs, title=title, author=t.name, cancelled=cancelled)
    if res.missing and not opts.allow_missing_glyphs:
        raise GlyphsMissing(res.missing)
    pdf = buf.getvalue()
    fileio.write_bytes(out, pdf)  # whole or not at all: a half PDF must never be recorded as posted
    op.data.setdefault("files", []).append({"path": str(out), "pages": res.pages, "rows": res.rows,
                                            "sheets": len(sheets)})
    op.counts["files"] = op.counts.get("files", 0) + 1
    op.counts["pages"] = op.counts.get("pages", 0) + res.pages
    op.counts["rows"] = op.counts.get("rows", 0) + sum(1 for s in sheets for r in s.notice.rows if r.kind == "data")
    for w in res.warnings:
        if all(w != x.message for x in op.warnings):
            op.warnings.append(Problem(w))
    op.missing.extend(res.missing)
    for m in res.missing:
        op.warnings.append(Problem(m.describe(), file=out.name))
    if period is not None:
        ids, updated = _record(session, data_dir, sheets, pdf, res, period, opts, operator)
        op.data.setdefault("postings", []).extend(ids)
        op.counts["postings"] = op.counts.get("postings", 0) + len(ids)
        if updated:
            op.counts["postings_updated"] = op.counts.get("postings_updated", 0) + updated
        op.changes.add("postings")


def print_payout_notices(session: Session, data_dir: Path, batch_ref: str, out: str | Path,
                         opts: NoticeOptions, *, village: str | None = None, operator: str = "",
                         report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> NoticeRun:
    """惠民惠农补贴发放结果公示 for one village or every village of the batch.

    ``out`` ending in ``.pdf`` gives one file (every village/group from a new page);
    anything else is a folder with one PDF per village (per group with ``by_group``).
    """
    check_policy(opts.mask)
    pattern = ID_MASK_PATTERN.get(session)
    period = opts.period(session)
    batch = find_batch(session, batch_ref)
    out = Path(out)
    combined = out.suffix.lower() == ".pdf"
    op = NoticeRun(data={"batch": batch.id, "per": "户" if batch.household else "人"})
    sources = list(payout_sources(session, batch, village, opts.mask)) if combined else None
    villages = len(sources) if sources is not None else None

    def sheets_of(src) -> list[_Sheet]:  # type: ignore[no-untyped-def]
        return [_Sheet(n, src.village_id, src.group_ids.get(n.group), KIND_PAYOUT, src.source_ref)
                for n in build_payout_notices(src, by_group=opts.by_group, mask=opts.mask, pattern=pattern,
                                              period=period)]

    title = ""
    if combined:
        assert sources is not None
        sheets = [s for src in sources for s in sheets_of(src)]
        title = sheets[0].notice.title
        report(0.1, f"正在生成 {villages} 个村的公示")
        _emit(session, data_dir, sheets, out, opts, period, operator, op, title, cancelled)
    else:
        out.mkdir(parents=True, exist_ok=True)
        try:
            title = _print_folder(session, data_dir, batch, village, out, opts, period, operator, op, sheets_of,
                                  report, cancelled)
        except (GkError, Cancelled):
            # A refusal in a later village (a name that cannot be printed, a table too wide)
            # leaves no half set of files behind; the postings roll back with the transaction.
            for f in op.data.get("files", []):
                Path(f["path"]).unlink(missing_ok=True)
            raise
    report(1.0, "公示已生成")
    op.data["title"] = title
    return op


def _print_folder(session: Session, data_dir: Path, batch, village: str | None, out: Path,  # type: ignore[no-untyped-def]
                  opts: NoticeOptions, period: PostingPeriod | None, operator: str, op: NoticeRun, sheets_of,
                  report: Report, cancelled: IsCancelled) -> str:
    """One PDF per village (per group with ``by_group``) into the folder ``out``."""
    title = ""
    total = max(1, batch.village_count or 1)
    for k, src in enumerate(payout_sources(session, batch, village, opts.mask)):
        report(k / total, f"正在生成 {src.village} 的公示")
        sheets = sheets_of(src)
        title = sheets[0].notice.title
        if opts.by_group:
            for sh in sheets:
                name = safe_filename(f"{src.village}-{sh.notice.group or '未分组'}-{title}") + ".pdf"
                _emit(session, data_dir, [sh], out / name, opts, period, operator, op, title, cancelled)
        else:
            name = safe_filename(f"{src.village}-{title}") + ".pdf"
            _emit(session, data_dir, sheets, out / name, opts, period, operator, op, title, cancelled)
        src.lines.clear()
    return title


def print_year_end_notice(session: Session, data_dir: Path, village: str, year: int, out: str | Path,
                          opts: NoticeOptions, *, operator: str = "",
                          cancelled: IsCancelled = never_cancelled) -> NoticeRun:
    period = opts.period(session)
    src = year_end_source(session, village, year)
    notice = build_year_end_notice(src, period)
    op = NoticeRun(data={"title": notice.title})
    sheet = _Sheet(notice, src.village_id, None, KIND_YEAR_END, f"year_end:{year}")
    _emit(session, data_dir, [sheet], Path(out), opts, period, operator, op, notice.title, cancelled)
    return op


def print_table_notice(session: Session, data_dir: Path, path: str | Path, title: str, out: str | Path,
                       opts: NoticeOptions, *, village: str | None = None, sheet: str | None = None,
                       operator: str = "", cancelled: IsCancelled = never_cancelled) -> NoticeRun:
    if not title.strip():
        raise InputRejected("公示标题不能为空", hint=Hint.NOTICE_TITLE)
    period = opts.period(session)
    path = Path(path)
    rows, sheet_name = load_table_rows(path, sheet)
    t = township.current(session)
    v = township.find_village(session, village) if village else None
    notice, problems = build_table_notice(rows, title.strip(), township=t.name, village=v.name if v else "",
                                          source=path.name, sheet=sheet_name, mask=opts.mask,
                                          pattern=ID_MASK_PATTERN.get(session), period=period,
                                          phones=supervision_phones(session, t))
    op = NoticeRun(warnings=problems, data={"title": notice.title})
    sh = _Sheet(notice, v.id if v else None, None, KIND_TABLE, f"file:{path.name}")
    _emit(session, data_dir, [sh], Path(out), opts, period, operator, op, notice.title, cancelled)
    return op


def render_to_bytes(session: Session, notices: Iterable[Notice], opts: NoticeOptions) -> tuple[bytes, RenderResult]:
    """For previews: the PDF bytes, nothing written or recorded."""
    buf = io.BytesIO()
    notices = list(notices)
    if DEMO_DATA.get(session):
        for n in notices:
            n.demo = True
    res = render(notices, buf, opts.layout, font_mod.font_set_for_session(session))
    return buf.getvalue(), res


# --- for the window ------------------------------------------------------------------------

def batch_choices(session: Session) -> list[tuple[str, str]]:
    """(batch id, label) of every live batch of this township, newest first."""
    from sqlalchemy import select

    from gkdesk.models import PayoutBatch, Program

    t = township.current(session)
    rows = session.execute(select(PayoutBatch, Program.name).join(Program, PayoutBatch.program_id == Program.id)
                           .where(PayoutBatch.township_id == t.id, PayoutBatch.deleted_at.is_(None))
                           .order_by(PayoutBatch.year.desc(), PayoutBatch.imported_at.desc()))
    return [(b.id, f"{b.year}年 {name} {b.period} ({b.row_count}{'户' if b.household else '人'},{b.village_count}个村)".replace("  ", " "))
            for b, name in rows]


def batch_village_names(session: Session, batch_id: str) -> list[str]:
    from gkdesk.notices.sources import batch_villages

    return [v.name for v in batch_villages(session, find_batch(session, batch_id))]


def preview_payout_pdf(session: Session, batch_id: str, opts: NoticeOptions, village: str | None = None,
                       cancelled: IsCancelled = never_cancelled) -> tuple[bytes, NoticeRun]:
    """The exact pages :func:`print_payout_notices` would print, as bytes; nothing saved or recorded."""
    check_policy(opts.mask)
    period = opts.period(session)
    batch = find_batch(session, batch_id)
    pattern = ID_MASK_PATTERN.get(session)
    notices = [n for src in payout_sources(session, batch, village, opts.mask)
               for n in build_payout_notices(src, by_group=opts.by_group, mask=opts.mask, pattern=pattern,
                                             period=period)]
    buf = io.BytesIO()
    fs = font_mod.font_set_for_session(session)
    if DEMO_DATA.get(session):
        for n in notices:
            n.demo = True
    res = render(notices, buf, opts.layout, fs, title=notices[0].title, cancelled=cancelled)
    op = NoticeRun(counts={"pages": res.pages, "rows": sum(1 for n in notices for r in n.rows if r.kind == "data")},
                   warnings=[Problem(w) for w in res.warnings] + [Problem(m.describe()) for m in res.missing],
                   data={"title": notices[0].title, "per": "户" if batch.household else "人"},
                   missing=list(res.missing))
    return buf.getvalue(), op
