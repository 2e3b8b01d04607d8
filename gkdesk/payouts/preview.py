"""What the import wizard shows before anything is validated: sheets, header, mapping, sample rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkdesk.errors import UnreadableInput
from gkdesk.payouts.parse import plan_sheets
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


@dataclass
class FilePreview:
    file: str
    sheets: list[SheetPreview]
    skipped: list[str]
    fields: dict[str, str] = field(default_factory=lambda: dict(FIELD_LABELS))


def preview_file(path: str | Path, sample_rows: int = 8) -> FilePreview:
    path = Path(path)
    sheets = read_workbook(path)
    plans, skipped = plan_sheets(sheets, path.name)
    if not plans:
        raise UnreadableInput(f"文件“{path.name}”不像补贴发放名单:找不到含“姓名”和“补贴金额”(或其同义词)的表头")
    by_name = {s.name: s for s in sheets}
    out = []
    for p in plans:
        rows = by_name[p.name].rows
        h = p.header.row
        first = p.header.first_row if p.header.first_row is not None else h
        width = max(len(r) for r in rows[first:h + 1])
        headers = []
        for c in range(width):
            parts = [cell_text(rows[i][c]) for i in range(first, h + 1) if c < len(rows[i])]
            text = "/".join(dict.fromkeys(x for x in parts if x))
            headers.append(text.replace("\n", "") or f"第{c + 1}列")
        sample = [[cell_text(v) for v in r[:width]] for r in rows[h + 1:h + 1 + sample_rows]]
        out.append(SheetPreview(p.name, h + 1, p.village, headers, dict(p.header.columns), sample))
    return FilePreview(path.name, out, skipped)


def describe_mapping(sp: SheetPreview) -> list[tuple[str, str]]:
    return [(FIELD_LABELS[f], sp.headers[c]) for f, c in sp.mapping.items() if c < len(sp.headers)]


