"""Whose duty an item is: this township's, a village's, or a county department's.

A township's directory lists every item of its domains, but the 公开层级 and 公开主体
columns say who publishes each one: 农机购置补贴 is 县级农业农村部门 only, 低保 审批信息 is
县级民政 (REAL-SOURCES §2). Only the township's own duties (and its villages', for
village-level items) count in what falls due; county-only items are listed apart as
"县级部门负责". A clerk may correct the derived duty per item (``CatalogueItem.duty``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

TOWNSHIP, VILLAGE, COUNTY = "township", "village", "county"
DUTIES = (TOWNSHIP, VILLAGE, COUNTY)
DUTY_LABELS = {TOWNSHIP: "本乡镇", VILLAGE: "村(社区)", COUNTY: "县级部门负责"}
DUTY_WORDS = {"本乡镇": TOWNSHIP, "乡镇": TOWNSHIP, "乡级": TOWNSHIP, "村": VILLAGE, "村级": VILLAGE,
              "县级": COUNTY, "县级部门": COUNTY, "县级部门负责": COUNTY}

_LEVEL_TOWNSHIP = re.compile(r"乡|镇|街道")
_LEVEL_VILLAGE = re.compile(r"村|社区|居")
_LEVEL_COUNTY = re.compile(r"县|区|市|省|国家")
_PUB_TOWNSHIP = re.compile(r"乡镇|乡人民政府|镇人民政府|乡政府|镇政府|街道|乡\(镇\)|本乡|本镇|乡镇人民政府")
_PUB_VILLAGE = re.compile(r"村民委员会|村委会|村\(居\)|行政村|居民委员会|居委会|村级|社区")
_PUB_COUNTY = re.compile(r"县|区级|部门|局|市级")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def derive(levels: Iterable[str], publisher: str) -> str:
    """The duty read from the ticked 公开层级 labels and the 公开主体 text.

    A township or village mention in either column makes it a local duty (the township
    and the county often publish together); county words alone make it the county's.
    An item that says nothing stays the township's, so nothing silently drops out of 到期提醒.
    """
    lv = [_norm(x) for x in levels if x]
    pub = _norm(publisher)
    if any(_LEVEL_TOWNSHIP.search(x) for x in lv) or _PUB_TOWNSHIP.search(pub):
        return TOWNSHIP
    if any(_LEVEL_VILLAGE.search(x) for x in lv) or _PUB_VILLAGE.search(pub):
        return VILLAGE
    if any(_LEVEL_COUNTY.search(x) for x in lv) or _PUB_COUNTY.search(pub):
        return COUNTY
    return TOWNSHIP


def of(item) -> str:
    """The item's duty: the clerk's correction when there is one, else derived."""
    return getattr(item, "duty", "") or derive(item.levels or [], item.publisher or "")


def counts(item) -> bool:
    """Whether the item counts in the township's 到期提醒 and completion figures."""
    return of(item) != COUNTY


def parse(text: str) -> str:
    """A duty from a clerk's word (本乡镇/村/县级, or the code); "" = derive again."""
    t = _norm(text)
    if t in ("", "auto", "自动", "按目录"):
        return ""
    if t in DUTIES:
        return t
    if t in DUTY_WORDS:
        return DUTY_WORDS[t]
    raise ValueError(t)
