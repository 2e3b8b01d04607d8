"""Safe normalisations of cell values: full-width → half-width, spaces, money as text.

Each function returns the normalised value and whether it changed something the clerk
should hear about (the importer turns that into a warning naming row and column).
The payout importer only calls these on its slow path: plain numbers and clean text
are handled inline.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_MONEY_NOISE = re.compile(r"[\s\u3000¥￥]|元$|圆$|元整$")
# Commas only as thousands separators: “1,234.50” yes; “12,5” or “1.234,50” (a decimal comma
# from a European-locale export) would be a guess about money, so they are refused.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_GROUP_NUM = re.compile(r"(\d+)")
_MONTH = re.compile(r"^(?:(\d{4})\s*[-年./]?\s*)?(\d{1,2})\s*月?(?:份)?$")
_YYYYMM = re.compile(r"^(\d{4})(\d{2})$")


def half_width(text: str) -> str:
    """Full-width digits, letters and brackets → ASCII (NFKC keeps CJK characters as they are)."""
    return unicodedata.normalize("NFKC", text)


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0``, None/"" as ""."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def clean_name(value: Any) -> tuple[str, bool]:
    """A person's name: half-width, all spaces (also inner and ideographic) removed."""
    raw = "" if value is None else str(value)
    text = _SPACES.sub("", half_width(raw))
    return text, text != raw


_TEXT_MARKS = "'‘’`"  # typed before (or after) a number to keep it as text in Excel/WPS
_EXCEL_TEXT = re.compile(r'^="(.*)"$')  # how exporters keep a number as text in CSV: ="5117…"


def clean_code(value: str) -> tuple[str, bool]:
    """An ID or account number typed as text: half-width, no spaces, x → X, without the
    apostrophe or ="…" that kept it as text."""
    text = _SPACES.sub("", half_width(value)).replace("-", "")
    m = _EXCEL_TEXT.match(text)
    if m:
        text = m.group(1)
    text = text.strip(_TEXT_MARKS).upper()
    return text, text != value


def parse_decimal(value: Any) -> tuple[Decimal | None, bool]:
    """A number from a cell. Text like "1,234.50元" or "１２３.５" → Decimal, flagged as changed.

    Returns (None, False) for an empty cell; raises ValueError for text that is no number.
    """
    if value is None or value == "":
        return None, False
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return Decimal(value), False
    if isinstance(value, float):
        return Decimal(repr(value)), False
    text = str(value)
    cleaned = _MONEY_NOISE.sub("", half_width(text).strip())
    if not cleaned:
        return None, False
    if "," in cleaned:
        if not _THOUSANDS.fullmatch(cleaned):
            raise ValueError(text)
        cleaned = cleaned.replace(",", "")
    try:
        d = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not d.is_finite():
        raise ValueError(text)
    return d, cleaned != text


def parse_group(value: Any) -> tuple[str, int | None]:
    """“3组”, “第三村民小组”, 3.0 → ("3组", 3); unrecognised text is kept as the name."""
    if value is None or value == "":
        return "", None
    if isinstance(value, float | int) and not isinstance(value, bool):
        n = int(value)
        return f"{n}组", n
    text = _SPACES.sub("", half_width(str(value)))
    m = _GROUP_NUM.search(text)
    if m:
        n = int(m.group(1))
        return (f"{n}组" if re.fullmatch(r"第?\d+(组|村民小组|小组|社)?", text) else text), n
    core = text.removeprefix("第").removesuffix("村民小组").removesuffix("小组").removesuffix("组")
    if core in _CN_NUM:
        n = _CN_NUM[core]
        return f"{n}组", n
    if len(core) == 2 and core[0] == "十" and core[1] in _CN_NUM:
        n = 10 + _CN_NUM[core[1]]
        return f"{n}组", n
    return text, None


def parse_month(value: Any, year: int) -> str | None:
    """A payout month as "YYYY-MM": 10, "10月", "2026年10月", "2026-10", 202610, a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float | int) and not isinstance(value, bool):
        n = int(value)
        if 1 <= n <= 12:
            return f"{year:04d}-{n:02d}"
        value = str(n)
    text = _SPACES.sub("", half_width(str(value)))
    m = _YYYYMM.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(1)}-{m.group(2)}"
    m = _MONTH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1) or year):04d}-{int(m.group(2)):02d}"
    return None
