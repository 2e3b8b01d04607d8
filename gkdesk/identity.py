"""居民身份证号码 (GB 11643-1999): validation, 15→18 upgrade, and masking.

The check code is ISO 7064 MOD 11-2. A 15-digit first-generation number is upgraded by
inserting "19" before its YYMMDD and computing the check code. Masking is a policy for
anything shown or printed: full ID and account numbers never leave the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"
_DIGITS = frozenset("0123456789")


def check_code(first17: str) -> str:
    """The 18th character for the given first 17 digits."""
    return CHECK_CODES[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class IdCheck:
    """Outcome of :func:`check_id`: the normalised number (or None) and what was wrong or changed."""

    number: str | None
    error: str | None = None
    upgraded: bool = False  # a 15-digit number was converted to 18 digits


def _birth(digits8: str, today: date | None) -> date | None:
    try:
        d = date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        return None
    if d.year < 1850 or d > (today or date.today()):
        return None
    return d


def upgrade15(id15: str) -> str:
    """Convert a first-generation 15-digit number to 18 digits (born in the 1900s)."""
    body = id15[:6] + "19" + id15[6:15]
    return body + check_code(body)


def check_id(value: str, today: date | None = None) -> IdCheck:
    """Validate an ID as typed (already trimmed and half-width). Accepts lower-case x.

    Errors are Chinese sentences suitable for a report cell.
    """
    s = value.strip().upper()
    if len(s) == 15 and set(s) <= _DIGITS:
        if _birth("19" + s[6:12], today) is None:
            return IdCheck(None, f"身份证号“{value}”中的出生日期无效")
        return IdCheck(upgrade15(s), upgraded=True)
    if len(s) != 18:
        return IdCheck(None, f"身份证号“{value}”应为18位(当前{len(s)}位)")
    if not set(s[:17]) <= _DIGITS or not (s[17] in _DIGITS or s[17] == "X"):
        return IdCheck(None, f"身份证号“{value}”含有非法字符")
    if _birth(s[6:14], today) is None:
        return IdCheck(None, f"身份证号“{value}”中的出生日期{s[6:10]}-{s[10:12]}-{s[12:14]}不存在或晚于今天")
    expected = check_code(s[:17])
    if s[17] != expected:
        return IdCheck(None, f"身份证号“{value}”校验位错误(应为{expected})")
    return IdCheck(s)


def is_valid_id(value: str, today: date | None = None) -> bool:
    r = check_id(value, today)
    return r.number is not None and not r.upgraded


def birth_date(id18: str) -> date:
    return date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def sex(id18: str) -> str:
    """"男" or "女" from the sequence code's parity (odd = male)."""
    return "男" if int(id18[16]) % 2 else "女"


def make_id(area: str, born: date, seq: int) -> str:
    """Build a valid 18-digit number (demo data, tests). ``seq`` 0..999, odd = male."""
    body = f"{area[:6]}{born:%Y%m%d}{seq:03d}"
    return body + check_code(body)


# Masking -------------------------------------------------------------------------

MASK_PATTERNS = {
    "first6last4": "保留前6位和后4位",
    "hide_birth": "隐藏出生日期(第7–14位)",
    "first3last4": "保留前3位和后4位",
    "first1last1": "仅保留首尾各1位",
}


def _mask(value: str, keep_head: int, keep_tail: int, star: str = "*") -> str:
    n = len(value)
    if n <= keep_head + keep_tail:
        return star * n
    return value[:keep_head] + star * (n - keep_head - keep_tail) + (value[n - keep_tail:] if keep_tail else "")


def mask_id(id_number: str | None, pattern: str = "first6last4") -> str:
    """An ID for display: e.g. ``513101********0014`` (first6last4, the default)."""
    if not id_number:
        return ""
    if pattern == "first6last4":
        return _mask(id_number, 6, 4)
    if pattern == "hide_birth":
        return id_number[:6] + "*" * 8 + id_number[14:] if len(id_number) == 18 else _mask(id_number, 6, 4)
    if pattern == "first3last4":
        return _mask(id_number, 3, 4)
    if pattern == "first1last1":
        return _mask(id_number, 1, 1)
    raise ValueError(f"unknown mask pattern {pattern!r}; known: {', '.join(MASK_PATTERNS)}")


def mask_account(account_number: str | None) -> str:
    """An account number for display: last 4 digits only (``**** 1234``)."""
    if not account_number:
        return ""
    return "****" + account_number[-4:] if len(account_number) > 4 else "*" * len(account_number)


def mask_name(name: str | None) -> str:
    """For online/query output only (notice boards print names in full): 张*, 欧阳**."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else name
