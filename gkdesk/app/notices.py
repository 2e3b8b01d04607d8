"""Printing 公示单 as clerk actions: payout notices, the year-end summary, a table notice, preview.

A notice printed with a posting period is printed *for posting*: the PDF is kept in the
data directory and a posting is recorded per sheet (the core, ``gkdesk.notices.service``,
does both in the same transaction as the print, so a failed write records nothing).
These functions bring the operator and the data directory from the :class:`Workspace`,
and their results carry the sentence both faces show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gkdesk import audit
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.errors import UnreadableInput
from gkdesk.models.posting import KIND_PAYOUT, KIND_TABLE, KIND_YEAR_END
from gkdesk.notices import service
from gkdesk.notices.render import NoticeTooWide
from gkdesk.notices.service import GlyphsMissing, NoticeOptions, NoticeRun

__all__ = ["GlyphsMissing", "NoticeOptions", "NoticeTooWide"]
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report

audit.ACTION_LABELS.setdefault("notice.post", "打印公示(张贴用)")
audit.ACTION_LABELS.setdefault("notice.reprint", "重新打印公示(更新原公示记录)")

ALL_VILLAGES_LABEL = "全部村"


@dataclass
class PrintedFile:
    path: Path
    pages: int
    rows: int
    sheets: int


@dataclass
class NoticesPrinted(Outcome):
    """What a print run wrote: the PDF files, their pages, the people listed, the postings recorded."""

    kind: str
    title: str
    files: list[PrintedFile]
    pages: int
    rows: int  # people on a payout or year-end notice, table lines on a table notice
    postings: list[str] = field(default_factory=list)
    missing_glyphs: int = 0  # characters no font has, left as a blank square
    postings_updated: int = 0  # sheets printed before: their posting was updated, not duplicated
    core: NoticeRun | None = field(default=None, repr=False, compare=False)  # for the --json payload

    @property
    def persons(self) -> int:
        return self.rows if self.kind != KIND_TABLE else 0

    def _count(self) -> str:
        if self.kind == KIND_TABLE:
            return f"{self.rows} 行"
        per = self.core.data.get("per", "人") if self.core is not None else "人"
        return f"{self.rows} {per}"  # households on a household list's notice

    def summary(self) -> str:
        text = f"已生成《{self.title}》:{len(self.files)} 个文件,共 {self.pages} 页,{self._count()}"
        if self.postings:
            new = len(self.postings) - self.postings_updated
            if new:
                text += f";已记录 {new} 条公示(张贴)记录"
            if self.postings_updated:
                text += f";{self.postings_updated} 张此前已打印过,已更新原公示记录(旧文件保留在历史中)"
        if self.missing_glyphs:
            text += f";有 {self.missing_glyphs} 个字没有字形,已留出空白方框,请手写补上"
        return text

    def file_lines(self, limit: int = 50) -> list[str]:
        return [f"  {f.path}({f.pages} 页)" for f in self.files[:limit]]

    def payload(self) -> dict[str, Any]:
        """What ``notice … --json`` prints (the core's result, unchanged)."""
        return self.core.to_dict() if self.core is not None else {}


@dataclass
class NoticePreview(Outcome):
    """The exact pages a print would produce, as PDF bytes; nothing written or recorded."""

    pdf: bytes = field(repr=False)
    title: str
    pages: int
    rows: int
    missing_glyphs: int = 0
    missing: list[str] = field(default_factory=list)  # per person: who and the characters no font has
    per: str = "人"  # 户 on a household list

    def summary(self) -> str:
        text = f"《{self.title}》共 {self.pages} 页,{self.rows} {self.per}。"
        if self.missing_glyphs:
            text += f"有 {len(self.missing)} 处姓名中的字没有字形,打印时可留出空白方框手写。"
        return text


def _printed(kind: str, run: NoticeRun) -> NoticesPrinted:
    files = [PrintedFile(Path(f["path"]), f["pages"], f["rows"], f["sheets"]) for f in run.data.get("files", [])]
    return NoticesPrinted(kind, run.data.get("title", ""), files, run.counts.get("pages", 0), run.counts.get("rows", 0),
                          list(run.data.get("postings", [])), len(run.missing), run.counts.get("postings_updated", 0), run,
                          changes=frozenset(run.changes), warnings=list(run.warnings))


def parse_start(text: str | date | None) -> date | None:
    """The posting start date as typed (YYYY-MM-DD); an unreadable one is refused, not guessed."""
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise UnreadableInput(f"公示开始日期“{text}”格式不对,应为 YYYY-MM-DD") from exc


def print_payouts(ws: Workspace, batch: str, out: str | Path, opts: NoticeOptions, *, village: str | None = None,
                  report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> NoticesPrinted:
    """惠民惠农补贴发放结果公示 for one village or every village of the batch.

    ``out`` ending in ``.pdf`` gives one file; anything else is a folder with one PDF per
    village (per group with ``opts.by_group``). With ``opts.start`` it is printed for posting.
    """
    operator = ws.operator
    with ws.session() as s:
        run = service.print_payout_notices(s, ws.data_dir, batch, out, opts, village=village, operator=operator,
                                           report=report, cancelled=cancelled)
    return _printed(KIND_PAYOUT, run)


def print_year_end(ws: Workspace, village: str, year: int, out: str | Path, opts: NoticeOptions, *,
                   cancelled: IsCancelled = never_cancelled) -> NoticesPrinted:
    """年度补贴汇总公示: one line per person of the village, one column per program."""
    operator = ws.operator
    with ws.session() as s:
        run = service.print_year_end_notice(s, ws.data_dir, village, year, out, opts, operator=operator,
                                            cancelled=cancelled)
    return _printed(KIND_YEAR_END, run)


def print_table(ws: Workspace, path: str | Path, title: str, out: str | Path, opts: NoticeOptions, *,
                village: str | None = None, sheet: str | None = None,
                cancelled: IsCancelled = never_cancelled) -> NoticesPrinted:
    """A notice from any spreadsheet or text file; personal columns are left out and reported."""
    operator = ws.operator
    with ws.session() as s:
        run = service.print_table_notice(s, ws.data_dir, path, title, out, opts, village=village, sheet=sheet,
                                         operator=operator, cancelled=cancelled)
    return _printed(KIND_TABLE, run)


def preview_payouts(ws: Workspace, batch: str, opts: NoticeOptions, village: str | None = None, *,
                    cancelled: IsCancelled = never_cancelled) -> NoticePreview:
    """The pages :func:`print_payouts` would print (into one file), for the window's preview."""
    with ws.session() as s:
        pdf, run = service.preview_payout_pdf(s, batch, opts, village, cancelled=cancelled)
    return NoticePreview(pdf, run.data.get("title", ""), run.counts.get("pages", 0), run.counts.get("rows", 0),
                         len(run.missing), service.describe_missing(run.missing), per=run.data.get("per", "人"),
                         warnings=list(run.warnings))


# --- what the window offers to choose from ---------------------------------------------------

def batch_choices(ws: Workspace) -> list[tuple[str, str]]:
    """(batch id, label) of every live payout batch, newest first."""
    with ws.session() as s:
        return service.batch_choices(s)


def batch_villages(ws: Workspace, batch: str) -> list[str]:
    with ws.session() as s:
        return service.batch_village_names(s, batch)


def default_pdf_path(ws: Workspace, village: str | None, batch_label: str, today: date | None = None) -> Path:
    """Where a printed notice's PDF is kept when the clerk prints without choosing a file."""
    stamp = (today or date.today()).strftime("%Y%m%d")
    name = service.safe_filename(f"{stamp}-{village or ALL_VILLAGES_LABEL}-{batch_label}.pdf")
    return ws.data_dir / "notices" / name
