"""Importing the county's standard directories from Excel (official layout and variants).

A workbook holds one sheet per domain, or one sheet with a 领域 column, or section
rows ("二、社会救助领域") between blocks. The domain of a block comes from, in order:
the domain the clerk chose, the 领域 column, a section row, the title above the header, the sheet
name. Re-importing a revised directory updates items by identity (domain + names),
reports added / changed / removed, and never detaches recorded publications:
changed items keep their row, removed items become tombstones, and an item that
comes back is revived with its history.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.catalogue import core, layout, matching, timerule
from gkdesk.errors import Cancelled, InputRejected, NotFound, UnreadableInput
from gkdesk.hints import Hint
from gkdesk.models.catalogue import ORIGIN_IMPORTED, ORIGIN_OWN, CatalogueItem, Domain
from gkdesk.result import IsCancelled, OpResult, Problem, Report, never_cancelled, no_report
from gkdesk.sheets import normalise_header, read_workbook

COMPARED = ("seq", "level1", "level2", "level3", "content", "basis", "time_limit", "publisher",
            "channels", "audience", "mode", "levels", "extra")
FIELD_LABELS = {"seq": "序号", "level1": "一级事项", "level2": "二级事项", "level3": "三级事项",
                "content": "公开内容", "basis": "公开依据", "time_limit": "公开时限", "publisher": "公开主体",
                "channels": "公开渠道和载体", "audience": "公开对象", "mode": "公开方式", "levels": "公开层级",
                "extra": "其他列"}
GROUP_LABELS = {"audience": "公开对象", "mode": "公开方式", "levels": "公开层级"}


@dataclass
class ParsedItem:
    domain: str
    sheet: str
    row: int  # Excel row number
    values: dict[str, Any] = field(default_factory=dict)
    identity: str = ""
    continued: bool = False  # the sheet's title says 续表


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").strip()


def _unvertical(s: str) -> str:
    """Vertical text as merged cells carry it ("临\n时\n救\n助") → "临时救助"."""
    lines = s.split("\n")
    if len(lines) > 1 and all(len(x.strip()) <= 1 for x in lines):
        return "".join(x.strip() for x in lines)
    return s


def _domain_names(session: Session) -> list[tuple[str, str]]:
    """(text to look for, domain name), longest first, from the township's domains and aliases."""
    pairs = []
    for d in core.domains(session):
        pairs.append((d.name, d.name))
        pairs.extend((a, d.name) for a in d.aliases)
    return sorted(pairs, key=lambda p: -len(p[0]))


def _domain_in(text: str, names: list[tuple[str, str]]) -> str | None:
    t = normalise_header(text)
    for needle, name in names:
        if needle and needle in t:
            return name
    m = re.search(r"([\u4e00-\u9fff]{2,12})领域", t)
    if m:
        return re.sub(r"^[一二三四五六七八九十]+、", "", m.group(1)).removesuffix("基层政务公开")
    return None


