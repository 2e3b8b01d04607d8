"""``gkdesk check``: is the database sound, current, and is the calendar covered?"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gkdesk import township, workdays
from gkdesk.hints import Hint
from gkdesk.store import Store, check_sqlite_file, current_revision, head_revision


@dataclass
class HealthReport:
    """``items`` are what ``check --json`` prints; ``hints`` say, per failed check, what would
    fix it (each face renders the :class:`Hint` in its own words, so ``detail`` names no command)."""

    ok: bool = True
    items: list[dict[str, object]] = field(default_factory=list)
    hints: dict[str, tuple[Hint, dict[str, Any]]] = field(default_factory=dict)

    def add(self, name: str, ok: bool, detail: str, *, fatal: bool = True, hint: Hint | None = None,
            **hint_args: Any) -> None:
        self.items.append({"check": name, "ok": ok, "detail": detail})
        if not ok and hint is not None:
            self.hints[name] = (hint, hint_args)
        if not ok and fatal:
            self.ok = False


def run_checks(store: Store, today: date | None = None, *, integrity: bool = True) -> HealthReport:
    """``integrity=False`` skips the full page-by-page read (seconds on a big file) and the schema
    revision (it loads Alembic), for the 首页 which refreshes on every change: opening the file
    already ran ``quick_check`` and brought the schema up to date."""
    today = today or date.today()
    rep = HealthReport()
    if store.db_path is not None and integrity:
        problems = check_sqlite_file(store.db_path, full=True)
        rep.add("integrity", not problems, "完整性检查通过" if not problems else "完整性检查失败:" + "; ".join(problems[:5]))
    if integrity:
        rev, head = current_revision(store.engine), head_revision()
        rep.add("schema", rev == head, f"数据库结构版本 {rev}" + ("(最新)" if rev == head else f",应为 {head}"))
    with store.session() as s:
        years = [y for y, _ in workdays.coverage(s)]
        init = township.is_initialised(s)
        name = township.current(s).name if init else ""
    rep.add("township", init, f"本级:{name}" if init else "尚未初始化", fatal=False, hint=Hint.INIT)
    span = f"{min(years)}–{max(years)}年" if years else "无"
    rep.add("calendar", today.year in years, f"节假日数据覆盖 {span}", hint=Hint.SET_HOLIDAYS, year=today.year)
    nxt = today.year + 1
    if nxt not in years:
        rep.add("calendar_next_year", False,
                f"尚无{nxt}年节假日安排:截止日期跨入{nxt}年的事项将显示“待补充{nxt}年节假日安排”。"
                "国务院办公厅通知发布后请及时录入。",
                fatal=False, hint=Hint.SET_HOLIDAYS, year=nxt)
    return rep
