"""Parsing a 公开时限 phrase into a rule the due-date code can compute with.

Directories write deadlines in free Chinese ("自政府信息形成或者变更之日起20个工作日内",
"每季度首月20日", "1月31日前", "及时公开", "长期"). We recognise the phrase families
seen in real directories (REFERENCE §3.2) and keep the number *with its unit*. A
phrase we do not recognise stays text with a warning: we never invent a number.

A rule is a plain dict (it is stored as JSON on the item):
``{"kind": ..., "text": raw, ...}`` with kinds

- ``working_days``  n working days after the event (``anchor``: event | linked)
- ``natural_days``  n natural days after the event (civil-code roll-forward)
- ``window``        only a display window: ``window: {"n", "unit"}``
- ``periodic``      ``period`` month | quarter | half_year | year, optional
                    ``fixed_day`` (+ ``fixed_month_of_period``, 1-based) for "每季度首月20日"
- ``fixed_date``    ``month``/``day`` every year ("1月31日前", "6月底前")
- ``once``          a single deadline ``date`` (ISO) — "2023年9月底前" is not yearly
- ``months``        n months after the event ("最长不超过三个月")
- ``prompt``        及时/实时/随时 — no number; ``backstop_working_days`` = 20 (条例第二十六条)
- ``retention``     长期 / 任期内 / 6个月 (how long it stays up, not a deadline)
- ``reference``     同上 / 按…要求 / 从其规定 — points elsewhere, no computation
- ``text``          not recognised (``warning`` says so)

Any deadline kind may also carry ``window`` (e.g. "10个工作日内,公示7个工作日"), and
``also``: further rules written in the same cell with their condition text
("…20个工作日内;行政许可、行政处罚信息7个工作日内" keeps both).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

UNIT_WORKING = "working"
UNIT_NATURAL = "natural"
UNIT_MONTH = "month"
UNIT_YEAR = "year"
UNIT_TEXT = {UNIT_WORKING: "个工作日", UNIT_NATURAL: "天", UNIT_MONTH: "个月", UNIT_YEAR: "年"}

LEGAL_BACKSTOP_WORKING_DAYS = 20  # 政府信息公开条例 第二十六条

PERIOD_LABELS = {"month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}
KIND_LABELS = {
    "working_days": "事件后工作日", "natural_days": "事件后自然日", "window": "公示期",
    "periodic": "定期", "fixed_date": "固定日期", "once": "一次性期限", "months": "事件后月数", "prompt": "及时公开", "retention": "公开时长",
    "reference": "参照其他规定", "text": "未能识别",
}

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_NUM = r"(\d+|[零〇一二两三四五六七八九十百]+)"


def cn_number(s: str) -> int:
    """'20' / '二十' / '十五' / '七' → int."""
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation → half-width) and no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


_WINDOW = re.compile(
    r"(?:公示期?(?:时间|期限)?(?:为|不少于|不得少于|不低于)?|公告期?(?:限)?为?|张榜公示|不少于|不得少于)"
    r"[((]?" + _NUM + r"(个工作日|工作日|天|日|个月)[))]?"
)
_WORKING = re.compile(_NUM + r"个?工作日(?:内|以内)?")
_NATURAL = re.compile(r"(?<![月\d])" + _NUM + r"(?:个自然日|自然日|日|天)(?:内|以内)")
_NATURAL_BARE = re.compile(_NUM + r"(?:个自然日|自然日)(?:内|以内)?")
_FIXED_DAY_IN_PERIOD = re.compile(r"每(?:个)?(季度|半年|年)的?(?:首|第一)个?月(?:的)?" + _NUM + r"日")
_MONTHLY_DAY = re.compile(r"每(?:个)?月" + r"(?:的)?" + _NUM + r"日")
_PERIODIC = re.compile(r"(每(?:个)?月|按月|月度|每(?:个)?季度|按季度?|季度|每半年|半年度?|每年度?|按年度?|年度"
                       r"|半年公开|季公开|月公开|年公开)")
_EVERY_N_MONTHS = re.compile(r"每" + _NUM + r"个月")
_N_MONTHS = re.compile(r"(?:(?:最长|最迟)?不(?:得)?超过" + _NUM + r"个月|" + _NUM + r"个月(?:内|以内))")
_WEEKS = re.compile(r"(?<!提前)" + _NUM + r"(?:个)?(?:周|星期)(?:内|以内)")
_ONCE_DAY = re.compile(r"(\d{4})年" + _NUM + r"月" + _NUM + r"日(?:前|之前|以前)")
_ONCE_MONTH_END = re.compile(r"(\d{4})年" + _NUM + r"月(?:底|末)(?:前|之前|以前)?")
_CLAUSES = re.compile(r"[;;。\n()()]+")
_FIXED_DATE = re.compile(_NUM + r"月" + _NUM + r"日(?:前|之前|以前)")
_MONTH_END = re.compile(_NUM + r"月(?:底|末)(?:前|之前)?")
_PROMPT = re.compile(r"(及时|实时|随时|即时)")
_RETENTION = re.compile(r"^(?:保持)?(长期(?:,?最新有效)?|最新有效|任期内|常年|" + _NUM + r"(?:个月|年))(?:公开)?$")
_REFERENCE = re.compile(r"(同上|按.{1,20}要求|从其规定|相关政策文件|按有关规定|按照有关规定|依照有关规定)")
_LINKED = re.compile(r"(关联|相关)(?:规范性)?文件(?:公开|发布|印发)")


def _unit(word: str) -> str:
    if "工作日" in word:
        return UNIT_WORKING
    if "月" in word:
        return UNIT_MONTH
    return UNIT_NATURAL


def parse(text: str | None) -> dict[str, Any]:
    """Parse one 公开时限 cell. Empty text gives kind ``text`` with no warning.

    A cell with several clauses ("…20个工作日内;行政许可、行政处罚信息7个工作日内") gives the
    first deadline as the rule and keeps every further deadline under ``also`` with its
    condition, so nothing written in the cell is dropped."""
    raw = (text or "").strip()
    rule = _parse_one(raw)
    clauses = [c for c in _CLAUSES.split(raw) if c.strip()]
    if len(clauses) > 1 and rule.get("kind") in DEADLINE_KINDS:
        first = _parse_one(clauses[0])
        also = []
        for c in clauses[1:]:
            sub = _parse_one(c)
            if sub.get("kind") in DEADLINE_KINDS and (first.get("kind") not in DEADLINE_KINDS or
                                                        _key(sub) != _key(first)):
                sub.pop("text", None)
                also.append({"condition": _condition(c), **sub})
        if also and first.get("kind") in DEADLINE_KINDS:
            rule = {**first, "text": raw}
            rule["also"] = also
    return rule


DEADLINE_KINDS = ("working_days", "natural_days", "months", "periodic", "fixed_date", "once")


def _key(rule: dict[str, Any]) -> tuple:
    return tuple(rule.get(k) for k in ("kind", "n", "period", "month", "day", "date"))


def _condition(clause: str) -> str:
    """The words before the deadline of a further clause: who or what it applies to."""
    c = normalise(clause)
    m = re.search(r"自|从|在|于|每|按|" + _NUM, c)
    head = c[: m.start()] if m and m.start() > 0 else c
    return re.sub(r"^[,,、::\s]+|[,,、::\s]+$", "", head) or c


def _parse_one(raw: str) -> dict[str, Any]:
    raw = raw.strip()
    s = normalise(raw)
    rule: dict[str, Any] = {"text": raw}
    if not s:
        rule["kind"] = "text"
        return rule

    # A display window inside the phrase is kept apart from the deadline itself.
    window = None
    m = _WINDOW.search(s)
    if m:
        window = {"n": cn_number(m.group(1)), "unit": _unit(m.group(2))}
        rest = s[: m.start()] + "|" + s[m.end():]
    else:
        rest = s

    m = _ONCE_DAY.search(rest) or _ONCE_MONTH_END.search(rest)
    if m:
        year, month = int(m.group(1)), cn_number(m.group(2))
        day = cn_number(m.group(3)) if m.re is _ONCE_DAY else _MONTH_LAST_DAY.get(month, 0)
        if 1 <= month <= 12 and 1 <= day <= 31 and 2000 <= year <= 2100:
            rule.update(kind="once", date=f"{year:04d}-{month:02d}-{day:02d}")
            return _with_window(rule, window)
    m = _EVERY_N_MONTHS.search(rest)
    if m and cn_number(m.group(1)) in _MONTHS_TO_PERIOD:
        rule.update(kind="periodic", period=_MONTHS_TO_PERIOD[cn_number(m.group(1))])
        return _with_window(rule, window)
    m = _FIXED_DAY_IN_PERIOD.search(rest)
    if m:
        period = {"季度": "quarter", "半年": "half_year", "年": "year"}[m.group(1)]
        rule.update(kind="periodic", period=period, fixed_month_of_period=1, fixed_day=cn_number(m.group(2)))
        return _with_window(rule, window)
    m = _MONTHLY_DAY.search(rest)
    if m:
        rule.update(kind="periodic", period="month", fixed_day=cn_number(m.group(1)))
        return _with_window(rule, window)

    m = _WORKING.search(rest)
    if m:
        rule.update(kind="working_days", n=cn_number(m.group(1)), unit=UNIT_WORKING,
                    anchor="linked" if _LINKED.search(rest) else "event")
        return _with_window(rule, window)
    m = _NATURAL.search(rest) or _NATURAL_BARE.search(rest)
    if m:
        rule.update(kind="natural_days", n=cn_number(m.group(1)), unit=UNIT_NATURAL, anchor="event")
        return _with_window(rule, window)

    m = _N_MONTHS.search(rest)
    if m:
        rule.update(kind="months", n=cn_number(m.group(1) or m.group(2)), unit=UNIT_MONTH, anchor="event")
        return _with_window(rule, window)
    m = _WEEKS.search(rest)
    if m:
        rule.update(kind="natural_days", n=7 * cn_number(m.group(1)), unit=UNIT_NATURAL, anchor="event")
        return _with_window(rule, window)

    m = _FIXED_DATE.search(rest)
    if m:
        month, day = cn_number(m.group(1)), cn_number(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            rule.update(kind="fixed_date", month=month, day=day)
            return _with_window(rule, window)
    m = _MONTH_END.search(rest)
    if m:
        month = cn_number(m.group(1))
        if 1 <= month <= 12:
            rule.update(kind="fixed_date", month=month, day=_MONTH_LAST_DAY[month])
            return _with_window(rule, window)

    m = _PERIODIC.search(rest)
    if m:
        word = m.group(1)
        if "半年" in word:
            period = "half_year"
        elif "季" in word:
            period = "quarter"
        elif "月" in word:
            period = "month"
        else:
            period = "year"
        rule.update(kind="periodic", period=period)
        return _with_window(rule, window)

    if _PROMPT.search(rest):
        rule.update(kind="prompt", backstop_working_days=LEGAL_BACKSTOP_WORKING_DAYS)
        return _with_window(rule, window)

    m = _RETENTION.match(re.sub(r"[。;;]+$", "", s))
    if m:
        rule.update(kind="retention", duration=m.group(1))
        d = re.match(_NUM + r"(个月|年)$", m.group(1))
        if d:
            rule.update(n=cn_number(d.group(1)), unit=UNIT_MONTH if "月" in d.group(2) else UNIT_YEAR)
        return rule

    if window is not None:
        rule.update(kind="window", window=window)
        return rule
    if _REFERENCE.search(s):
        rule["kind"] = "reference"
        return rule
    rule.update(kind="text", warning=f"无法识别公开时限“{raw}”,按文字保存,不计算期限")
    return rule


_MONTHS_TO_PERIOD = {1: "month", 3: "quarter", 6: "half_year", 12: "year"}

# February is taken as 28: "2月底前" in a leap year then falls a day early, never late.
_MONTH_LAST_DAY = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def _with_window(rule: dict[str, Any], window: dict[str, Any] | None) -> dict[str, Any]:
    if window is not None:
        rule["window"] = window
    return rule


def describe(rule: dict[str, Any]) -> str:
    """Short Chinese description of a parsed rule, for lists and the detail pane."""
    text = _describe(rule)
    for extra in rule.get("also") or []:
        text += f";{extra.get('condition', '')}:{_describe(extra)}"
    return text


def _describe(rule: dict[str, Any]) -> str:
    kind = rule.get("kind", "text")
    win = rule.get("window")
    wtext = f",公示{win['n']}{UNIT_TEXT[win['unit']]}" if win else ""
    if kind == "working_days":
        anchor = "关联文件公开后" if rule.get("anchor") == "linked" else "信息形成后"
        return f"{anchor}{rule['n']}个工作日内{wtext}"
    if kind == "natural_days":
        return f"信息形成后{rule['n']}日内{wtext}"
    if kind == "window":
        return f"公示{win['n']}{UNIT_TEXT[win['unit']]}(期限按{LEGAL_BACKSTOP_WORKING_DAYS}个工作日)" if win else "公示期"
    if kind == "periodic":
        base = PERIOD_LABELS[rule["period"]]
        if rule.get("fixed_day"):
            if rule["period"] == "month":
                return f"{base}{rule['fixed_day']}日前(上月信息){wtext}"
            return f"{base}首月{rule['fixed_day']}日前(上期信息){wtext}"
        return f"{base}(期末前){wtext}"
    if kind == "months":
        return f"信息形成后{rule['n']}个月内{wtext}"
    if kind == "once":
        y, m, d = (int(x) for x in rule["date"].split("-"))
        return f"{y}年{m}月{d}日前(一次性){wtext}"
    if kind == "fixed_date":
        return f"每年{rule['month']}月{rule['day']}日前{wtext}"
    if kind == "prompt":
        return f"及时公开(最迟{rule.get('backstop_working_days', LEGAL_BACKSTOP_WORKING_DAYS)}个工作日){wtext}"
    if kind == "retention":
        return f"公开时长:{rule.get('duration', rule.get('text', ''))}"
    if kind == "reference":
        return "参照其他规定(不计算期限)"
    return "未能识别(不计算期限)" if rule.get("text") else "未填写"