def read_directory(path: Path, names: list[tuple[str, str]], domain: str | None = None,
                   cancelled: IsCancelled = never_cancelled
                   ) -> tuple[list[ParsedItem], list[Problem], list[str]]:
    """Parse every directory sheet of ``path``; returns (items, warnings, sheets skipped)."""
    sheets = read_workbook(path)
    items: list[ParsedItem] = []
    warnings: list[Problem] = []
    skipped: list[str] = []
    unparsed: dict[str, tuple[str, str | None, list[int]]] = {}  # phrase -> (sheet, column, rows)
    known_channels = core.load_builtin()["channel_template"]
    for sheet in sheets:
        if cancelled():
            raise Cancelled()
        rows = layout._expand_merged_across(sheet.rows, sheet.merged)
        lay = layout.find_layout(rows)
        if lay is None:
            if any(_text(v) for r in rows for v in r):
                warnings.append(Problem("找不到标准目录表头(需要“公开事项/一级事项”和“公开时限/公开内容”列),已跳过此工作表",
                                        sheet.name, file=path.name))
            skipped.append(sheet.name)
            continue
        title_domain = None
        continued = bool(matching.CONTINUED.search(sheet.name))
        for r in rows[: lay.header_row]:
            for value in r:
                title_domain = title_domain or (_domain_in(_text(value), names) if _text(value) else None)
                continued = continued or bool(matching.CONTINUED.search(_text(value)))
        current = domain or title_domain or _domain_in(sheet.name, names)
        cols = lay.columns
        last_level1 = ""
        seen: dict[tuple[str, str], int] = {}
        for idx in range(lay.header_row + 1, len(rows)):
            row = rows[idx]
            excel_row = idx + 1

            def cell(f: str, row: list[Any] = row, cols: dict[str, int] = cols) -> str:
                c = cols.get(f)
                return _text(row[c]) if c is not None and c < len(row) else ""

            values = [_text(v) for v in row]
            distinct = {v for v in values if v}
            if not distinct:
                continue
            if len(distinct) == 1:
                only = next(iter(distinct))
                found = _domain_in(only, names) if len(only) <= 40 else None
                if found and not layout.FOOTNOTE.match(only) and not domain:
                    current = found
                elif not layout.FOOTNOTE.match(only) and len(only) < 8:
                    warnings.append(Problem(f"本行只有“{only}”一项内容,不像公开事项,已跳过", sheet.name,
                                            excel_row, file=path.name))
                continue  # footnote or section row
            level1, level2, level3 = (_unvertical(cell(f)) for f in ("level1", "level2", "level3"))
            if not level1 and (level2 or level3):
                level1 = last_level1
            last_level1 = level1 or last_level1
            if not (level1 or level2 or level3):
                if layout.FOOTNOTE.match(values[0] if values else ""):
                    continue
                warnings.append(Problem("缺少公开事项名称(一级/二级事项均为空),已跳过", sheet.name, excel_row,
                                        lay.labels.get("level1"), path.name))
                continue
            dom = domain or cell("domain") or current
            if not dom:
                raise UnreadableInput(f"文件“{path.name}”工作表“{sheet.name}”第{excel_row}行:无法确定所属领域"
                                      "(标题、工作表名和“领域”列都没有写明)", hint=Hint.CHOOSE_DOMAIN)
            v: dict[str, Any] = {
                "seq": cell("seq"), "level1": level1, "level2": level2, "level3": level3,
                "content": cell("content"), "basis": cell("basis"), "time_limit": cell("time_limit"),
                "publisher": cell("publisher"),
                "channels": layout.parse_channels(cell("channels"), known_channels),
            }
            if layout.fused(cell("channels"), known_channels):
                warnings.append(Problem("公开渠道没有■/□标记,名称连在一起,已按标准渠道名称拆分为:"
                                        + "、".join(c["name"] for c in v["channels"]) + "(请核对是否必选)",
                                        sheet.name, excel_row, lay.labels.get("channels"), path.name))
            unticked = []
            for group, columns in lay.flags.items():
                ticked = []
                for c, label in columns.items():
                    raw = row[c] if c < len(row) else None
                    on, recognised = layout.is_ticked(raw)
                    if not recognised:
                        warnings.append(Problem(f"无法识别的勾选标记“{_text(raw)}”,按已勾选处理", sheet.name,
                                                excel_row, label, path.name))
                    if on:
                        ticked.append(label)
                text = cell(f"{group}_text")
                if text:
                    ticked.extend(t for t in re.split(r"[\s,,、;;/]+", text) if t)
                v[group] = ticked
                if (columns or cell(f"{group}_text") or f"{group}_text" in cols) and not ticked:
                    unticked.append(GROUP_LABELS[group])
            if unticked:
                warnings.append(Problem(f"{'、'.join(unticked)}一栏都没有勾选,请按县级目录补充", sheet.name, excel_row,
                                        "/".join(unticked), path.name))
            v["extra"] = {h: _text(row[c]) for c, h in lay.extra.items() if c < len(row) and _text(row[c])}
            rule = timerule.parse(v["time_limit"])
            if rule.get("warning"):
                unparsed.setdefault(v["time_limit"], (sheet.name, lay.labels.get("time_limit"), []))[2].append(
                    excel_row)
            v["rule"] = rule
            ident = core.identity_of(level1, level2, level3, v["content"])
            key = (dom, ident)
            if key in seen:
                warnings.append(Problem(f"与第{seen[key]}行的公开事项同名,按不同事项导入", sheet.name, excel_row,
                                        lay.labels.get("level2") or lay.labels.get("level1"), path.name))
                ident = f"{ident}#{excel_row}"
            else:
                seen[key] = excel_row
            items.append(ParsedItem(domain=dom, sheet=sheet.name, row=excel_row, values=v, identity=ident,
                                    continued=continued))
    for phrase, (sheet_name, column, rows_seen) in unparsed.items():
        where = "、".join(f"第{r}行" for r in rows_seen[:8]) + ("等" if len(rows_seen) > 8 else "")
        warnings.append(Problem(f"无法识别公开时限“{phrase}”({where}共{len(rows_seen)}处),按文字保存,不计算期限",
                                sheet_name, rows_seen[0], column, path.name))
    if not items:
        raise UnreadableInput(f"文件“{path.name}”中没有找到标准目录事项(需要“公开事项/一级事项”和“公开时限/公开内容”列)")
    return items, warnings, skipped


