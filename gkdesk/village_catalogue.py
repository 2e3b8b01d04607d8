"""Village catalogues (村(居)务公开事项目录): adopt the template, adjust per village, import.

The township adopts one template for all its villages (the built-in one in
``resources/village_catalogue/template.json`` or a county's Excel file) and then
adjusts each village: add an item, remove one (tombstone), change its frequency.
A change is refused when it would fall below the statutory minimum (村民委员会组织法
第三十条: general items at least quarterly, income/expenditure monthly where a
village's finances are busy, major matters at once).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import audit, paths, township
from gkdesk.errors import InputRejected, NotFound, UnreadableInput
from gkdesk.models.township import Village
from gkdesk.models.village_disclosure import (
    FREQ_IMMEDIATE,
    FREQ_MONTHLY,
    FREQ_QUARTERLY,
    FREQ_YEARLY,
    FREQUENCIES,
    FREQUENCY_LABELS,
    FREQUENCY_MONTHS,
    SCHEME_FOUR,
    SCHEME_LABELS,
    SCHEMES,
    VillageCatalogueItem,
    VillageDisclosureProfile,
)
from gkdesk.result import OpResult, Problem

audit.ACTION_LABELS.update({
    "village_catalogue.adopt": "采用村务公开事项目录",
    "village_catalogue.import": "导入村务公开事项目录",
    "village_catalogue.set": "调整村务公开事项",
    "village_catalogue.add": "添加村务公开事项",
    "village_catalogue.remove": "删除村务公开事项",
    "village_catalogue.profile": "修改村务公开设置",
    "village_catalogue.tracking": "设置开始跟踪月份",
})

STATUTE = "《村民委员会组织法》第三十条"


def template_path() -> Path:
    return paths.resources_dir() / "village_catalogue" / "template.json"


def load_template() -> dict[str, Any]:
    return json.loads(template_path().read_text(encoding="utf-8"))


_FIXED_DAY = re.compile(r"月(\d{1,2})日")  # 每季度首月20日, 每月20日, 每年1月20日


def parse_frequency(text: str) -> tuple[str, int | None]:
    """'每季度首月20日' → ('quarterly', 20); codes and the usual phrases are accepted.

    Event-driven phrases (随时, 及时, N个工作日内) map to ``immediate``.
    Raises ValueError for text we cannot read (the caller says where it was).
    """
    t = re.sub(r"\s+", "", str(text or ""))
    if t in FREQUENCIES:
        return t, None
    m = _FIXED_DAY.search(t)
    fixed = int(m.group(1)) if m else None
    if fixed is not None and not 1 <= fixed <= 28:
        raise ValueError(f"固定日“{fixed}日”应在 1 至 28 之间")
    if "半年" in t:
        return "half_year", fixed
    if "季" in t:
        return FREQ_QUARTERLY, fixed
    if "月" in t and ("每月" in t or "按月" in t):
        return FREQ_MONTHLY, fixed
    if "年" in t and ("每年" in t or "年底" in t or "年度" in t or "年初" in t):
        return FREQ_YEARLY, fixed
    if any(k in t for k in ("随时", "及时", "实时", "工作日内", "日内", "事前", "事后")):
        return FREQ_IMMEDIATE, None
    raise ValueError(f"无法识别公开频次“{text}”(应为 随时、每月、每季度、每半年、每年,可带“首月20日”)")


def frequency_text(item: VillageCatalogueItem) -> str:
    label = FREQUENCY_LABELS.get(item.frequency, item.frequency)
    if item.fixed_day and item.frequency != FREQ_IMMEDIATE:
        first = {"monthly": "", "quarterly": "首月", "half_year": "首月", "yearly": "1月"}[item.frequency]
        return f"{label}{first}{item.fixed_day}日"
    return label


def profile(session: Session, village: Village) -> VillageDisclosureProfile:
    p = session.scalar(select(VillageDisclosureProfile).where(VillageDisclosureProfile.village_id == village.id))
    if p is None:
        p = VillageDisclosureProfile(township_id=village.township_id, village_id=village.id)
        session.add(p)
        session.flush()
    return p


def effective_minimum(item: VillageCatalogueItem, busy_finance: bool) -> str:
    if item.finance and busy_finance:
        return FREQ_MONTHLY if item.min_frequency != FREQ_IMMEDIATE else FREQ_IMMEDIATE
    return item.min_frequency


def check_frequency(item: VillageCatalogueItem, frequency: str, busy_finance: bool) -> None:
    """Refuse a frequency below the statutory minimum, saying which rule and why."""
    minimum = effective_minimum(item, busy_finance)
    if not minimum or FREQUENCY_MONTHS[frequency] <= FREQUENCY_MONTHS[minimum]:
        return
    new = FREQUENCY_LABELS[frequency]
    if minimum == FREQ_IMMEDIATE:
        raise InputRejected(f"“{item.name}”属于涉及村民利益的重大事项,依{STATUTE}应当随时公开,不能改为{new}")
    if minimum == FREQ_MONTHLY and item.finance and busy_finance:
        raise InputRejected(f"本村集体财务往来较多,“{item.name}”依{STATUTE}应当每月公开,不能改为{new}")
    raise InputRejected(f"“{item.name}”依{STATUTE}至少{FREQUENCY_LABELS[minimum]}公开一次,不能改为{new}")


def items(session: Session, village: Village) -> list[VillageCatalogueItem]:
    return list(session.scalars(
        select(VillageCatalogueItem)
        .where(VillageCatalogueItem.village_id == village.id, VillageCatalogueItem.deleted_at.is_(None))
        .order_by(VillageCatalogueItem.sort_order, VillageCatalogueItem.name)))


def item_dict(item: VillageCatalogueItem) -> dict[str, Any]:
    return {"id": item.id, "category": item.category, "name": item.name, "frequency": item.frequency,
            "frequency_text": frequency_text(item), "fixed_day": item.fixed_day,
            "min_frequency": item.min_frequency, "finance": item.finance, "template_key": item.template_key}


@dataclass
class TemplateItem:
    key: str
    name: str
    category: str
    frequency: str
    fixed_day: int | None = None
    min_frequency: str = ""
    finance: bool = False
    content: str = ""
    basis: str = ""


# Category schemes counties use (REFERENCE §4.2, REAL-SOURCES §2): the built-in template carries
# each item's category in every scheme, so a township adopts the one its county publishes with.
SCHEME_PARTY = "party"  # 党务 / 政务 / 事务 / 财务 (攀枝花 2022)
SCHEME_SERVICE = "service"  # 政务 / 村务 / 财务 / 服务 (泰州)
ALL_SCHEMES = (*SCHEMES, SCHEME_PARTY, SCHEME_SERVICE)
ALL_SCHEME_LABELS = {**SCHEME_LABELS, SCHEME_PARTY: "党务/政务/事务/财务", SCHEME_SERVICE: "政务/村务/财务/服务"}
_SCHEME_KEYS = {SCHEME_FOUR: "category", "three": "category_three", SCHEME_PARTY: "category_party",
                SCHEME_SERVICE: "category_service"}


def scheme_choices() -> list[tuple[str, str, str]]:
    """(code, categories, where the scheme comes from) for every scheme a county may use."""
    sources = load_template().get("scheme_sources", {})
    return [(code, ALL_SCHEME_LABELS[code], sources.get(code, "")) for code in ALL_SCHEMES]


def builtin_items(scheme: str = SCHEME_FOUR) -> list[TemplateItem]:
    if scheme not in ALL_SCHEMES:
        valid = "、".join(f"{c}({ALL_SCHEME_LABELS[c]})" for c in ALL_SCHEMES)
        raise InputRejected(f"分类方案“{scheme}”无效:应为 {valid}")
    doc = load_template()
    cat = _SCHEME_KEYS[scheme]
    return [TemplateItem(key=r["key"], name=r["name"], category=r[cat], frequency=r["frequency"],
                         fixed_day=r.get("fixed_day"), min_frequency=r.get("min_frequency") or "",
                         finance=bool(r.get("finance")), content=r.get("content", ""), basis=r.get("basis", ""))
            for r in doc["items"]]


def _target_villages(session: Session, village_names: list[str] | None) -> list[Village]:
    if village_names:
        return [township.find_village(session, n) for n in village_names]
    vs = township.villages(session)
    if not vs:
        raise InputRejected("尚无村(社区):请先添加村(社区)再采用公开事项目录")
    return vs


def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def adopt_items(session: Session, template: list[TemplateItem], operator: str, *,
                village_names: list[str] | None = None, scheme: str = SCHEME_FOUR,
                source: str = "内置模板", on: date | None = None) -> OpResult:
    """Give every (named) village the template's items it lacks; keep the village's own changes.

    A village adopting for the first time starts being tracked in the month of ``on`` (today):
    a township that starts in November is not behind on January to October.
    """
    added = kept = 0
    villages = _target_villages(session, village_names)
    for v in villages:
        prof = profile(session, v)
        prof.scheme = scheme
        if prof.tracking_from is None:
            prof.tracking_from = month_start(on or date.today())
        # Removed items (tombstones) count as present: the village decided it has no such duty.
        every = list(session.scalars(select(VillageCatalogueItem).where(VillageCatalogueItem.village_id == v.id)))
        have = {(i.template_key or i.name): i for i in every}
        have_names = {i.name for i in every}
        order = max((i.sort_order for i in every), default=0)
        for t in template:
            if t.key in have or t.name in have_names:
                kept += 1
                continue
            order += 1
            freq = t.frequency
            if t.finance and prof.busy_finance and FREQUENCY_MONTHS[freq] > FREQUENCY_MONTHS[FREQ_MONTHLY]:
                freq = FREQ_MONTHLY
            session.add(VillageCatalogueItem(
                township_id=v.township_id, village_id=v.id, template_key=t.key, category=t.category,
                name=t.name, content=t.content, basis=t.basis, frequency=freq, fixed_day=t.fixed_day,
                min_frequency=t.min_frequency, finance=t.finance, sort_order=order))
            added += 1
    session.flush()
    audit.record(session, operator, "village_catalogue.adopt", source, villages=len(villages), added=added)
    return OpResult(changes={"village_catalogue"}, counts={"villages": len(villages), "added": added, "kept": kept})


def adopt_template(session: Session, operator: str, *, scheme: str = SCHEME_FOUR,
                   village_names: list[str] | None = None, on: date | None = None) -> OpResult:
    return adopt_items(session, builtin_items(scheme), operator, village_names=village_names, scheme=scheme, on=on)


def set_tracking_from(session: Session, month: date, operator: str, *,
                      village_names: list[str] | None = None) -> OpResult:
    """From which month the calendar of the (named, else every) village counts periods as due.

    Periods due before that month are neither due nor overdue, at the township and at the
    county; postings recorded for them still show.
    """
    start = month_start(month)
    if start > month_start(date.today()):
        raise InputRejected(f"开始跟踪的月份 {start.year}年{start.month}月 还没有到,请选择本月或更早的月份")
    villages = _target_villages(session, village_names)
    changed = []
    for v in villages:
        prof = profile(session, v)
        old = prof.tracking_from
        if old != start:
            prof.tracking_from = start
            changed.append(v.name)
            audit.record(session, operator, "village_catalogue.tracking", v.name,
                         old=f"{old:%Y-%m}" if old else "", new=f"{start:%Y-%m}")
    return OpResult(changes={"village_catalogue"}, counts={"villages": len(villages), "changed": len(changed)},
                    data={"villages": [v.name for v in villages], "from": start})


def tracking_from(session: Session, village_ids: list[str]) -> dict[str, date]:
    """Village id → first tracked month, for the villages that have one."""
    q = select(VillageDisclosureProfile.village_id, VillageDisclosureProfile.tracking_from).where(
        VillageDisclosureProfile.village_id.in_(village_ids), VillageDisclosureProfile.tracking_from.is_not(None))
    return {vid: d for vid, d in session.execute(q)}


def find_item(session: Session, village: Village, name: str) -> VillageCatalogueItem:
    name = name.strip()
    found = [i for i in items(session, village) if i.name == name or i.id == name or i.template_key == name]
    if not found:
        found = [i for i in items(session, village) if name in i.name]
    if not found:
        raise NotFound(f"{village.name}的公开事项目录中没有“{name}”")
    if len(found) > 1:
        raise InputRejected(f"“{name}”匹配到{len(found)}个事项:" + "、".join(i.name for i in found) + ",请写完整名称")
    return found[0]


def set_frequency(session: Session, village_name: str, item_name: str, frequency_text_: str,
                  operator: str) -> OpResult:
    v = township.find_village(session, village_name)
    item = find_item(session, v, item_name)
    try:
        freq, fixed = parse_frequency(frequency_text_)
    except ValueError as exc:
        raise InputRejected(str(exc)) from exc
    check_frequency(item, freq, profile(session, v).busy_finance)
    old = frequency_text(item)
    item.frequency, item.fixed_day = freq, fixed
    audit.record(session, operator, "village_catalogue.set", f"{v.name}/{item.name}", old=old, new=frequency_text(item))
    return OpResult(changes={"village_catalogue"}, data={"item": item_dict(item), "old": old})


def add_item(session: Session, village_name: str, name: str, category: str, frequency_text_: str,
             operator: str, content: str = "") -> OpResult:
    v = township.find_village(session, village_name)
    name = name.strip()
    if not name:
        raise InputRejected("公开事项名称不能为空")
    if any(i.name == name for i in items(session, v)):
        raise InputRejected(f"{v.name}的公开事项目录中已有“{name}”")
    if not category.strip():
        raise InputRejected("公开事项类别不能为空(如 党务、村务、财务、事务)")
    try:
        freq, fixed = parse_frequency(frequency_text_)
    except ValueError as exc:
        raise InputRejected(str(exc)) from exc
    order = max((i.sort_order for i in items(session, v)), default=0) + 1
    item = VillageCatalogueItem(township_id=v.township_id, village_id=v.id, category=category.strip(), name=name,
                                content=content, frequency=freq, fixed_day=fixed, sort_order=order,
                                min_frequency=FREQ_IMMEDIATE if freq == FREQ_IMMEDIATE else "")
    session.add(item)
    session.flush()
    audit.record(session, operator, "village_catalogue.add", f"{v.name}/{name}")
    return OpResult(changes={"village_catalogue"}, data={"item": item_dict(item)})


def remove_item(session: Session, village_name: str, item_name: str, operator: str, reason: str = "") -> OpResult:
    v = township.find_village(session, village_name)
    item = find_item(session, v, item_name)
    if item.min_frequency and not reason.strip():
        raise InputRejected(f"“{item.name}”是法定公开事项,删除时请写明原因(如“本村不涉及”)")
    item.soft_delete()
    audit.record(session, operator, "village_catalogue.remove", f"{v.name}/{item.name}", reason=reason)
    return OpResult(changes={"village_catalogue"}, counts={"removed": 1}, data={"item": item.name})


def set_busy_finance(session: Session, village_name: str, busy: bool, operator: str) -> OpResult:
    """Mark a village's finances as busy: its finance items then go monthly (and may not go back)."""
    v = township.find_village(session, village_name)
    prof = profile(session, v)
    prof.busy_finance = busy
    raised = []
    if busy:
        for i in items(session, v):
            if i.finance and FREQUENCY_MONTHS[i.frequency] > FREQUENCY_MONTHS[FREQ_MONTHLY]:
                i.frequency = FREQ_MONTHLY
                raised.append(i.name)
    audit.record(session, operator, "village_catalogue.profile", v.name, busy_finance=busy, raised=raised)
    return OpResult(changes={"village_catalogue"}, counts={"raised": len(raised)}, data={"raised": raised})


