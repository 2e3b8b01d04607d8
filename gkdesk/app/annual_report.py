"""政府信息公开工作年度报告 as clerk actions: look, enter figures and texts, check, waive, export.

The tables come from the register (:mod:`gkdesk.annual_report.tables`); what the program
holds no records of is entered by hand and marked so. Export refuses while a check fails,
unless the clerk has waived that check with a reason; the county collects the exported
reports through the sync packages (:func:`county_reports`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.errors import GkError, InputRejected

CHANGES = frozenset({"annual_report"})
FORMATS = (".docx", ".pdf", ".xlsx")


def _check_year(year: int) -> None:
    if not 2019 <= year <= 2100:
        raise InputRejected(f"年份“{year}”不对:年度报告按2019年5月15日施行的条例填报")


@dataclass
class ReportView(Outcome):
    report: Any  # gkdesk.annual_report.report.AnnualReport

    def summary(self) -> str:
        r = self.report
        bad = r.blocking
        state = "各项检查均通过" if not any(not c.ok for c in r.checks) else (
            f"{len(bad)} 项检查未通过" if bad else "未通过的检查均已填写放行理由")
        return f"{r.title}:{state}"

    def check_lines(self) -> list[str]:
        out = []
        for c in self.report.checks:
            mark = "通过" if c.ok else ("已放行" if c.override else "未通过")
            out.append(f"[{mark}] {c.name}")
            out += [f"    {p}" for p in c.problems]
            if c.override:
                out.append(f"    放行理由:{c.override}")
        return out


def show(ws: Workspace, year: int) -> ReportView:
    from gkdesk.annual_report import report

    _check_year(year)
    with ws.session() as s:
        return ReportView(report.build(s, year))


@dataclass
class ReportSaved(Outcome):
    year: int
    what: str

    def summary(self) -> str:
        return f"已保存{self.year}年年度报告的{self.what}"


def set_figures(ws: Workspace, year: int, values: dict[str, str]) -> ReportSaved:
    """Hand-entered figures: table 二 keys, or "t3.<row>.<column>" / "t4.<kind>.<result>" typed over
    the register's count; an empty value goes back to the register (or to "not entered")."""
    from gkdesk import township
    from gkdesk.annual_report import report

    _check_year(year)
    with ws.change() as s:
        row = report.row_for(s, township.current(s).id, year)
        figures = json.loads(row.figures or "{}")
        for key, value in values.items():
            if not report.valid_key(key):
                raise InputRejected(f"“{key}”不是年度报告中的数字项")
            if str(value).strip() == "":
                figures.pop(key, None)
                continue
            try:
                n = report.parse_figure(key, value)
            except InputRejected as exc:
                raise InputRejected(f"{report.figure_label(key)}:{exc.message}") from None
            figures[key] = str(n) if isinstance(n, Decimal) else n
        row.figures = json.dumps(figures, ensure_ascii=False, sort_keys=True)
        ws.audit(s, "annual_report.figures", str(year), keys=sorted(values))
    return ReportSaved(year, "手工填报数字", changes=CHANGES)


def set_section(ws: Workspace, year: int, section: str, text: str) -> ReportSaved:
    """Replace a section's text (empty: back to the draft built from the year's figures)."""
    from gkdesk import township
    from gkdesk.annual_report import report

    _check_year(year)
    if section not in report.SECTIONS:
        raise InputRejected(f"年度报告没有第“{section}”部分,可选:" + "、".join(report.SECTIONS))
    with ws.change() as s:
        row = report.row_for(s, township.current(s).id, year)
        sections = json.loads(row.sections or "{}")
        if text.strip():
            sections[section] = text.strip()
        else:
            sections.pop(section, None)
        row.sections = json.dumps(sections, ensure_ascii=False)
        ws.audit(s, "annual_report.section", str(year), section=section)
    return ReportSaved(year, f"“{report.SECTION_TITLES[section]}”", changes=CHANGES)


def override(ws: Workspace, year: int, check: str, reason: str) -> ReportSaved:
    """Waive one failing check for export, with the reason (kept with the report and audited)."""
    from gkdesk import township
    from gkdesk.annual_report import report

    _check_year(year)
    with ws.change() as s:
        rep = report.build(s, year)
        c = next((c for c in rep.checks if c.key == check), None)
        if c is None:
            raise InputRejected(f"没有名为“{check}”的检查,可选:" + "、".join(f"{x.key}({x.name})" for x in rep.checks))
        row = report.row_for(s, township.current(s).id, year)
        over = json.loads(row.overrides or "{}")
        if reason.strip():
            over[check] = {"reason": reason.strip(), "by": ws.operator, "on": date.today().isoformat()}
        else:
            over.pop(check, None)
        row.overrides = json.dumps(over, ensure_ascii=False)
        ws.audit(s, "annual_report.override", str(year), check=check, reason=reason.strip())
    return ReportSaved(year, f"检查“{c.name}”的放行理由" if reason.strip() else f"检查“{c.name}”(已取消放行)",
                       changes=CHANGES)


@dataclass
class ReportExported(Outcome):
    year: int
    file: str
    title: str
    waived: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"已导出《{self.title}》→ {self.file}"
        return text + (f"(已放行的检查:{'、'.join(self.waived)})" if self.waived else "")