@dataclass
class Plan:
    """What importing a file would do, before anything is written (the window's preview)."""

    file: str
    parsed: list[ParsedItem]
    warnings: list[Problem]
    skipped: list[str]
    by_domain: dict[str, list[ParsedItem]]  # resolved domain name -> the file's items
    new_domains: list[str]  # names that would become the township's own domains
    reasons: list[str]  # why the file looks like a part (empty: it looks whole)
    notes: list[str]  # weaker signs of a part (fewer rows than stored), shown but not assumed
    proposals: list[matching.Proposal]  # renames, judged as if the file were whole
    whole_counts: dict[str, int]
    part_counts: dict[str, int]

    @property
    def assumed_part(self) -> bool:
        return bool(self.reasons)


def plan(session: Session, path: str | Path, domain: str | None = None,
         cancelled: IsCancelled = never_cancelled) -> Plan:
    """Read the file and judge it against the stored catalogue without changing anything."""
    path = Path(path)
    core.refresh_builtin_aliases(session)
    names = _domain_names(session)
    if domain:
        try:
            domain = core.find_domain(session, domain).name
        except NotFound:
            domain = core.key_text(domain).removesuffix("领域")
    parsed, warnings, skipped = read_directory(path, names, domain, cancelled)
    by_domain: dict[str, list[ParsedItem]] = {}
    new_domains: list[str] = []
    resolved_names: dict[str, str] = {}  # a file names its domain once per row: resolve each name once
    for p in parsed:
        if p.domain not in resolved_names:
            try:
                resolved_names[p.domain] = core.find_domain(session, p.domain).name
            except NotFound:
                resolved_names[p.domain] = core.key_text(p.domain).removesuffix("领域")
                if resolved_names[p.domain] not in new_domains:
                    new_domains.append(resolved_names[p.domain])
        by_domain.setdefault(resolved_names[p.domain], []).append(p)
    reasons: list[str] = []
    notes: list[str] = []
    proposals: list[matching.Proposal] = []
    whole = {"added": 0, "changed": 0, "removed": 0}
    part = {"added": 0, "changed": 0, "removed": 0}
    first_of_sheet: dict[str, ParsedItem] = {}
    for p in parsed:
        first_of_sheet.setdefault(p.sheet, p)
    for name, plist in by_domain.items():
        live = _live_items(session, name) if name not in new_domains else []
        idents = {p.identity for p in plist}
        stored = {i.identity for i in live}
        # numbering runs on across domains in one sheet: only a sheet's first row tells
        why, note = matching.part_reasons(name, [p.values["seq"] for p in plist if first_of_sheet[p.sheet] is p],
                                          all(p.continued for p in plist), idents, live)
        reasons += why
        notes += note
        gone = [i for i in live if i.identity not in idents and i.origin != ORIGIN_OWN]
        fresh = [(p.identity, p.values) for p in plist if p.identity not in stored]
        pubs = {i.id: len(core.publications(i)) for i in gone}
        found = matching.propose(name, gone, fresh, pubs)
        proposals += found
        matched = len(idents & stored)
        whole["added"] += len(fresh) - len(found)
        whole["changed"] += matched + len(found)
        whole["removed"] += len(gone) - len(found)
        part["added"] += len(fresh)
        part["changed"] += matched
    return Plan(path.name, parsed, warnings, skipped, by_domain, new_domains, reasons, notes, proposals, whole, part)


def _live_items(session: Session, domain_name: str) -> list[CatalogueItem]:
    dom = core.find_domain(session, domain_name)
    return list(session.scalars(select(CatalogueItem).where(CatalogueItem.domain_id == dom.id,
                                                            CatalogueItem.deleted_at.is_(None))
                                .order_by(CatalogueItem.sort_order)))


RenameSpec = tuple[str, str] | str


