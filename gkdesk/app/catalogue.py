"""The standard catalogue (基层政务公开标准目录) as clerk actions, shared by the CLI and the window.

Each action opens its own unit of work on the :class:`Workspace`, passes the workspace's
operator to the core (which writes the audit entry) and returns a typed result whose
``summary()`` is the one sentence both faces print. Only the county-directory import is
destructive enough to need a backup first: it may tombstone items and rewrite many rows.
The read-only queries at the end give the faces what they list (items, domains,
publications, the due dashboard, the page's per-item status) so neither face opens a
session or derives a status itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.catalogue import core, due, importer, search, selfcheck
from gkdesk.catalogue import duty as duty_mod
from gkdesk.result import IsCancelled, Report, never_cancelled, no_report

IMPORT_BACKUP = "before-catalogue-import"
NOT_APPLICABLE = "na"  # the page's status of an item that is 未涉及 (no deadline is computed)
COUNTY_DUTY = "county"  # the page's status of an item a county department publishes (not counted)
DOMAIN_SETS = {"26": "26个试点领域(省级扩展领域标记为未涉及)", "30": "含省级扩展的30个领域"}

# worst first: the status an item shows is the worst of its occurrences
PRIORITY = [due.OVERDUE, due.CALENDAR_MISSING, due.DUE_SOON, due.NEVER, due.PENDING, due.LATE, due.DONE,
            due.NO_DEADLINE]


# --- results ----------------------------------------------------------------------------

@dataclass
class DirectoryImported(Outcome):
    """What a county directory import did, per domain and per item."""

    file: str
    status: str  # "imported" or "unchanged"
    domains: dict[str, int]  # domain name → items in the file
    added: list[dict[str, Any]]
    changed: list[dict[str, Any]]  # each with "fields": the 中文 names of what changed
    removed: list[dict[str, Any]]
    skipped_sheets: list[str] = field(default_factory=list)
    part: bool = False  # imported as a part of the directory: nothing was removed
    reasons: list[str] = field(default_factory=list)  # why the file was taken as a part
    renamed: list[dict[str, Any]] = field(default_factory=list)  # accepted renames ("old", "new", ...)
    proposals: list[dict[str, Any]] = field(default_factory=list)  # renames proposed but not accepted

    def summary(self) -> str:
        doms = ",".join(f"{k} {v}项" for k, v in self.domains.items())
        mode = "按目录的一部分导入(只新增和更新,不删除)" if self.part else "按整个目录导入"
        text = (f"导入“{self.file}”({mode}):{doms};"
                f"新增 {len(self.added)},变更 {len(self.changed)},改名 {len(self.renamed)},删除 {len(self.removed)}")
        return text + (",与已有目录相同,未改动" if self.status == "unchanged" else "")

    def detail_lines(self, limit: int | None = None) -> list[str]:
        """One line per renamed, changed or removed item and per rename left to the clerk."""
        lines = [f"判断为目录的一部分:{r}" for r in self.reasons] if self.part else []
        lines += [f"改名:{r['domain']} {r['old']} → {r['new']}(保留{r['publications']}条发布记录)"
                  for r in self.renamed]
        lines += [f"可能改名(未采用):{p['domain']} {p['old']} → {p['new']}({p['why']})" for p in self.proposals]
        lines += [f"变更:{c['domain']} {c['label']}({'、'.join(c['fields'])})" for c in self.changed]
        lines += [f"删除:{c['domain']} {c['label']}" for c in self.removed]
        if limit is not None and len(lines) > limit:
            lines = [*lines[:limit], f"……另有 {len(lines) - limit} 项"]
        return lines


@dataclass
class DomainSetChosen(Outcome):
    which: str  # "26" or "30"
    changed: int  # domains whose 适用/未涉及 state changed

    def summary(self) -> str:
        return f"已选用{DOMAIN_SETS[self.which]},{self.changed}个领域的状态有变化"


@dataclass
class ApplicabilityChanged(Outcome):
    target: str  # "领域" or "领域 一级事项 / 二级事项"
    applicable: bool
    reason: str

    def summary(self) -> str:
        return f"{self.target}:" + ("已恢复为适用" if self.applicable else f"已标记未涉及({self.reason})")


@dataclass
class Seeded(Outcome):
    status: str  # "ok" or "unchanged" (the township already had a catalogue)
    domains: int = 0
    items: int = 0

    def summary(self) -> str:
        if self.status != "ok":
            return "标准目录已存在,未改动"
        return f"已装入内置标准目录:{self.domains}个领域,{self.items}个模板事项"


@dataclass
class PendingSet(Outcome):
    item: dict[str, Any]  # the item as :func:`gkdesk.catalogue.core.item_dict` gives it

    def summary(self) -> str:
        it = self.item
        where = " ".join(x for x in (it["domain"], it["level1"], it["level2"]) if x)
        return f"{where}:" + (f"信息形成于 {it['pending_since']},待公开" if it["pending_since"] else "已清除待公开标记")


@dataclass
class PublicationAdded(Outcome):
    publication: dict[str, Any]  # :func:`gkdesk.catalogue.core.publication_dict`

    def summary(self) -> str:
        p = self.publication
        return "已登记公开:" + " ".join(x for x in (p["published_on"], p["channel"], p["title"]) if x)


@dataclass
class SelfCheckExported(Outcome):
    file: Path
    check: selfcheck.SelfCheck

    def summary(self) -> str:
        return f"已导出“回头看”自查表:{self.file}\n{self.check.summary}"


# --- actions ----------------------------------------------------------------------------

@dataclass
class DirectoryPreview:
    """What importing a file would do, shown before the clerk decides (nothing is written)."""

    file: str
    domains: dict[str, int]
    new_domains: list[str]
    assumed_part: bool
    reasons: list[str]  # why a part is assumed
    notes: list[str]  # weaker signs, shown only
    proposals: list[dict[str, Any]]  # renames judged as if the file were whole
    whole_counts: dict[str, int]
    part_counts: dict[str, int]
    warnings: list[Any] = field(default_factory=list)

    @property
    def mode_text(self) -> str:
        if self.assumed_part:
            return "按目录的一部分导入(只新增和更新,不删除),因为:" + ";".join(self.reasons)
        return "按整个目录导入(文件中没有的事项将停用)" + (":" + ";".join(self.notes) if self.notes else "")


def preview_directory(ws: Workspace, path: str | Path, *, domain: str | None = None) -> DirectoryPreview:
    """Read a directory file and judge it (whole or part, renames) without changing anything."""
    with ws.session() as s:
        core.ensure_seeded(s, ws.operator)
        pl = importer.plan(s, path, domain)
        return DirectoryPreview(pl.file, {d: len(p) for d, p in pl.by_domain.items()}, pl.new_domains,
                                pl.assumed_part, pl.reasons, pl.notes, [p.to_dict() for p in pl.proposals],
                                pl.whole_counts, pl.part_counts, pl.warnings)


def import_directory(ws: Workspace, path: str | Path, *, domain: str | None = None, part: bool | None = None,
                     accept_renames: bool = False, renames: list[Any] | None = None,
                     report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> DirectoryImported:
    """Import (or re-import) the county's directory workbook, after a backup.

    A file that does not say which 领域 it belongs to is refused with ``Hint.CHOOSE_DOMAIN``;
    the clerk then names the domain (``domain``) and the whole file is read as that domain.
    ``part`` None takes the judged mode; renames apply only when accepted (``accept_renames`` for
    every proposal, ``renames`` for chosen pairs "原事项=新事项" or (old id, new identity)).
    """
    path = Path(path)
    operator = ws.operator
    with ws.change(backup=IMPORT_BACKUP) as s:
        res = importer.import_directory(s, path, domain=domain, operator=operator, report=report,
                                        cancelled=cancelled, part=part, accept_renames=accept_renames,
                                        renames=renames)
    d = res.data
    return DirectoryImported(path.name, res.status, d["domains"], d["added"], d["changed"], d["removed"],
                             d["skipped_sheets"], d["part"], d["reasons"], d["renamed"], d["proposals"],
                             warnings=res.warnings, changes=frozenset({"catalogue"}))


@dataclass
class DutySet(Outcome):
    item: str
    duty: str  # township | village | county
    derived: bool  # the clerk's correction was cleared: the directory's columns decide

    def summary(self) -> str:
        how = "(按目录的公开层级和公开主体判断)" if self.derived else ""
        return f"{self.item}:{duty_mod.DUTY_LABELS[self.duty]}{how}"


@dataclass
class AliasesAdded(Outcome):
    added: list[str]  # "别名 → 领域"
    skipped: list[str]  # aliases that already name another domain

    def summary(self) -> str:
        text = ("已添加领域别名:" + "、".join(self.added)) if self.added else "没有新的领域别名"
        return text + ("(未添加:" + "、".join(self.skipped) + ")" if self.skipped else "")


def add_aliases(ws: Workspace, pairs: dict[str, str]) -> AliasesAdded:
    """More names for the township's domains ({alias: domain}); files titled so import into it."""
    with ws.session() as s:
        res = core.add_aliases(s, pairs, ws.operator)
    return AliasesAdded(res.data["added"], res.data["skipped"], changes=frozenset({"catalogue"}))


