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
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, township
from gkdesk.catalogue import core, layout, timerule
from gkdesk.errors import Cancelled, NotFound, UnreadableInput
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


@dataclass
class ParsedItem:
    domain: str
    sheet: str
    row: int  # Excel row number
    values: dict[str, Any] = field(default_factory=dict)
    identity: str = ""


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").strip()


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
        for r in rows[: lay.header_row]:
            for v in r:
                title_domain = title_domain or (_domain_in(_text(v), names) if _text(v) else None)
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
            level1, level2, level3 = cell("level1"), cell("level2"), cell("level3")
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
            v["extra"] = {h: _text(row[c]) for c, h in lay.extra.items() if c < len(row) and _text(row[c])}
            rule = timerule.parse(v["time_limit"])
            if rule.get("warning"):
                warnings.append(Problem(rule["warning"], sheet.name, excel_row, lay.labels.get("time_limit"),
                                        path.name))
            v["rule"] = rule
            ident = core.identity_of(level1, level2, level3, v["content"])
            key = (dom, ident)
            if key in seen:
                warnings.append(Problem(f"与第{seen[key]}行的公开事项同名,按不同事项导入", sheet.name, excel_row,
                                        lay.labels.get("level2") or lay.labels.get("level1"), path.name))
                ident = f"{ident}#{excel_row}"
            else:
                seen[key] = excel_row
            items.append(ParsedItem(domain=dom, sheet=sheet.name, row=excel_row, values=v, identity=ident))
    if not items:
        raise UnreadableInput(f"文件“{path.name}”中没有找到标准目录事项(需要“公开事项/一级事项”和“公开时限/公开内容”列)")
    return items, warnings, skipped


def import_directory(session: Session, path: str | Path, domain: str | None = None, operator: str = "",
                     report: Report = no_report, cancelled: IsCancelled = never_cancelled) -> OpResult:
    """Import (or re-import) a county directory; the caller makes a backup first."""
    path = Path(path)
    t = township.current(session)
    names = _domain_names(session)
    if domain:
        domain = core.find_domain(session, domain, create=True, operator=operator).name
    report(0.05, f"读取“{path.name}”")
    parsed, warnings, skipped = read_directory(path, names, domain, cancelled)
    by_domain: dict[str, list[ParsedItem]] = {}
    for p in parsed:
        by_domain.setdefault(p.domain, []).append(p)
    added: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    resolved: dict[str, tuple[Domain, list[ParsedItem]]] = {}
    for dname, plist in by_domain.items():
        try:
            dom = core.find_domain(session, dname)
        except NotFound:
            dom = core.find_domain(session, dname, create=True, operator=operator)
            warnings.append(Problem(f"“{dname}”不在国家或省级领域名单中,已作为本乡镇自定领域新建",
                                    plist[0].sheet, plist[0].row, file=path.name))
        resolved.setdefault(dom.name, (dom, []))[1].extend(plist)
    for k, (dname, (dom, plist)) in enumerate(resolved.items()):
        if cancelled():
            raise Cancelled()
        report(0.1 + 0.85 * k / len(resolved), f"更新领域“{dname}”")
        _apply_domain(session, t.id, dom, plist, path.name, added, changed, removed)
    session.flush()
    counts = {"added": len(added), "changed": len(changed), "removed": len(removed), "items": len(parsed)}
    audit.record(session, operator, "catalogue.import", path.name, domains=list(resolved), **counts)
    report(1.0, "导入完成")
    status = "imported" if added or changed or removed else "unchanged"
    return OpResult(status=status, changes={"catalogue"}, counts=counts, warnings=warnings,
                    data={"domains": {d: len(p) for d, (_, p) in resolved.items()}, "added": added,
                          "changed": changed, "removed": removed, "skipped_sheets": skipped})


def _apply_domain(session: Session, township_id: str, dom: Domain, plist: list[ParsedItem], filename: str,
                  added: list[dict[str, Any]], changed: list[dict[str, Any]], removed: list[dict[str, Any]]) -> None:
    rows = list(session.scalars(select(CatalogueItem).where(CatalogueItem.domain_id == dom.id)))
    live = {i.identity: i for i in rows if i.deleted_at is None}
    dead = {i.identity: i for i in rows if i.deleted_at is not None}
    seen: set[str] = set()
    for order, p in enumerate(plist, start=1):
        v = p.values
        where = {"domain": dom.name, "label": " / ".join(x for x in (v["level1"], v["level2"], v["level3"]) if x),
                 "sheet": p.sheet, "row": p.row}
        item = live.get(p.identity)
        if item is None and p.identity in dead:
            item = dead[p.identity]
            item.deleted_at = None  # revived: its publications come back with it
        if item is None:
            item = CatalogueItem(township_id=township_id, domain_id=dom.id, identity=p.identity)
            _assign(item, v)
            item.sort_order, item.origin, item.source_file = order, ORIGIN_IMPORTED, filename
            session.add(item)
            added.append(where)
        else:
            diff = [FIELD_LABELS[f] for f in COMPARED if getattr(item, f) != v[f]]
            if diff or item.sort_order != order or item.origin != ORIGIN_IMPORTED:
                _assign(item, v)
                item.sort_order, item.origin, item.source_file = order, ORIGIN_IMPORTED, filename
            if diff or p.identity in dead:
                changed.append({**where, "fields": diff or ["恢复"]})
        seen.add(p.identity)
    for ident, item in live.items():
        if ident not in seen and item.origin != ORIGIN_OWN:
            item.soft_delete()
            removed.append({"domain": dom.name, "label": item.label, "sheet": None, "row": None})


def _assign(item: CatalogueItem, v: dict[str, Any]) -> None:
    for f in COMPARED:
        setattr(item, f, v[f])
    item.rule = v["rule"]
