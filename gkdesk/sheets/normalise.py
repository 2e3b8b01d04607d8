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


_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]?")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_NUM = r"[0-9一二两三四五六七八九十〇零]+"
# A group part: 第六组, 6组, 3社, 第6村民小组, 七队 (old production teams), 二小组
_GROUP = re.compile(rf"^第?({_NUM})(村民小组|小组|组|社|队)?$")


def cn_number(text: str) -> int | None:
    """"六" → 6, "十二" → 12, "二十三" → 23, "12" → 12; None for anything else."""
    if text.isdigit():
        return int(text) if text.isascii() else int(unicodedata.normalize("NFKC", text))
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return None
    if "十" not in text:
        n = 0
        for c in text:  # 一〇 → 10 (rare, written digit by digit)
            n = n * 10 + _CN_DIGITS[c]
        return n
    head, _, tail = text.partition("十")
    if "十" in tail:
        return None
    tens = _CN_DIGITS.get(head, -1) if head else 1
    ones = _CN_DIGITS.get(tail, -1) if tail else 0
    return None if tens < 0 or ones < 0 else tens * 10 + ones


def parse_group_text(text: str) -> tuple[str, int | None] | None:
    """A group as written → (normalised name, number); None if the text is no group."""
    m = _GROUP.match(text)
    if not m:
        return None
    n = cn_number(m.group(1))
    if n is None or n <= 0 or n > 999:
        return None
    word = "社" if m.group(2) == "社" else "组"
    return f"{n}{word}", n


def clean_place(value: Any) -> str:
    """Half-width, no spaces, old names in brackets dropped ("(原红岩大队)")."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))
    stripped = _BRACKETS.sub("", text)
    return stripped or text


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
    """“3组”, “第三村民小组”, “六组”, “第十二组”, 3.0 → ("3组", 3); “3社” → ("3社", 3) (where the
    county says 社); an old name in brackets is dropped; unrecognised text is kept as the name."""
    if value is None or value == "":
        return "", None
    if isinstance(value, float | int) and not isinstance(value, bool):
        if not 0 < value < 1000:
            return nz_text(value), None
        n = int(value)
        return f"{n}组", n
    g = parse_group_text(clean_place(value))
    if g is not None:
        return g
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


def nz_text(value: Any) -> str:
    return cell_text(value)


def parse_month(value: Any, year: int) -> str | None:
    """A payout month as "YYYY-MM": 10, "10月", "2026年10月", "2026-10", 202610, a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float | int) and not isinstance(value, bool):
        if not -1e9 < value < 1e9 or value != value:
            return None
        n = int(value)
        if 1 <= n <= 12:
            return f"{year:04d}-{n:02d}"
        value = str(n)
    text = _SPACES.sub("", half_width(str(value)))
    m = _YYYYMM.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return _plausible(int(m.group(1)), int(m.group(2)))
    if text.isdigit() and len(text) > 2:  # 99999, 20261: no separator, no way to tell year from month
        return None
    m = _MONTH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return _plausible(int(m.group(1) or year), int(m.group(2)))
    return None


def _plausible(year: int, month: int) -> str | None:
    """Years a payout can belong to (a typo like 9999 or 0202 is no month)."""
    return f"{year:04d}-{month:02d}" if 1990 <= year <= 2100 else None
