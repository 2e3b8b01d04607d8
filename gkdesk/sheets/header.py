"""Finding the header row of a table under title rows, by matching column synonyms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_SPACE = re.compile(r"\s+")


#: A header is looked for in a sheet's first rows only (a title and notes may come before it).
SCAN_ROWS = 30

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
    first_row: int | None = None  # 0-based first header row when the header spans two rows


def find_header(
    rows: Sequence[Sequence[Any]],
    synonyms: Mapping[str, Sequence[str]],
    required: Sequence[str],
    scan_rows: int = SCAN_ROWS,
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


def _match_row(cells: list[str], norm_syn: dict[str, list[str]],
               alt: list[str] | None = None) -> tuple[dict[str, int], dict[str, str]]:
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    for field_name, names in norm_syn.items():
        col = _match(cells, names, taken=set(columns.values()))
        source = cells
        if col is None and alt is not None:
            col = _match(alt, names, taken=set(columns.values()))
            source = alt
        if col is not None:
            columns[field_name] = col
            labels[field_name] = source[col]
    return columns, labels


def find_header_rows(
    rows: Sequence[Sequence[Any]],
    synonyms: Mapping[str, Sequence[str]],
    required: Sequence[str],
    scan_rows: int = SCAN_ROWS,
) -> HeaderMatch | None:
    """Like :func:`find_header`, but also accepts a two-row header.

    A two-row header puts a group title over sub-columns (“补贴资金” over “标准 | 金额”);
    after merged cells are filled, each column is read as its lower text, else its upper
    text, else the two joined (“补贴面积” + “(亩)”). Every single row and every pair of
    rows in the first ``scan_rows`` is scored by the number of fields it maps; the best
    one holding all required fields wins, a single row on a tie (title rows above a
    one-row header must not pair with it).
    """
    norm_syn = {f: [normalise_header(s) for s in names] for f, names in synonyms.items()}
    norm_rows = [[normalise_header(v) for v in row] for row in rows[:scan_rows + 1]]
    best: tuple[int, int, HeaderMatch] | None = None  # (score, single-row bonus, match)
    for i in range(min(scan_rows, len(norm_rows))):
        upper = norm_rows[i]
        columns, labels = _match_row(upper, norm_syn)
        if all(f in columns for f in required):
            cand = (len(columns), 1, HeaderMatch(row=i, columns=columns, labels=labels))
            if best is None or cand[:2] > best[:2]:
                best = cand
        if i + 1 < len(norm_rows):
            lower = norm_rows[i + 1]
            width = max(len(upper), len(lower))
            up = upper + [""] * (width - len(upper))
            lo = lower + [""] * (width - len(lower))
            combined = [lo[j] or up[j] for j in range(width)]
            joined = [up[j] + lo[j] if up[j] != lo[j] else up[j] for j in range(width)]
            columns, labels = _match_row(combined, norm_syn, alt=joined)
            if all(f in columns for f in required):
                cand = (len(columns), 0, HeaderMatch(row=i + 1, columns=columns, labels=labels, first_row=i))
                if best is None or cand[:2] > best[:2]:
                    best = cand
    return best[2] if best else None