def set_duty(ws: Workspace, item_ref: str, value: str) -> DutySet:
    """Correct whose duty an item is (本乡镇 / 村 / 县级), or "" to go back to the directory's columns."""
    with ws.session() as s:
        res = core.set_duty(s, item_ref, value, ws.operator)
    return DutySet(res.data["item"], res.data["duty"], res.data["derived"], changes=frozenset({"catalogue"}))


def choose_domain_set(ws: Workspace, which: str) -> DomainSetChosen:
    """Work with the 26 pilot domains (provincial extensions 未涉及) or with all 30."""
    operator = ws.operator
    with ws.session() as s:
        res = core.use_domain_set(s, which, operator)
    return DomainSetChosen(which, res.counts["changed"], changes=frozenset({"catalogue"}))


def mark_not_applicable(ws: Workspace, domain: str, reason: str, *, item: str | None = None) -> ApplicabilityChanged:
    """Mark a domain (or one of its items) 未涉及, with the township's explanation."""
    return _applicability(ws, domain, reason, item, undo=False)


def mark_applicable(ws: Workspace, domain: str, *, item: str | None = None) -> ApplicabilityChanged:
    """Undo a 未涉及 mark on a domain (or one of its items)."""
    return _applicability(ws, domain, "", item, undo=True)


