"""One year's report: the tables (register counts, hand-entered figures), the texts, the checks.

:func:`build` assembles everything the faces show and the exports print; :func:`run_checks`
applies the 2021 format's integrity rules and the comparisons with last year. A failing
check blocks export until the clerk overrides it with a reason (kept with the report).
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gkdesk import township
from gkdesk.annual_report import tables as T
from gkdesk.disclosure import labels as L
from gkdesk.disclosure import register as _register  # noqa: F401  (its audit labels)
from gkdesk.disclosure.documents import agency_name
from gkdesk.errors import InputRejected
from gkdesk.models.disclosure import DisclosureAnnualReport

SECTIONS = ("一", "二", "三", "四", "五", "六")
SECTION_TITLES = {"一": "一、总体情况", "二": "二、主动公开政府信息情况", "三": "三、收到和处理政府信息公开申请情况",
                  "四": "四、政府信息公开行政复议、行政诉讼情况", "五": "五、存在的主要问题及改进情况",
                  "六": "六、其他需要报告的事项"}
#: sections whose text a clerk writes (and which must not be last year's text again)
TEXT_SECTIONS = ("一", "五", "六")


@dataclass
class Check:
    key: str
    name: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    override: str = ""  # the clerk's reason for exporting anyway

    @property
    def blocking(self) -> bool:
        return not self.ok and not self.override

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, "ok": self.ok, "problems": self.problems,
                "override": self.override}


@dataclass
class AnnualReport:
    year: int
    township: str
    agency: str
    table2: dict[str, Decimal | int | None]
    table3: T.Table3
    table3_register: T.Table3
    table4: T.Table4
    table4_register: T.Table4
    cell_overrides: dict[str, int]
    sections: dict[str, str]
    edited: set[str]
    fees: tuple[int, Decimal]
    checks: list[Check] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.agency}{self.year}年政府信息公开工作年度报告"

    @property
    def blocking(self) -> list[Check]:
        return [c for c in self.checks if c.blocking]

    def tables_dict(self) -> dict[str, Any]:
        return {"table2": {k: (str(v) if v is not None else None) for k, v in self.table2.items()},
                "table3": self.table3, "table4": self.table4}

    def to_dict(self) -> dict[str, Any]:
        return {"year": self.year, "township": self.township, "title": self.title, **self.tables_dict(),
                "hand_entered": sorted([f"table2.{k}" for k, v in self.table2.items() if v is not None]
                                       + list(self.cell_overrides)),
                "sections": self.sections, "edited_sections": sorted(self.edited),
                "fees": {"count": self.fees[0], "amount": str(self.fees[1])},
                "checks": [c.to_dict() for c in self.checks], "blocking": [c.key for c in self.blocking]}


# --- storage ------------------------------------------------------------------------------
def find_row(session: Session, township_id: str, year: int) -> DisclosureAnnualReport | None:
    return session.scalars(select(DisclosureAnnualReport).where(
        DisclosureAnnualReport.township_id == township_id, DisclosureAnnualReport.year == year,
        DisclosureAnnualReport.deleted_at.is_(None))).first()


def row_for(session: Session, township_id: str, year: int) -> DisclosureAnnualReport:
    row = find_row(session, township_id, year)
    if row is None:
        row = DisclosureAnnualReport(township_id=township_id, year=year, figures="{}", sections="{}",
                                     overrides="{}", tables="")
        session.add(row)
        session.flush()
    return row


def _json(text: str) -> dict[str, Any]:
    try:
        v = json.loads(text or "{}")
    except ValueError:
        return {}
    return v if isinstance(v, dict) else {}


def parse_figure(key: str, value: str) -> Decimal | int:
    """A hand-entered number: whole numbers, except the fee amount (万元, up to 4 decimals)."""
    decimal = next((d for k, *_x, d in T.T2_FIELDS if k == key), False) if key in T.T2_KEYS else False
    text = str(value).strip().replace(",", "")
    try:
        n = Decimal(text)
    except InvalidOperation:
        raise InputRejected(f"“{value}”不是数字") from None
    if n < 0:
        raise InputRejected(f"“{value}”是负数:年度报告的数字不能为负")
    if not decimal:
        if n != n.to_integral_value():
            raise InputRejected(f"“{value}”应为整数(件数)")
        return int(n)
    return n.quantize(Decimal("0.0001"))


def figure_label(key: str) -> str:
    if key.startswith("t3."):
        _t, row, col = key.split(".")
        return f"表三“{T.T3_ROW_LABELS[row]}”行“{T.T3_COL_LABELS[col]}”列"
    if key.startswith("t4."):
        _t, block, col = key.split(".")
        return f"表四“{T.T4_BLOCK_LABELS[block]}”的“{T.T4_COL_LABELS[col]}”"
    _k, _b, row, col, _d = next(f for f in T.T2_FIELDS if f[0] == key)
    return f"表二“{row}”的“{col}”"


def valid_key(key: str) -> bool:
    if key in T.T2_KEYS:
        return True
    parts = key.split(".")
    if len(parts) == 3 and parts[0] == "t3":
        return parts[1] in T.T3_ROWS and parts[2] in T.T3_COLS
    if len(parts) == 3 and parts[0] == "t4":
        return parts[1] in T.T4_BLOCKS and parts[2] in T.T4_COLS
    return False


# --- assembling ---------------------------------------------------------------------------
def build(session: Session, year: int, *, with_checks: bool = True) -> AnnualReport:
    t = township.current(session)
    row = find_row(session, t.id, year)
    figures = _json(row.figures) if row else {}
    t3r, t4r = T.table3(session, t.id, year), T.table4(session, t.id, year)
    t3 = {r: dict(c) for r, c in t3r.items()}
    t4 = {b: dict(c) for b, c in t4r.items()}
    cells: dict[str, int] = {}
    for key, value in figures.items():
        parts = key.split(".")
        if parts[0] == "t3" and valid_key(key):
            t3[parts[1]][parts[2]] = int(value)
            cells[key] = int(value)
        elif parts[0] == "t4" and valid_key(key):
            t4[parts[1]][parts[2]] = int(value)
            cells[key] = int(value)
    table2: dict[str, Decimal | int | None] = {}
    for key, *_rest, decimal in T.T2_FIELDS:
        v = figures.get(key)
        table2[key] = None if v is None else (Decimal(str(v)) if decimal else int(v))
    fees = T.fees_collected(session, t.id, year)
    stored = _json(row.sections) if row else {}
    drafts = draft_sections(session, t.id, year, t3r, t4r, fees)
    sections = {s: stored.get(s) or drafts[s] for s in SECTIONS}
    rep = AnnualReport(year, t.name, agency_name(t.name), table2, t3, t3r, t4, t4r, cells, sections,
                       {s for s in SECTIONS if stored.get(s)}, fees)
    if with_checks:
        last_row = find_row(session, t.id, year - 1)
        last = build(session, year - 1, with_checks=False) if last_row is not None or _has_requests(t3r) else None
        rep.checks = run_checks(rep, last, last_row, _json(row.overrides) if row else {})
    return rep


def _has_requests(t3: T.Table3) -> bool:
    return t3["carried"]["total"] > 0


def draft_sections(session: Session, township_id: str, year: int, t3: T.Table3, t4: T.Table4,
                   fees: tuple[int, Decimal]) -> dict[str, str]:
    """Starting texts built from the year's figures; the clerk edits them."""
    from gkdesk.models.catalogue import CatalogueItem, Domain, Publication
    from gkdesk.models.posting import Posting
    from gkdesk.models.township import Village

    start, end = date(year, 1, 1), date(year, 12, 31)
    pubs = session.execute(
        select(Publication.channel, Domain.name).join(CatalogueItem, CatalogueItem.id == Publication.item_id)
        .join(Domain, Domain.id == CatalogueItem.domain_id)
        .where(Publication.township_id == township_id, Publication.deleted_at.is_(None),
               Publication.published_on >= start, Publication.published_on <= end)).all()
    by_channel = Counter(ch or "未注明渠道" for ch, _d in pubs)
    by_domain = Counter(d for _c, d in pubs)
    posts = session.execute(
        select(Village.name).join(Posting, Posting.village_id == Village.id)
        .where(Posting.township_id == township_id, Posting.deleted_at.is_(None), Posting.posted_on.is_not(None),
               Posting.posted_on >= start, Posting.posted_on <= end)).scalars().all()
    by_village = Counter(posts)
    tot = {r: t3[r]["total"] for r in T.T3_ROWS}
    done = tot["total"]
    parts = []
    if pubs:
        parts.append(f"{year}年，本机关按照基层政务公开标准目录主动公开政府信息{len(pubs)}条，其中"
                     + "、".join(f"通过{c}{n}条" for c, n in by_channel.most_common()) + "；涉及"
                     + "、".join(f"{d}{n}条" for d, n in by_domain.most_common()) + "。")
    else:
        parts.append(f"{year}年，本机关认真落实政府信息公开各项工作要求。")
    if by_village:
        parts.append("指导各村（社区）张贴村务公开公示" + "、".join(f"{v}{n}期" for v, n in by_village.most_common())
                     + f"，共{sum(by_village.values())}期。")
    parts.append(f"全年新收政府信息公开申请{tot['new']}件，上年结转{tot['carried']}件，办结{done}件，"
                 f"结转下年度{tot['carry_next']}件。")
    results = [("予以公开", tot["open"]), ("部分公开", tot["partial"]),
               ("不予公开", sum(tot[f"deny_{i}"] for i in range(1, 9))),
               ("无法提供", sum(tot[f"unable_{i}"] for i in range(1, 4))),
               ("不予处理", sum(tot[f"noproc_{i}"] for i in range(1, 6))),
               ("其他处理", sum(tot[f"other_{i}"] for i in range(1, 4)))]
    s3 = (f"本年度新收政府信息公开申请{tot['new']}件，上年结转{tot['carried']}件。办理结果："
          + "，".join(f"{k}{n}件" for k, n in results if n) + ("；" if done else "")
          + f"结转下年度继续办理{tot['carry_next']}件。")
    n_rev, n_suit = t4[L.AK_REVIEW]["total"], t4[L.AK_SUIT_DIRECT]["total"] + t4[L.AK_SUIT_AFTER]["total"]
    s4 = (f"本年度发生政府信息公开行政复议{n_rev}件、行政诉讼{n_suit}件。" if n_rev or n_suit
          else "本年度未发生政府信息公开行政复议、行政诉讼案件。")
    s6 = (f"本年度收取政府信息公开信息处理费{fees[0]}件，共{fees[1]:.2f}元。" if fees[0]
          else "本年度未收取政府信息公开信息处理费。")
    return {"一": "".join(parts), "二": "本年度主动公开政府信息情况见下表。", "三": s3, "四": s4,
            "五": "（请填写本年度政府信息公开工作存在的主要问题及改进情况。）", "六": s6}


