"""The county views as an .xlsx workbook: one view, or all of them as sheets.

Written to a temporary name, then renamed, so a half-written file never replaces a good
one. Amounts are Decimal yuan with a number format (the cell holds the exact value).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from gkdesk import county
from gkdesk.audit import local_time
from gkdesk.county_views import VIEWS

MONEY = "#,##0.00"


def _status(wb: Any, session: Session, today: date) -> int:
    sts = county.status(session)
    ws = wb.create_sheet(VIEWS["status"])
    tables = sorted({k for s in sts for k in s.rows})
    ws.append(["乡镇", "区划代码", "最后包序号", "最后导入时间(UTC)", "待处理冲突",
               *[county.TABLE_LABELS.get(t, t) for t in tables]])
    for s in sts:
        ws.append([s.name, s.code, s.last_seq, local_time(s.last_package_at).strftime("%Y-%m-%d %H:%M") if s.last_package_at else "从未",
                   s.open_conflicts, *[s.rows.get(t, 0) for t in tables]])
    return len(sts)


def _payouts(wb: Any, session: Session, today: date) -> int:
    rows = county.payout_totals(session)
    ws = wb.create_sheet(VIEWS["payouts"])
    ws.append(["乡镇", "区划代码", "补贴项目", "年度", "清册数", "发放记录(条)", "金额(元)"])
    for r in rows:
        ws.append([r["township"], r["township_code"], r["program"], r["year"], r["batches"], r["count"], r["total"]])
        ws.cell(ws.max_row, 7).number_format = MONEY
    ws.append(["合计", "", "", "", sum(r["batches"] for r in rows), sum(r["count"] for r in rows),
               county.payout_grand_total(rows)])
    ws.cell(ws.max_row, 7).number_format = MONEY
    return len(rows)


def _catalogue(wb: Any, session: Session, today: date) -> int:
    summary, overdue = county.catalogue_status(session, today)
    ws = wb.create_sheet(VIEWS["catalogue"])
    ws.append(["乡镇", "区划代码", "适用事项", "已有发布记录", "完成率(%)", "逾期未公开", "即将到期", "从未公开"])
    for r in summary:
        ws.append([r["township"], r["township_code"], r["items"], r["published"], r["percent"], r["overdue"],
                   r["due_soon"], r["never"]])
    ws2 = wb.create_sheet("逾期事项")
    ws2.append(["乡镇", "区划代码", "领域", "事项", "期间", "应公开日期"])
    for r in overdue:
        ws2.append([r["township"], r["township_code"], r["domain"], r["item"], r["period"],
                    r["due"].isoformat() if r["due"] else ""])
    return len(summary)


def _villages(wb: Any, session: Session, today: date) -> int:
    summary, detail = county.village_status(session, today)
    statuses = sorted({k for r in summary for k in r["by_status"]})
    ws = wb.create_sheet(VIEWS["villages"])
    ws.append(["乡镇", "区划代码", "村(社区)数", "公示份数", *statuses, "有逾期的村", "逾期未公示(期次)"])
    for r in summary:
        ws.append([r["township"], r["township_code"], r["villages"], r["postings"],
                   *[r["by_status"].get(s, 0) for s in statuses], r["overdue_villages"], r["missing"]])
    ws2 = wb.create_sheet("逾期的村")
    ws2.append(["乡镇", "区划代码", "村(社区)", "逾期未公示(期次)", "事项"])
    for r in detail:
        ws2.append([r["township"], r["township_code"], r["village"], r["missing"], r["items"]])
    return len(summary)


WRITERS = {"status": _status, "payouts": _payouts, "catalogue": _catalogue, "villages": _villages}


def export_xlsx(session: Session, out: Path | str, today: date | None = None,
                views: Iterable[str] | None = None) -> dict[str, int]:
    """Write the chosen views (default: all) to ``out``; returns rows written per view."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    chosen = list(views or VIEWS)
    unknown = [v for v in chosen if v not in VIEWS]
    if unknown:
        raise county.InputRejected(f"没有“{unknown[0]}”这个汇总表;可选:{'、'.join(VIEWS.values())}")
    today = today or date.today()
    wb = Workbook()
    wb.remove(wb.active)
    counts = {v: WRITERS[v](wb, session, today) for v in chosen}
    for sheet in wb.worksheets:
        for c in sheet[1]:
            c.font = Font(bold=True)
        for col in sheet.columns:
            sheet.column_dimensions[col[0].column_letter].width = 16
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    try:
        wb.save(tmp)
        # On Windows this fails while the clerk has the old file open in Excel or WPS
        # (Linux would replace it silently): say so, and leave no half file behind.
        os.replace(tmp, out)
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise county.InputRejected(
            f"无法写入“{out.name}”:该文件可能正在 Excel 或 WPS 中打开,或所在文件夹不允许写入。"
            "请关闭该文件后重试(原文件未改动)") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"townships": max(counts.values(), default=0), **counts}