def make_item_applicable(ws: Workspace, item_ref: str) -> ApplicabilityChanged:
    """Make an item that shows 未涉及 applicable again: its own mark when it has one, else its
    domain's (the whole domain was marked 未涉及)."""
    with ws.session() as s:
        it = core.find_item(s, item_ref)
        domain, own = it.domain.name, not it.applicable
        ref = it.id
    return mark_applicable(ws, domain, item=ref if own else None)


def _applicability(ws: Workspace, domain: str, reason: str, item: str | None, undo: bool) -> ApplicabilityChanged:
    operator = ws.operator
    with ws.session() as s:
        res = core.mark_not_applicable(s, domain, reason, item=item, undo=undo, operator=operator)
    d = res.data
    return ApplicabilityChanged(d["target"], d["applicable"], d["reason"], changes=frozenset({"catalogue"}))


def seed(ws: Workspace) -> Seeded:
    """Load the built-in domains and template items (nothing happens when a catalogue exists)."""
    operator = ws.operator
    with ws.session() as s:
        res = core.ensure_seeded(s, operator)
    if res.status != "ok":
        return Seeded(res.status)
    return Seeded(res.status, res.counts["domains"], res.counts["items"], changes=frozenset({"catalogue"}))


@dataclass
class BuiltinUpdated(Outcome):
    status: str  # "imported" or "unchanged"
    counts: dict[str, int]
    renamed: list[dict[str, Any]]
    kept: list[str]  # domains left alone: they hold the county's directory

    def summary(self) -> str:
        if self.status == "unchanged":
            text = "内置标准目录模板已是最新"
        else:
            c = self.counts
            text = (f"已更新内置标准目录模板:新增 {c['added']},改名 {c['renamed']},停用 {c['removed']}"
                    + "".join(f"\n改名:{r['domain']} {r['old']} → {r['new']}(保留{r['publications']}条发布记录)"
                              for r in self.renamed))
        return text + (f"\n已导入县级目录、未改动的领域:{'、'.join(self.kept)}" if self.kept else "")


def update_builtin(ws: Workspace) -> BuiltinUpdated:
    """Bring the township's template rows up to this version's built-in data (after a backup);
    domains holding the county's imported directory are left as they are."""
    from gkdesk.catalogue import builtin_update

    with ws.change(backup=IMPORT_BACKUP) as s:
        res = builtin_update.update(s, ws.operator)
    return BuiltinUpdated(res.status, res.counts, res.data["renamed"], res.data["kept"],
                          changes=frozenset({"catalogue"}))


def set_pending(ws: Workspace, item_ref: str, since: date | None) -> PendingSet:
    """Note that an item's information was formed on ``since`` and awaits publication (None clears it)."""
    operator = ws.operator
    with ws.session() as s:
        res = core.set_pending(s, item_ref, since, operator)
    return PendingSet(res.data["item"], changes=frozenset({"catalogue"}))


def add_publication(ws: Workspace, item_ref: str, published_on: date, *, channel: str = "", title: str = "",
                    formed_on: date | None = None, doc_number: str = "", link: str = "",
                    attachment: str | Path | None = None, note: str = "") -> PublicationAdded:
    """Record a publication; an attachment (photo, PDF) is copied into the data directory so
    the record survives the original file being moved and travels in sync packages."""
    operator = ws.operator
    with ws.session() as s:
        res = core.add_publication(s, item_ref, published_on, channel=channel, title=title, formed_on=formed_on,
                                   doc_number=doc_number, link=link, attachment=attachment,
                                   data_dir=ws.data_dir, note=note, operator=operator)
    return PublicationAdded(res.data["publication"], changes=frozenset({"catalogue", "publications"}))