# --- checks -------------------------------------------------------------------------------
def _col(c: str) -> str:
    return T.T3_COL_LABELS[c]


def run_checks(rep: AnnualReport, last: AnnualReport | None, last_row: DisclosureAnnualReport | None,
               overrides: dict[str, Any]) -> list[Check]:
    t3, t4 = rep.table3, rep.table4
    checks: list[Check] = []

    def add(key: str, name: str, problems: list[str]) -> None:
        o = overrides.get(key) or {}
        checks.append(Check(key, name, not problems, problems, str(o.get("reason", "")) if problems else ""))

    add("t3.balance", "表三勾稽关系:第一项+第二项=第三项（七）总计+第四项",
        [f"“{_col(c)}”列:{t3['new'][c]}+{t3['carried'][c]}≠{t3['total'][c]}+{t3['carry_next'][c]}"
         for c in T.T3_COLS if t3["new"][c] + t3["carried"][c] != t3["total"][c] + t3["carry_next"][c]])
    leaves = [r for r in T.T3_ROWS if r not in ("new", "carried", "total", "carry_next")]
    add("t3.results_sum", "表三（七）总计=（一）至（六）之和",
        [f"“{_col(c)}”列:（七）总计为{t3['total'][c]},（一）至（六）之和为{sum(t3[r][c] for r in leaves)}"
         for c in T.T3_COLS if t3["total"][c] != sum(t3[r][c] for r in leaves)])
    add("t3.total_column", "表三“总计”列=各类申请人之和",
        [f"“{T.T3_ROW_LABELS[r]}”行:总计为{t3[r]['total']},各列之和为{sum(t3[r][c] for c in L.APPLICANT_TYPES)}"
         for r in T.T3_ROWS if t3[r]["total"] != sum(t3[r][c] for c in L.APPLICANT_TYPES)])
    add("t4.totals", "表四各“总计”=结果维持+结果纠正+其他结果+尚未审结",
        [f"“{T.T4_BLOCK_LABELS[b]}”:总计为{t4[b]['total']},各项之和为{sum(t4[b][c] for c in L.APPEAL_RESULTS)}"
         for b in T.T4_BLOCKS if t4[b]["total"] != sum(t4[b][c] for c in L.APPEAL_RESULTS)])
    carry_problems: list[str] = []
    if last is not None:
        prev = last.table3
        if last_row is not None and last_row.tables:  # what was actually published last year
            prev = _json(last_row.tables).get("table3", prev)
        carry_problems = [f"“{_col(c)}”列:上年报告结转下年度{prev['carry_next'][c]}件,本年上年结转{t3['carried'][c]}件"
                          for c in T.T3_COLS if prev["carry_next"][c] != t3["carried"][c]]
    add("t3.carry_over", "上年“结转下年度继续办理”=本年“上年结转”", carry_problems)
    diffs = []
    for key, v in sorted(rep.cell_overrides.items()):
        _t, a, b = key.split(".")
        reg = (rep.table3_register if _t == "t3" else rep.table4_register)[a][b]
        if v != reg:
            diffs.append(f"{figure_label(key)}填报{v},登记台账为{reg}")
    add("register", "与依申请公开登记台账一致", diffs)
    t2 = []
    missing = [figure_label(k) for k, v in rep.table2.items() if v is None]
    if missing:
        t2.append("尚未填写:" + "、".join(missing))
    if last is not None:
        for kind, name in (("rules", "规章"), ("normative", "行政规范性文件")):
            before, issued, repealed, now = (last.table2.get(f"{kind}.in_force"), rep.table2.get(f"{kind}.issued"),
                                             rep.table2.get(f"{kind}.repealed"), rep.table2.get(f"{kind}.in_force"))
            if None not in (before, issued, repealed, now) and before + issued - repealed != now:  # type: ignore[operator]
                t2.append(f"{name}:上年现行有效{before}件+本年制发{issued}件−本年废止{repealed}件"
                          f"={before + issued - repealed}件,填报现行有效{now}件")  # type: ignore[operator]
    add("table2", "表二手工填报数字完整且前后衔接", t2)
    copied = []
    if last is not None and last_row is not None:  # only a report actually written last year
        for s in TEXT_SECTIONS:
            a, b = _norm(rep.sections[s]), _norm(last.sections[s])
            if a and b and (a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.95):
                copied.append(f"“{SECTION_TITLES[s]}”与{rep.year - 1}年报告的文字相同")
    placeholder = "（请填写"
    copied += [f"“{SECTION_TITLES[s]}”尚未填写" for s in SECTIONS if rep.sections[s].startswith(placeholder)]
    add("text", "文字部分已按本年情况填写(未照搬上年)", copied)
    return checks


def _norm(text: str) -> str:
    return "".join(text.split())