def set_reviewers(session: Session, village_name: str, operator: str, *, supervision_head: str | None = None,
                  finance_group_head: str | None = None) -> OpResult:
    """The usual reviewers of a village's notices (offered as defaults when a review is recorded)."""
    v = township.find_village(session, village_name)
    prof = profile(session, v)
    if supervision_head is not None:
        prof.supervision_head = supervision_head.strip()
    if finance_group_head is not None:
        prof.finance_group_head = finance_group_head.strip()
    audit.record(session, operator, "village_catalogue.profile", v.name, supervision_head=prof.supervision_head,
                 finance_group_head=prof.finance_group_head)
    return OpResult(changes={"village_catalogue"}, data={"supervision_head": prof.supervision_head,
                                                         "finance_group_head": prof.finance_group_head})


IMPORT_COLUMNS = {
    "name": ["公开事项", "事项名称", "公开事项名称", "事项", "公开内容名称", "二级事项"],
    "category": ["类别", "分类", "公开类别", "事项类别", "一级事项"],
    "frequency": ["公开时限", "公开频次", "频次", "公开时间", "公开周期"],
    "content": ["公开内容", "公开内容(要素)", "公开要素"],
    "basis": ["公开依据", "依据"],
}


def read_template_file(path: str | Path) -> list[TemplateItem]:
    """A county's template workbook → template items; every bad row is reported with its place."""
    from gkdesk.sheets import find_header, read_workbook

    path = Path(path)
    match = sheet = None
    for sheet in read_workbook(path):
        match = find_header(sheet.rows, IMPORT_COLUMNS, required=["name", "frequency"])
        if match:
            break
    if match is None or sheet is None:
        raise UnreadableInput(f"文件“{path.name}”中找不到公开事项目录的表头(需要“公开事项”和“公开时限”或“公开频次”列)")
    out: list[TemplateItem] = []
    errors: list[Problem] = []
    seen: set[str] = set()
    last_category = ""
    for i in range(match.row + 1, len(sheet.rows)):
        row = sheet.rows[i]

        def cell(f: str, row: list[Any] = row) -> str:
            c = match.columns.get(f)
            v = row[c] if c is not None and c < len(row) else None
            return re.sub(r"\s+", "", str(v)) if v not in (None, "") else ""

        name = cell("name")
        category = cell("category") or last_category  # a category merged down its block
        last_category = category
        if not name:
            continue
        where = dict(sheet=sheet.name, row=i + 1, file=path.name)
        if name in seen:
            errors.append(Problem(f"公开事项“{name}”重复出现", column=match.labels["name"], **where))
            continue
        seen.add(name)
        try:
            freq, fixed = parse_frequency(cell("frequency"))
        except ValueError as exc:
            errors.append(Problem(str(exc), column=match.labels["frequency"], **where))
            continue
        finance = "收支" in name
        minimum = freq if freq in (FREQ_IMMEDIATE, FREQ_MONTHLY, FREQ_QUARTERLY) else ""
        if minimum == FREQ_MONTHLY:
            minimum = FREQ_QUARTERLY
        out.append(TemplateItem(key="", name=name[:120], category=(category or "村务")[:16], frequency=freq,
                                fixed_day=fixed, min_frequency=minimum, finance=finance,
                                content=cell("content"), basis=cell("basis")))
    if errors:
        raise InputRejected("导入被拒绝,未做任何改动:\n" + "\n".join(e.describe() for e in errors))
    if not out:
        raise UnreadableInput(f"文件“{path.name}”的工作表“{sheet.name}”中没有公开事项")
    return out


def import_template(session: Session, path: str | Path, operator: str, *,
                    village_names: list[str] | None = None) -> OpResult:
    """Adopt a county's Excel template (all-or-nothing) for all (or the named) villages."""
    template = read_template_file(path)
    res = adopt_items(session, template, operator, village_names=village_names, source=Path(path).name)
    audit.record(session, operator, "village_catalogue.import", Path(path).name, items=len(template))
    res.counts["items"] = len(template)
    return res
