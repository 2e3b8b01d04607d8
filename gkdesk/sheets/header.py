"""Finding the header row of a table under title rows, by matching column synonyms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_SPACE = re.compile(r"\s+")


def normalise_header(value: Any) -> str:
    """Header text as compared: NFKC (full-width → half-width), no spaces or line breaks."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACE.sub("", text).strip()


@dataclass
class HeaderMatch:
    row: int  # 0-based index of the (last) header row
    columns: dict[str, int]  # field name -> 0-based column index
    labels: dict[str, str]  # field name -> header text as found


def find_header(
    rows: Sequence[Sequence[Any]],
    synonyms: Mapping[str, Sequence[str]],
    required: Sequence[str],
    scan_rows: int = 30,
) -> HeaderMatch | None:
    """Return the first row (within ``scan_rows``) holding every required field's synonym.

    ``synonyms`` maps a field to accepted header texts (compared after
    :func:`normalise_header`); an exact match wins over a prefix match such as
    "补贴金额(元)" for "补贴金额".
    """
    norm_syn = {f: [normalise_header(s) for s in names] for f, names in synonyms.items()}
    for i, row in enumerate(rows[:scan_rows]):
        cells = [normalise_header(v) for v in row]
        columns: dict[str, int] = {}
        labels: dict[str, str] = {}
        for field_name, names in norm_syn.items():
            col = _match(cells, names, taken=set(columns.values()))
            if col is not None:
                columns[field_name] = col
                labels[field_name] = cells[col]
        if all(f in columns for f in required):
            return HeaderMatch(row=i, columns=columns, labels=labels)
    return None


def _match(cells: list[str], names: list[str], taken: set[int]) -> int | None:
    for j, c in enumerate(cells):
        if j not in taken and c in names:
            return j
    for j, c in enumerate(cells):
        if j in taken or not c:
            continue
        for n in names:
            if c.startswith(n) and (len(c) == len(n) or c[len(n)] in "(（[【"):
                return j
    return None