def resolve_renames(session: Session, pl: Plan, part: bool, accept_all: bool,
                    explicit: list[RenameSpec]) -> dict[str, dict[str, CatalogueItem]]:
    """Accepted renames per domain: {domain: {new identity: stored item}}.

    ``explicit`` pairs name the stored item (id, identity or name) and the file's item (identity or
    name), as the clerk wrote "农机购置补贴=农机购置与应用补贴" or as the window passes them."""
    out: dict[str, dict[str, CatalogueItem]] = {}
    if accept_all and not part:
        for pr in pl.proposals:
            item = session.get(CatalogueItem, pr.old_id)
            if item is not None:
                out.setdefault(pr.domain, {})[pr.new_identity] = item
    for spec in explicit:
        old_text, new_text = _split_spec(spec)
        hits = []
        for dname, plist in pl.by_domain.items():
            if dname in pl.new_domains:
                continue
            live = _live_items(session, dname)
            stored = {i.identity for i in live}
            olds = [i for i in live if _names_match(old_text, i.id, i.identity, i.level1, i.level2, i.level3,
                                                    i.label)]
            news = [p for p in plist if p.identity not in stored and _names_match(
                new_text, p.identity, p.values["level1"], p.values["level2"], p.values["level3"],
                matching.label_of(p.values))]
            hits += [(dname, o, n) for o in olds for n in news]
        if len(hits) != 1:
            what = "找不到" if not hits else f"有{len(hits)}种可能的"
            raise InputRejected(f"{what}改名“{old_text} → {new_text}”:左边应是已有目录中、本文件不再列出的事项,"
                                "右边应是本文件中新出现的事项(可写完整的“一级事项/二级事项”)")
        dname, old, new = hits[0]
        out.setdefault(dname, {})[new.identity] = old
    return out


def _split_spec(spec: RenameSpec) -> tuple[str, str]:
    if isinstance(spec, tuple):
        return spec
    for sep in ("=", "=", "→", "->"):
        if sep in spec:
            a, b = spec.split(sep, 1)
            if a.strip() and b.strip():
                return a.strip(), b.strip()
    raise InputRejected(f"改名“{spec}”应写成“原事项=新事项”")


def _names_match(text: str, ident: str, *names: str) -> bool:
    t = core.key_text(text).replace("/", "|")
    if not t:
        return False
    if t in (ident, core.key_text(ident)):
        return True
    keys = {core.key_text(n) for n in names if n}
    keys |= {k.replace("/", "|") for k in keys}
    return t in keys


def import_directory(session: Session, path: str | Path, domain: str | None = None, operator: str = "",
                     report: Report = no_report, cancelled: IsCancelled = never_cancelled, *,
                     part: bool | None = None, accept_renames: bool = False,
                     renames: list[RenameSpec] | None = None) -> OpResult:
    """Import (or re-import) a county directory; the caller makes a backup first.

    ``part`` None takes the judged mode (:func:`plan`); a part adds and updates, never removes.
    Renames are applied only when accepted (all proposals, or the pairs named in ``renames``)."""
    path = Path(path)
    t = township.current(session)
    report(0.05, f"读取“{path.name}”")
    pl = plan(session, path, domain, cancelled)
    is_part = pl.assumed_part if part is None else part
    accepted = resolve_renames(session, pl, is_part, accept_renames, renames or [])
    warnings = list(pl.warnings)
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    renamed: list[dict[str, Any]] = []
    resolved: dict[str, tuple[Domain, list[ParsedItem]]] = {}
    for dname, plist in pl.by_domain.items():
        try:
            dom = core.find_domain(session, dname)
        except NotFound:
            dom = core.find_domain(session, dname, create=True, operator=operator)
            warnings.append(Problem(f"“{dname}”不在国家或省级领域名单中,已作为本乡镇自定领域新建",
                                    plist[0].sheet, plist[0].row, file=path.name))
        if not dom.applicable and dom.not_applicable_reason in core.builtin_default_reasons():
            dom.applicable, dom.not_applicable_reason = True, ""  # the county publishes it: it applies
        resolved.setdefault(dom.name, (dom, []))[1].extend(plist)
    for k, (dname, (dom, plist)) in enumerate(resolved.items()):
        if cancelled():
            raise Cancelled()
        report(0.1 + 0.85 * k / len(resolved), f"更新领域“{dname}”")
        _apply_domain(session, t.id, dom, plist, path.name, added, changed, removed, part=is_part,
                      renames=accepted.get(dname), renamed=renamed)
    session.flush()
    counts = {"added": len(added), "changed": len(changed), "removed": len(removed), "renamed": len(renamed),
              "items": len(pl.parsed)}
    audit.record(session, operator, "catalogue.import", path.name, domains=list(resolved),
                 mode="part" if is_part else "whole", **counts)
    report(1.0, "导入完成")
    status = "imported" if added or changed or removed or renamed else "unchanged"
    pending = [pr.to_dict() for pr in pl.proposals
               if not any(r["old_id"] == pr.old_id for r in renamed)] if not is_part else []
    return OpResult(status=status, changes={"catalogue"}, counts=counts, warnings=warnings,
                    data={"domains": {d: len(p) for d, (_, p) in resolved.items()}, "added": added,
                          "changed": changed, "removed": removed, "renamed": renamed,
                          "skipped_sheets": pl.skipped, "part": is_part, "reasons": pl.reasons, "notes": pl.notes,
                          "proposals": pending})