def export_selfcheck(ws: Workspace, path: str | Path, *, today: date | None = None) -> SelfCheckExported:
    """Write the 回头看 self-check (.xlsx or .pdf by the file's suffix)."""
    with ws.session() as s:
        sc = selfcheck.export(s, path, today=today)
    return SelfCheckExported(Path(path), sc)


# --- queries ----------------------------------------------------------------------------

def items(ws: Workspace, domain: str | None = None, text: str | None = None) -> list[dict[str, Any]]:
    """The items (of one domain, matching ``text`` when given), in directory order."""
    with ws.session() as s:
        rows = core.items(s, domain)
        if text:
            dom = core.find_domain(s, domain).id if domain else None
            keep = set(search.search_ids(s, text, domain_id=dom, limit=100000))
            rows = [r for r in rows if r.id in keep]
        return [core.item_dict(r) for r in rows]


def search_ids(ws: Workspace, text: str) -> set[str]:
    """Ids of the items whose names, content or basis match ``text``."""
    with ws.session() as s:
        return set(search.search_ids(s, text, limit=100000))


def domains(ws: Workspace) -> list[dict[str, Any]]:
    with ws.session() as s:
        return [core.domain_dict(d) for d in core.domains(s)]


def not_applicable(ws: Workspace) -> list[dict[str, Any]]:
    """Every domain and item marked 未涉及, with the township's reason (item None = whole domain)."""
    with ws.session() as s:
        rows: list[dict[str, Any]] = [{"domain": d.name, "item": None, "reason": d.not_applicable_reason}
                                      for d in core.domains(s) if not d.applicable]
        rows += [{"domain": i.domain.name, "item": i.label, "reason": i.not_applicable_reason}
                 for i in core.items(s) if not i.applicable]
    return rows


def publications(ws: Workspace, item: str | None = None) -> list[dict[str, Any]]:
    """Publication records (of one item), oldest first."""
    with ws.session() as s:
        its = [core.find_item(s, item)] if item else core.items(s)
        rows = [{**core.publication_dict(p), "domain": i.domain.name, "item": i.label}
                for i in its for p in core.publications(i)]
    rows.sort(key=lambda r: r["published_on"])
    return rows


def dashboard(ws: Workspace, today: date | None = None) -> due.Dashboard:
    """Overdue, due within 10 working days, never published, completion per domain."""
    with ws.session() as s:
        return due.dashboard(s, today=today)


@dataclass
class ItemView:
    """One item as the catalogue page lists it: its worst status and next deadline."""

    item: dict[str, Any]
    domain_id: str
    status: str  # a due status, or NOT_APPLICABLE
    next_due: str  # ISO date, or the note of a missing holiday calendar
    last: str  # the latest publication date
    occurrences: list[due.Occurrence]
    publications: list[dict[str, Any]]

    @property
    def status_text(self) -> str:
        if self.status == COUNTY_DUTY:
            return duty_mod.DUTY_LABELS[duty_mod.COUNTY]
        return "未涉及" if self.status == NOT_APPLICABLE else due.STATUS_LABELS[self.status]


@dataclass
class Overview:
    domains: list[dict[str, Any]]
    rows: list[ItemView]


def summarise(occ: list[due.Occurrence]) -> tuple[str, str]:
    """(worst status, next due text) of an item's occurrences."""
    if not occ:
        return due.NO_DEADLINE, ""
    worst = min((o.status for o in occ), key=PRIORITY.index)
    opens = sorted(o.due for o in occ if o.due and o.status in (due.OVERDUE, due.DUE_SOON, due.PENDING))
    missing = next((o.note for o in occ if o.status == due.CALENDAR_MISSING), "")
    return worst, opens[0].isoformat() if opens else missing


def overview(ws: Workspace, today: date | None = None) -> Overview:
    """Every domain and every item with its status, deadlines and publications."""
    with ws.session() as s:
        board = due.dashboard(s, today=today)
        doms = [core.domain_dict(d) for d in core.domains(s)]
        rows = []
        for it in core.items(s):
            d = core.item_dict(it)
            occ = board.by_item.get(it.id, [])
            pubs = [core.publication_dict(p) for p in core.publications(it)]
            if not d["applicable"]:
                status, nxt = NOT_APPLICABLE, ""
            elif d["duty"] == duty_mod.COUNTY:
                status, nxt = COUNTY_DUTY, ""
            else:
                status, nxt = summarise(occ)
            rows.append(ItemView(d, it.domain_id, status, nxt, pubs[-1]["published_on"] if pubs else "", occ, pubs))
    return Overview(doms, rows)
