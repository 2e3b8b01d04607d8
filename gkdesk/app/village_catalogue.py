"""Each village's disclosure catalogue (村(居)务公开事项目录) as clerk actions.

Adopting a template, importing a county's template and removing an item change many
rows or drop a statutory duty, so they back up first; the CLI and the window both call
these functions and print the same ``summary()``, so neither takes a backup or builds
the sentence itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from gkdesk import township
from gkdesk import village_catalogue as core
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace

CHANGES = frozenset({"village_catalogue"})


@dataclass
class CatalogueAdopted(Outcome):
    """A template (built-in or a county's file) given to the villages that lacked its items."""

    villages: int
    added: int
    kept: int
    items: int | None = None  # how many items the imported file listed (None: the built-in template)

    def counts(self) -> dict[str, int]:
        out = {"villages": self.villages, "added": self.added, "kept": self.kept}
        if self.items is not None:
            out["items"] = self.items
        return out

    def summary(self) -> str:
        if self.items is None:
            return (f"已为 {self.villages} 个村(社区)采用目录模板:新增事项 {self.added} 项,"
                    f"保留已有 {self.kept} 项")
        return (f"导入目录 {self.items} 项,已为 {self.villages} 个村(社区)新增事项 {self.added} 项"
                f"(已有 {self.kept} 项保留)")


@dataclass
class FrequencySet(Outcome):
    village: str
    item: dict[str, Any]
    old: str

    def summary(self) -> str:
        return f"{self.village}“{self.item['name']}”:{self.old} → {self.item['frequency_text']}"


@dataclass
class ItemAdded(Outcome):
    village: str
    item: dict[str, Any]

    def summary(self) -> str:
        return f"已为{self.village}添加“{self.item['name']}”({self.item['frequency_text']})"


@dataclass
class ItemRemoved(Outcome):
    village: str
    item: str  # the item's full name

    def summary(self) -> str:
        return f"已从{self.village}的目录中删除“{self.item}”"


@dataclass
class BusyFinanceSet(Outcome):
    village: str
    busy: bool
    raised: list[str] = field(default_factory=list)  # finance items moved to monthly

    def summary(self) -> str:
        if not self.busy:
            return f"{self.village}已取消“财务往来较多”标记"
        return f"{self.village}已标记为财务往来较多" + (",改为每月公开:" + "、".join(self.raised) if self.raised else "")


@dataclass
class ReviewersSet(Outcome):
    village: str
    supervision_head: str
    finance_group_head: str

    def summary(self) -> str:
        return (f"{self.village}:村务监督委员会 {self.supervision_head or '—'},"
                f"民主理财小组 {self.finance_group_head or '—'}")


# --- actions ----------------------------------------------------------------------------
def adopt(ws: Workspace, *, scheme: str = "four", villages: list[str] | None = None) -> CatalogueAdopted:
    """Give every (or each named) village the built-in template's items it lacks."""
    with ws.change(backup="before-catalogue-adopt") as s:
        res = core.adopt_template(s, ws.operator, scheme=scheme, village_names=villages or None)
    c = res.counts
    return CatalogueAdopted(c["villages"], c["added"], c["kept"], changes=CHANGES)


def import_file(ws: Workspace, path: str | Path, *, villages: list[str] | None = None) -> CatalogueAdopted:
    """Adopt a county's Excel template (all rows or nothing) for all (or the named) villages."""
    with ws.change(backup="before-catalogue-import") as s:
        res = core.import_template(s, path, ws.operator, village_names=villages or None)
    c = res.counts
    return CatalogueAdopted(c["villages"], c["added"], c["kept"], c["items"], changes=CHANGES)


def set_frequency(ws: Workspace, village: str, item: str, frequency: str) -> FrequencySet:
    """Change how often one village posts an item (refused below the statutory minimum)."""
    with ws.session() as s:
        res = core.set_frequency(s, village, item, frequency, ws.operator)
    return FrequencySet(village, res.data["item"], res.data["old"], changes=CHANGES)


def add_item(ws: Workspace, village: str, item: str, category: str, frequency: str) -> ItemAdded:
    with ws.session() as s:
        res = core.add_item(s, village, item, category, frequency, ws.operator)
    return ItemAdded(village, res.data["item"], changes=CHANGES)


def remove_item(ws: Workspace, village: str, item: str, reason: str = "") -> ItemRemoved:
    """Drop an item from one village's catalogue (a statutory one needs a reason); backed up first."""
    with ws.change(backup="before-catalogue-remove") as s:
        res = core.remove_item(s, village, item, ws.operator, reason=reason)
    return ItemRemoved(village, res.data["item"], changes=CHANGES)


def set_busy_finance(ws: Workspace, village: str, busy: bool = True) -> BusyFinanceSet:
    """Busy finances make the village's finance items monthly (村民委员会组织法第三十条)."""
    with ws.session() as s:
        res = core.set_busy_finance(s, village, busy, ws.operator)
    return BusyFinanceSet(village, busy, list(res.data["raised"]), changes=CHANGES)


def set_reviewers(ws: Workspace, village: str, *, supervision: str | None = None,
                  finance: str | None = None) -> ReviewersSet:
    """The usual reviewers, offered as defaults when a posting's review is recorded."""
    with ws.session() as s:
        res = core.set_reviewers(s, village, ws.operator, supervision_head=supervision, finance_group_head=finance)
    return ReviewersSet(village, res.data["supervision_head"], res.data["finance_group_head"], changes=CHANGES)


@dataclass
class TrackingSet(Outcome):
    """From which month the villages' calendars count periods as due."""

    villages: list[str]
    start: date
    changed: int

    def summary(self) -> str:
        who = "全部村(社区)" if len(self.villages) > 3 else "、".join(self.villages)
        return (f"{who}自 {self.start.year}年{self.start.month}月 起跟踪村务公开"
                f"(此前各期不计逾期;{self.changed} 个村有改动)")


def set_tracking_start(ws: Workspace, month: date, *, villages: list[str] | None = None) -> TrackingSet:
    """Start counting due and overdue periods from ``month`` (for every, or each named, village)."""
    with ws.session() as s:
        res = core.set_tracking_from(s, month, ws.operator, village_names=villages or None)
    return TrackingSet(list(res.data["villages"]), res.data["from"], res.counts["changed"], changes=CHANGES)


@dataclass
class VillageProfile:
    """A village's disclosure settings as the window shows them."""

    village: str
    busy_finance: bool
    supervision_head: str
    finance_group_head: str
    tracking_from: date | None


def village_profile(ws: Workspace, village: str) -> VillageProfile:
    with ws.session() as s:
        v = township.find_village(s, village)
        p = core.profile(s, v)
        out = VillageProfile(v.name, bool(p.busy_finance), p.supervision_head, p.finance_group_head, p.tracking_from)
        s.rollback()  # reading only: a profile made on the fly is not kept
        return out


def tracking_start(ws: Workspace, village: str) -> date | None:
    """The month a village's calendar is counted from (None: every period)."""
    with ws.session() as s:
        v = township.find_village(s, village)
        return core.tracking_from(s, [v.id]).get(v.id)


# --- reading ----------------------------------------------------------------------------
def items(ws: Workspace, village: str) -> list[dict[str, Any]]:
    """One village's live items in catalogue order (as ``item_dict``)."""
    with ws.session() as s:
        v = township.find_village(s, village)
        return [core.item_dict(i) for i in core.items(s, v)]


FREQUENCY_CHOICES = ("随时", "每月", "每月20日", "每季度", "每季度首月20日", "每半年", "每年")
CATEGORY_CHOICES = ("党务", "村务", "财务", "事务", "制度类", "事务类", "财务类")
