"""The county's summary views as clerk actions: read them, or export them as .xlsx.

Every view refuses politely in a township's installation (``Hint.COUNTY_ROLE``). The
views are read-only; the figures come from :mod:`gkdesk.county`, the workbook from
:mod:`gkdesk.county_xlsx`. Both faces show the same rows; the Chinese headings live here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from gkdesk import county, county_xlsx
from gkdesk.app.results import Outcome
from gkdesk.app.workspace import Workspace
from gkdesk.audit import local_time
from gkdesk.county import TownshipStatus
from gkdesk.result import Report, no_report
from gkdesk.sync.labels import table_label


def money(d: Decimal) -> str:
    return f"{d:,.2f}"


@dataclass
class CountyStatus(Outcome):
    townships: list[TownshipStatus] = field(default_factory=list)

    def tables(self, *, only_filled: bool = False) -> list[str]:
        names = sorted({k for st in self.townships for k in st.rows})
        return [t for t in names if any(st.rows.get(t) for st in self.townships)] if only_filled else names

    def headers(self, *, only_filled: bool = False) -> list[str]:
        return ["乡镇", "代码", "最后包", "最后导入", "冲突", *[table_label(t) for t in self.tables(only_filled=only_filled)]]

    def rows(self, *, only_filled: bool = False) -> list[list[Any]]:
        return [[st.name, st.code, st.last_seq,
                 local_time(st.last_package_at).strftime("%Y-%m-%d %H:%M") if st.last_package_at else "从未",
                 st.open_conflicts, *[st.rows.get(t, 0) for t in self.tables(only_filled=only_filled)]]
                for st in self.townships]

    def summary(self) -> str:
        return f"已登记 {len(self.townships)} 个乡镇" if self.townships else "尚未登记乡镇"


def status(ws: Workspace) -> CountyStatus:
    with ws.session() as s:
        return CountyStatus(county.status(s))


@dataclass
class PayoutTotals(Outcome):
    totals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def grand_total(self) -> Decimal:
        return county.payout_grand_total(self.totals)

    def summary(self) -> str:
        if not self.totals:
            return "尚无补贴发放数据"
        return f"发放记录 {sum(r['count'] for r in self.totals)} 条,合计 {money(self.grand_total)} 元"


def payouts(ws: Workspace, year: int | None = None) -> PayoutTotals:
    with ws.session() as s:
        return PayoutTotals(county.payout_totals(s, year))


@dataclass
class CatalogueStatus(Outcome):
    townships: list[dict[str, Any]] = field(default_factory=list)
    overdue: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def percent(r: dict[str, Any]) -> str:
        return "—" if r["percent"] is None else f"{r['percent']}%"

    def overdue_lines(self, limit: int = 50) -> list[str]:
        return [f"{o['township']} {o['domain']} {o['item']}({o['period']},应于 {o['due']} 前)"
                for o in self.overdue[:limit]]

    def summary(self) -> str:
        return (f"{len(self.townships)} 个乡镇,逾期未公开事项 {len(self.overdue)} 项"
                if self.townships else "尚未登记乡镇")


def catalogue(ws: Workspace, today: date | None = None) -> CatalogueStatus:
    with ws.session() as s:
        return CatalogueStatus(*county.catalogue_status(s, today))


@dataclass
class VillageStatus(Outcome):
    townships: list[dict[str, Any]] = field(default_factory=list)
    villages: list[dict[str, Any]] = field(default_factory=list)  # overdue villages

    @staticmethod
    def by_status(r: dict[str, Any]) -> str:
        return ",".join(f"{k} {v}" for k, v in r["by_status"].items()) or "—"

    def overdue_lines(self, limit: int = 50) -> list[str]:
        return [f"{d['township']} {d['village']}:{d['missing']} 期({d['items']})" for d in self.villages[:limit]]

    def summary(self) -> str:
        return (f"{len(self.townships)} 个乡镇,有逾期未公示的村 {len(self.villages)} 个"
                if self.townships else "尚未登记乡镇")


def villages(ws: Workspace, today: date | None = None) -> VillageStatus:
    with ws.session() as s:
        return VillageStatus(*county.village_status(s, today))


@dataclass
class WorkbookExported(Outcome):
    file: Path
    counts: dict[str, int]  # townships, and rows per view

    def summary(self) -> str:
        return f"已导出汇总表:{self.file}({self.counts.get('townships', 0)} 个乡镇)"


def export_workbook(ws: Workspace, out: Path | str, *, views: Iterable[str] | None = None,
                    today: date | None = None) -> WorkbookExported:
    with ws.session() as s:
        counts = county_xlsx.export_xlsx(s, Path(out), today, views=views)
    return WorkbookExported(Path(out), counts)


@dataclass
class MigratedToPostgres(Outcome):
    target: str                      # the URL without its password
    tables: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def summary(self) -> str:
        return (f"已把县级数据({len(self.tables)} 个表、{self.rows} 行,含密钥和同步历史)迁移到 {self.target}。"
                "以后打开本数据目录(窗口或命令行)都会使用这个数据库;原 SQLite 文件未改动,留作备份。")


def migrate_to_postgresql(ws: Workspace, url: str, *, report: Report = no_report) -> MigratedToPostgres:
    """Copy this SQLite county into an empty PostgreSQL database (one transaction, verified)."""
    from gkdesk import dbconfig
    from gkdesk.county_migrate import migrate_to_postgresql as move

    res = move(ws.store, url, report=report)
    if url.startswith("postgresql://"):  # saved with the driver the copy used (psycopg), not SQLAlchemy's default
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    dbconfig.save(ws.data_dir, url)  # from now on this data directory opens the PostgreSQL database
    with ws.session() as s:
        ws.audit(s, "county.migrate", res.target, rows=res.rows)
    return MigratedToPostgres(res.target, res.tables, changes=frozenset())


@dataclass
class FileChecked(Outcome):
    """The day's full check of a big county file, run off the GUI thread (None: not due)."""

    found: list[str] = field(default_factory=list)  # what quick_check reported ([] = clean)

    def summary(self) -> str:
        if not self.found:
            return "数据库文件检查通过"
        return ("数据库文件检查发现问题:" + ";".join(self.found[:3])
                + "。请不要继续导入,尽快用“备份”页中最近的备份恢复,或联系技术人员。")


def daily_file_check(ws: Workspace) -> FileChecked | None:
    """SQLite's ``quick_check`` of a big file once a day (opening it only reads its header and schema)."""
    from gkdesk.store import daily_check_due, run_daily_check

    db = ws.store.db_path
    if db is None or not daily_check_due(db):
        return None
    return FileChecked(run_daily_check(db))