def _apply_domain(session: Session, township_id: str, dom: Domain, plist: list[ParsedItem], filename: str,
                  added: list[dict[str, Any]], changed: list[dict[str, Any]], removed: list[dict[str, Any]],
                  *, part: bool = False, renames: dict[str, CatalogueItem] | None = None,
                  renamed: list[dict[str, Any]] | None = None) -> None:
    rows = list(session.scalars(select(CatalogueItem).where(CatalogueItem.domain_id == dom.id)))
    live = {i.identity: i for i in rows if i.deleted_at is None}
    # a tombstone whose name a live row has taken (by a rename) is history, not something to revive
    dead = {i.identity: i for i in rows if i.deleted_at is not None and i.identity not in live}
    for new_ident, moved in (renames or {}).items():
        # the stored row takes the new name: its id, publications, pending date and history stay
        live.pop(moved.identity, None)
        moved.former_names = [*(moved.former_names or []), {"label": moved.label, "identity": moved.identity,
                                                            "on": date.today().isoformat(), "file": filename}]
        old_label = moved.label
        moved.identity = new_ident
        live[new_ident] = moved
        dead.pop(new_ident, None)
        if renamed is not None:
            renamed.append({"domain": dom.name, "old_id": moved.id, "old": old_label, "new": "",
                            "identity": new_ident, "publications": len(core.publications(moved))})
    top = max((i.sort_order for i in live.values()), default=0)
    seen: set[str] = set()
    for order, p in enumerate(plist, start=1):
        v = p.values
        where = {"domain": dom.name, "label": " / ".join(x for x in (v["level1"], v["level2"], v["level3"]) if x),
                 "sheet": p.sheet, "row": p.row}
        # a part keeps its place by its own numbering (rows 11–13 sort after rows 1–5)
        position = order if not part else (int(v["seq"]) if str(v["seq"]).isdigit() else top + order)
        item = live.get(p.identity)
        if item is None and p.identity in dead:
            item = dead[p.identity]
            item.deleted_at = None  # revived: its publications come back with it
        if item is None:
            item = CatalogueItem(township_id=township_id, domain_id=dom.id, identity=p.identity)
            _assign(item, v)
            item.sort_order, item.origin, item.source_file = position, ORIGIN_IMPORTED, filename
            session.add(item)
            added.append(where)
        else:
            diff = [FIELD_LABELS[f] for f in COMPARED if getattr(item, f) != v[f]]
            if diff or item.sort_order != position or item.origin != ORIGIN_IMPORTED:
                _assign(item, v)
                item.sort_order, item.origin, item.source_file = position, ORIGIN_IMPORTED, filename
            if (diff or p.identity in dead) and p.identity not in (renames or {}):  # a rename is its own line
                changed.append({**where, "fields": diff or ["恢复"]})
        seen.add(p.identity)
    for r in renamed or []:
        if r["identity"] in live and not r["new"]:
            r["new"] = live[r["identity"]].label
    if part:
        return
    for ident, item in live.items():
        if ident not in seen and item.origin != ORIGIN_OWN:
            item.soft_delete()
            removed.append({"domain": dom.name, "label": item.label, "sheet": None, "row": None})


def _assign(item: CatalogueItem, v: dict[str, Any]) -> None:
    for f in COMPARED:
        setattr(item, f, v[f])
    item.rule = v["rule"]
