"""What the import wizard shows before anything is validated: sheets, header, mapping, sample rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gkdesk.errors import UnreadableInput
from gkdesk.payouts.parse import SheetPlan, plan_sheets
from gkdesk.sheets.header import HeaderMatch
from gkdesk.sheets.normalise import cell_text
from gkdesk.sheets.reader import read_workbook
from gkdesk.sheets.synonyms import FIELD_LABELS


@dataclass
class SheetPreview:
    name: str
    header_row: int  # Excel row number of the (last) header row
    village: str | None  # the village the sheet stands for, when it has no village column
    headers: list[str]  # header text of every column
    mapping: dict[str, int]  # field -> 0-based column
    sample: list[list[str]] = field(default_factory=list)
    unsure: bool = False  # columns guessed from content: the clerk should confirm them
    layout: str | None = None  # the saved layout that applied
    notes: list[str] = field(default_factory=list)  # competitions settled by a rule


@dataclass
class FilePreview:
    file: str
    sheets: list[SheetPreview]
    skipped: list[str]
    fields: dict[str, str] = field(default_factory=lambda: dict(FIELD_LABELS))


def preview_file(path: str | Path, sample_rows: int = 8, known: Any = (), layouts: Any = None) -> FilePreview:
    path = Path(path)
    sheets = read_workbook(path)
    plans, skipped = plan_sheets(sheets, path.name, known=known, layouts=layouts)
    if not plans:
        plans = _unknown_plan(sheets, known)
        skipped = [n for n in skipped if not plans or n != plans[0].name]
        if not plans:
            raise UnreadableInput(f"文件“{path.name}”不像补贴发放名单:找不到表头或数据行")
    by_name = {s.name: s for s in sheets}
    out = []
    for p in plans:
        rows = by_name[p.name].rows
        h = p.header.row
        first = p.header.first_row if p.header.first_row is not None else h
        width = max([len(r) for r in rows[max(first, 0):h + 1]] + [len(r) for r in rows[h + 1:h + 1 + sample_rows]])
        headers = []
        for c in range(width):
            parts = [cell_text(rows[i][c]) for i in range(max(first, 0), h + 1) if c < len(rows[i])]
            text = "/".join(dict.fromkeys(x for x in parts if x))
            headers.append(text.replace("\n", "") or f"第{c + 1}列")
        sample = [[_masked(cell_text(v)) for v in r[:width]] for r in rows[h + 1:h + 1 + sample_rows]]
        out.append(SheetPreview(p.name, h + 1, p.village, headers, dict(p.header.columns), sample,
                                unsure=p.unsure, layout=p.layout, notes=list(p.notes)))
    return FilePreview(path.name, out, skipped)


def describe_mapping(sp: SheetPreview) -> list[tuple[str, str]]:
    return [(FIELD_LABELS[f], sp.headers[c]) for f, c in sp.mapping.items() if c < len(sp.headers)]




def _unknown_plan(sheets: list[Any], known: Any = ()) -> list[SheetPlan]:
    """A list the importer cannot take alone: its guesses (whatever content showed) under the
    header found, else the first non-empty row as the header, for the clerk to complete."""
    from gkdesk.payouts.columns import choose_columns
    from gkdesk.payouts.places import PlaceFinder
    from gkdesk.sheets.header import find_header_rows
    from gkdesk.sheets.synonyms import PAYOUT_COLUMNS, REQUIRED

    finder = PlaceFinder(known)
    for sheet in sheets:
        choice = choose_columns(sheet.rows, find_header_rows(sheet.rows, PAYOUT_COLUMNS, REQUIRED), finder, partial=True)
        if choice is not None and choice.columns:
            return [SheetPlan(sheet.name, choice.as_header(), notes=choice.notes, unsure=True)]
    for sheet in sheets:
        for r, row in enumerate(sheet.rows[:30]):
            if sum(1 for v in row if v not in ("", None)) >= 2:
                return [SheetPlan(sheet.name, HeaderMatch(row=r, columns={}, labels={}), unsure=True)]
    return []


def _masked(text: str) -> str:
    """IDs and account numbers in the sample rows shown masked (the window is seen over shoulders)."""
    from gkdesk.identity import mask_account, mask_id

    t = text.strip()
    if len(t) == 18 and t[:17].isdigit():
        return mask_id(t)
    if 15 <= len(t) <= 19 and t.isdigit():
        return mask_account(t)
    if len(t) == 11 and t.isdigit() and t[0] == "1":  # a mobile number
        return f"{t[:3]}****{t[-4:]}"
    return text