def export(ws: Workspace, year: int, out: str | Path, *, today: date | None = None) -> ReportExported:
    """Write the report (.docx, .pdf or .xlsx); refused while a check fails without a waiver."""
    from gkdesk import township
    from gkdesk.annual_report import export as ex
    from gkdesk.annual_report import report

    _check_year(year)
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise InputRejected(f"输出文件“{out.name}”的类型不支持:请用 .docx、.pdf 或 .xlsx")
    with ws.change() as s:
        rep = report.build(s, year)
        if rep.blocking:
            lines = [f"{c.name}:{';'.join(c.problems[:3])}" for c in rep.blocking]
            raise GkError("年度报告有检查未通过,暂不能导出:\n" + "\n".join(lines)
                          + "\n请改正有关数字或文字;确需按现有内容导出的,对该项检查写明放行理由。",
                          code="checks_failed")
        suffix = out.suffix.lower()
        try:
            if suffix == ".docx":
                ex.write_docx(rep, out)
            elif suffix == ".pdf":
                from gkdesk.notices.fonts import font_set_for_session

                ex.write_pdf(rep, out, font_set_for_session(s))
            else:
                ex.write_xlsx(rep, out)
        except OSError as exc:
            from gkdesk.app.disclosure import write_failed

            raise write_failed(out, exc) from exc
        row = report.row_for(s, township.current(s).id, year)
        row.tables = json.dumps(rep.tables_dict(), ensure_ascii=False)
        row.checks_ok = all(c.ok for c in rep.checks)
        row.exported_on = today or date.today()
        ws.audit(s, "annual_report.export", out.name, year=year)
        return ReportExported(year, str(out), rep.title, [c.name for c in rep.checks if c.override],
                              changes=CHANGES)


# --- county ------------------------------------------------------------------------------------
@dataclass
class CountyReports(Outcome):
    year: int
    townships: list[dict[str, Any]] = field(default_factory=list)  # name, submitted, checks_ok, exported_on
    table3: dict[str, dict[str, int]] = field(default_factory=dict)  # county-wide sums of submitted reports
    table4: dict[str, dict[str, int]] = field(default_factory=dict)
    table2: dict[str, Any] = field(default_factory=dict)
    county: str = ""
    file: str = ""

    def summary(self) -> str:
        done = [t for t in self.townships if t["submitted"]]
        if self.file:
            return f"已导出全县合计 → {self.file}"
        return (f"{self.year}年年度报告:{len(done)}/{len(self.townships)} 个乡镇(街道)已报送,"
                f"其中检查未全部通过 {sum(1 for t in done if not t['checks_ok'])} 个")


def county_reports(ws: Workspace, year: int, out: str | Path | None = None) -> CountyReports:
    """Which townships' reports arrived (exported, through sync), whether their checks passed, and the
    sums; with ``out`` (.xlsx) the county-wide tables are written too."""
    from sqlalchemy import select

    from gkdesk.annual_report import report
    from gkdesk.annual_report import tables as T
    from gkdesk.models.township import ROLE_TOWNSHIP, Township

    _check_year(year)
    res = CountyReports(year, table3=T.empty_table3(), table4=T.empty_table4(),
                        table2=dict.fromkeys(T.T2_KEYS, None))
    with ws.session() as s:
        from gkdesk import township

        res.county = township.current(s).name
        for t in s.scalars(select(Township).where(Township.role == ROLE_TOWNSHIP, Township.deleted_at.is_(None))
                           .order_by(Township.code)):
            row = report.find_row(s, t.id, year)
            submitted = row is not None and bool(row.tables)
            res.townships.append({"township": t.name, "code": t.code, "submitted": submitted,
                                  "checks_ok": bool(row and row.checks_ok),
                                  "exported_on": row.exported_on.isoformat() if row and row.exported_on else None})
            if submitted and row is not None:
                data = json.loads(row.tables)
                for r, cols in data.get("table3", {}).items():
                    for c, v in cols.items():
                        res.table3[r][c] += int(v)
                for b, cols in data.get("table4", {}).items():
                    for c, v in cols.items():
                        res.table4[b][c] += int(v)
                for k, v in data.get("table2", {}).items():
                    if k in res.table2 and v is not None:
                        res.table2[k] = (res.table2[k] or 0) + Decimal(v)
    if out is not None:
        _write_county(res, Path(out))
        res.file = str(out)
    return res


def _write_county(res: CountyReports, out: Path) -> None:
    from gkdesk.annual_report import export as ex
    from gkdesk.annual_report.report import AnnualReport

    if out.suffix.lower() != ".xlsx":
        raise InputRejected(f"输出文件“{out.name}”须为 .xlsx")
    n = sum(1 for t in res.townships if t["submitted"])
    rep = AnnualReport(res.year, res.county, f"{res.county}(全县{n}个乡镇、街道合计)", res.table2, res.table3,
                       res.table3, res.table4, res.table4, {}, {}, set(), (0, Decimal("0")))
    try:
        ex.write_xlsx(rep, out)
    except OSError as exc:
        from gkdesk.app.disclosure import write_failed

        raise write_failed(out, exc) from exc
