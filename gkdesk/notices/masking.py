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
