"""What personal data a notice may show (REFERENCE §5.4).

Default policy ``none``: no ID, account or phone at all (the subsidy notices seen in
the field show none). ``id-partial``: the ID with its middle hidden, by the county's
pattern (``gkdesk.identity.MASK_PATTERNS``; default first6last4, which hides the birth
date and sequence number). Account and phone numbers are never printed.
"""

from __future__ import annotations

import re

from gkdesk import identity
from gkdesk.errors import InputRejected
from gkdesk.identity import MASK_PATTERNS
from gkdesk.settings import TextOption

MASK_NONE = "none"
MASK_ID_PARTIAL = "id-partial"
MASK_POLICIES = (MASK_NONE, MASK_ID_PARTIAL)
MASK_LABELS = {MASK_NONE: "不显示身份证号", MASK_ID_PARTIAL: "显示部分身份证号"}

ID_MASK_PATTERN = TextOption("notices.id_mask_pattern", "first6last4")

ID_RE = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")
ACCOUNT_RE = re.compile(r"^\d{12,19}$")
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

ID_HEADERS = ("身份证", "证件号", "公民身份号码", "身份号码")
ACCOUNT_HEADERS = ("账号", "帐号", "卡号", "一卡通", "社保卡", "存折", "银行账户", "开户账号")
PHONE_HEADERS = ("电话", "手机", "联系方式")


def check_policy(policy: str) -> str:
    if policy not in MASK_POLICIES:
        raise InputRejected(f"不支持的脱敏方式“{policy}”:只能是 none(不显示身份证号)或 id-partial(部分显示)")
    return policy


def check_pattern(pattern: str) -> str:
    if pattern not in MASK_PATTERNS:
        known = "、".join(f"{k}({v})" for k, v in MASK_PATTERNS.items())
        raise InputRejected(f"身份证脱敏规则“{pattern}”不认识,可选:{known}")
    return pattern


def mask_id(value: str, pattern: str = "first6last4") -> str:
    """``510123199001011234`` → ``510123********1234`` (the county's pattern, default first6last4)."""
    return identity.mask_id((value or "").strip(), check_pattern(pattern))


def normalise_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def classify_column(header: str, values: list[str]) -> str | None:
    """``id`` / ``account`` / ``phone`` if a column looks like personal numbers, else None."""
    h = header.replace(" ", "")
    if any(k in h for k in ID_HEADERS):
        return "id"
    if any(k in h for k in ACCOUNT_HEADERS):
        return "account"
    if any(k in h for k in PHONE_HEADERS):
        return "phone"
    filled = [v.replace(" ", "") for v in values if v]
    if not filled:
        return None
    for kind, rx in (("id", ID_RE), ("account", ACCOUNT_RE), ("phone", PHONE_RE)):
        if sum(1 for v in filled if rx.match(v)) >= max(1, len(filled) // 2):
            return kind
    return None


# --- personal numbers hidden in any cell of a table notice ---------------------------------
# Written by hand they come in many forms: "511702.19610304.0558", with a zero-width space,
# a full-width comma or underscores ("6217_0000_1234_5678_901"), a 14-digit passbook number,
# a mobile number in 备注. All are found on the digits, whatever separates them.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_FULLWIDTH = {ord(c): ord("0") + i for i, c in enumerate("0123456789")}
_FULLWIDTH |= {ord("X"): ord("X"), ord("x"): ord("x")}
_SEP = r"[ \u3000.\-_,,、·/]"
DIGIT_RUN = re.compile(rf"(?<![\d*])\d(?:{_SEP}?\d)*(?:{_SEP}?[Xx])?(?![\d*])")
DATE_LIKE = re.compile(r"^(?:(?:19|20)\d{2}[.\-/年]?[01]?\d[.\-/月]?[0-3]?\d日?[\s~\-至]*){1,2}$")
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{9,11}$")


def clean_digits(text: str) -> str:
    """Zero-width characters removed and full-width digits made ASCII (what a reader sees)."""
    return text.translate(_INVISIBLE).translate(_FULLWIDTH)


def _hidden(digits: str) -> str:
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def scrub_personal(text: str, pattern: str = "first6last4") -> tuple[str, set[str]]:
    """``text`` with every ID, account, passbook or phone number masked; and the kinds found.

    An 18/15-digit ID keeps the county's masking pattern; other long numbers (accounts,
    passbooks ≥ 14 digits) keep their first 3 and last 4 digits; a phone its first 3 and
    last 4. Amounts ("1,234,567.89"), dates and date ranges are left alone.
    """
    if not text or not any(ch.isdigit() for ch in text):
        return text, set()
    src = clean_digits(text)
    kinds: set[str] = set()

    def repl(m: re.Match[str]) -> str:
        raw = m.group()
        digits = re.sub(r"[^\dXx]", "", raw)
        n = len(digits)
        if n < 11 or DATE_LIKE.match(raw):
            return raw
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw) or re.fullmatch(r"\d+\.\d{1,2}", raw):
            return raw  # an amount
        if ID_RE.match(digits):
            kinds.add("id")
            return identity.mask_id(digits.upper(), check_pattern(pattern))
        if MOBILE.match(digits) or LANDLINE.match(digits):
            kinds.add("phone")
            return _hidden(digits)
        if n >= 14 and digits.isdigit():
            kinds.add("account")
            return _hidden(digits)
        return raw

    out = DIGIT_RUN.sub(repl, src)
    return (out if kinds else text), kinds


def scrub_row(cells: list[str], pattern: str = "first6last4") -> tuple[list[str], set[str]]:
    """Every cell scrubbed, and a number split over two neighbouring cells caught as well."""
    out, kinds = [], set()
    for c in cells:
        s, k = scrub_personal(c, pattern)
        out.append(s)
        kinds |= k
    for i in range(len(out) - 1):
        a, b = clean_digits(out[i]).strip(), clean_digits(out[i + 1]).strip()
        if a and b and re.fullmatch(r"\d{4,}", a) and re.fullmatch(r"\d{3,}[Xx]?", b):
            joined, k = scrub_personal(a + b, pattern)
            if k:
                kinds |= k
                out[i], out[i + 1] = joined[:len(a)], joined[len(a):]
    return out, kinds
