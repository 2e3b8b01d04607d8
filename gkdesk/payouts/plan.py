"""Understanding each sheet of a payout list before its rows are read: where the header is,
which column is what (saved layouts, ``--map``, headers and content), and which village a
sheet without a village column stands for. Sheets that are not lists are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gkdesk.payouts.columns import SAMPLE, choose_columns
from gkdesk.payouts.places import PlaceFinder
from gkdesk.sheets import normalise as nz
from gkdesk.sheets.header import SCAN_ROWS, HeaderMatch, find_header_rows
from gkdesk.sheets.merged import fill_merged
from gkdesk.sheets.reader import Sheet
from gkdesk.sheets.synonyms import PAYOUT_COLUMNS, REQUIRED, SUMMARY_SHEET_WORDS

#: No row after these is looked at to plan a sheet: the header is within the first
#: ``SCAN_ROWS`` (+1 for a two-row header), the content of at most ``2 * SAMPLE`` rows after
#: it is scored. So a big sheet is planned before the rest of it is converted (:class:`Sheet`).
PLAN_ROWS = SCAN_ROWS + 2 + 2 * SAMPLE


@dataclass
class SheetPlan:
    """How one sheet was understood: its header and the village it stands for (if any)."""

    name: str
    header: HeaderMatch
    village: str | None = None  # set when the sheet is one village's list (no village column)
    village_from: str = ""  # where ``village`` came from: 工作表名称 / 标题 / 导入时选择
    notes: list[str] = field(default_factory=list)  # column competitions settled by a rule
    unsure: bool = False  # the columns were guessed from content: the window asks the clerk
    layout: str | None = None  # the saved layout (导入模板) applied, if any
    signature: str = ""  # the header signature a layout is saved under



def _clean_village(v: Any) -> str:
    return nz._SPACES.sub("", nz.half_width(str(v))) if v not in (None, "") else ""


def plan_sheets(sheets: list[Sheet], file_name: str, only: str | None = None, *,
                known: Any = (), village: str | None = None, layouts: Any = None,
                forced: Any = None, overrides: dict[str, str] | None = None) -> tuple[list[SheetPlan], list[str]]:
    """Find each sheet's header and which column is what (headers and content, ``columns``).

    A sheet without a village column takes its village from ``village`` (the clerk's choice
    for the whole file), else a known village named in the sheet name or the title rows,
    else the sheet name. ``layouts`` (saved 导入模板, ``gkdesk.payouts.layouts``) apply when
    their header signature matches; ``forced`` applies one whatever the signature;
    ``overrides`` maps fields to header texts or column letters (``--map``).
    Returns (plans, skipped sheet names); summary sheets and sheets of something else are skipped.
    """
    from gkdesk.payouts import layouts as L

    finder = PlaceFinder(known)
    plans: list[SheetPlan] = []
    skipped: list[str] = []
    for sheet in sheets:
        if only is not None and sheet.name != only:
            continue
        fill_merged(sheet)
        rows = sheet.head(PLAN_ROWS)  # all that planning looks at (and all the rows of a small sheet)
        match = find_header_rows(rows, PAYOUT_COLUMNS, REQUIRED)
        applied = None
        if forced is not None or layouts:
            applied = L.apply_layout(rows, forced, layouts or [], match)
        if applied is not None:
            header, layout_name = applied
            plan = SheetPlan(sheet.name, header, layout=layout_name)
        else:
            choice = choose_columns(rows, match, finder, partial=bool(overrides))
            if choice is None and match is None:
                skipped.append(sheet.name)
                continue
            if choice is None:
                plan = SheetPlan(sheet.name, match)  # type: ignore[arg-type]
            else:
                plan = SheetPlan(sheet.name, choice.as_header(), notes=choice.notes, unsure=choice.unsure)
        if overrides:
            L.apply_overrides(rows, plan.header, overrides)
        plan.signature = L.signature(rows, plan.header)
        cols = plan.header.columns
        if "name" not in cols or "amount" not in cols:
            skipped.append(sheet.name)
            continue
        if not ({"village", "village_group", "address"} & set(cols)):
            if village:
                plan.village, plan.village_from = village, "导入时选择"
            else:
                sv = finder.in_text(sheet.name)[0] or finder.split(sheet.name)[0]
                title = [v for row in rows[:max(plan.header.row, 0)] for v in row if type(v) is str]
                tv = next((finder.in_text(t)[0] for t in title if finder.in_text(t)[0]), "")
                if sv in finder.known:
                    plan.village, plan.village_from = sv, "工作表名称"
                elif tv:
                    plan.village, plan.village_from = tv, "标题"
                else:
                    plan.village, plan.village_from = _clean_village(sheet.name), "工作表名称"
                    if any(w in plan.village for w in SUMMARY_SHEET_WORDS):
                        skipped.append(sheet.name)
                        continue
        plans.append(plan)
    return plans, skipped


def household_of(plans: list[SheetPlan]) -> tuple[bool, str]:
    """(household list?, the persons column's word) from the columns the list was read with.

    A household list names its rows by 户主 and counts persons (家庭人口 / 保障人口 / 人数) in
    the quantity column: its notice heads the name column 户主 and prints that column under
    the list's own word. A list of persons, or of 户主 with areas, prints as before.
    """
    for plan in plans:
        name = plan.header.labels.get("name") or ""
        qty = plan.header.labels.get("quantity") or ""
        if "户主" in name and ("人口" in qty or "人数" in qty):
            own = re.sub(r"[(（][^)）]*[)）]", "", qty).strip()  # 保障人口(人) → 保障人口
            if 2 <= len(own) <= 6:
                return True, own
            return True, "保障人口" if "保障" in qty else "家庭人口" if "家庭" in qty else "人数"
    return False, ""
