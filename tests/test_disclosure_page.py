"""依申请公开 page and the 首页 list: the register shown with its clocks, actions through the operations."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gkdesk.app import calendar as app_calendar
from gkdesk.app import disclosure as app
from gkdesk.app.workspace import Workspace
from gkdesk.ui.context import UiContext

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.fixture
def filled(store):
    ws = Workspace(store, operator="测试员")
    today = date.today()
    for y in (today.year, today.year + 1):  # the real today decides which years the clocks reach
        if y > 2026:
            app_calendar.set_year(ws, y, [f"{y}-01-01"], [])
    add = dict(channel="in_person", applicant_type="natural", applicant_name="赵某")
    app.add(ws, arrived_on=date(2026, 3, 2), content="高桥村2025年低保对象名单", today=date(2026, 3, 2), **add)
    app.reply(ws, "2026-001", "open", "direct", day=date(2026, 3, 20), today=date(2026, 3, 20))
    app.add(ws, arrived_on=today - timedelta(days=40), content="柳树村土地征收补偿方案", today=today,
            **add | {"applicant_type": "business"})
    app.add(ws, arrived_on=today - timedelta(days=1), content="新华社区2026年财务收支明细", today=today,
            **add | {"applicant_type": "legal_service"})
    return ws


def test_page_lists_requests_with_their_clocks(filled, store, qtbot, monkeypatch):
    from gkdesk.ui.pages.requests import RequestsPage

    page = RequestsPage(UiContext(filled))
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    numbers = [page.table.item(r, 0).text() for r in range(page.table.rowCount())]
    assert len(numbers) == 3 and numbers[-1] == "2026-001"
    overdue_row = next(r for r in range(3) if "超期" in page.table.item(r, 5).text())
    assert page.table.item(overdue_row, 3).text() == "柳树村土地征收补偿方案"
    assert "超期 1 件" in page.summary.text()
    page.table.selectRow(overdue_row)
    assert "计时经过" in page.detail.toPlainText() and "赵某" in page.detail.toPlainText()
    if os.environ.get("GKDESK_SCREENSHOTS"):  # refresh docs/ only when asked
        page.grab().save(str(DOCS / "request-page.png"))

    # the fee button computes and records the fee (按量: 45 pages → 15 × 10 元)
    monkeypatch.setattr(page, "_ask", lambda *a, **k: {"mode": "per_page", "pages": 45, "paid": date.today()})
    page.do_fee()
    assert "信息处理费:150.00 元" in page.detail.toPlainText()
    assert not page.buttons["confirm"].isEnabled()  # received in person: nothing to confirm

    # the reply button runs the operation with what the form returned
    number = page.table.item(overdue_row, 0).text()
    monkeypatch.setattr(page, "_ask", lambda *a, **k: {"outcome": "unable_1", "delivery": "post", "day": date.today(),
                                                        "spot": False, "repeat_of": "", "note": ""})
    page.do_reply()
    shown = app.show(filled, number)
    assert shown["outcome"] == "unable_1" and shown["overdue"] is True
    assert "已答复(超期)" in page.table.item(next(r for r in range(3) if page.table.item(r, 0).text() == number), 5).text()


def test_home_lists_due_and_overdue_requests(filled, qtbot):
    from gkdesk.ui.pages.home import HomePage

    page = HomePage(UiContext(filled))
    qtbot.addWidget(page)
    page.show()
    rows = [[page.requests.item(r, c).text() for c in range(4)] for r in range(page.requests.rowCount())]
    assert rows and rows[0][2] == "已超期" and rows[0][3].startswith("柳树村")
    assert "依申请公开(1超期" in page.tabs.tabText(3)


def test_county_sees_every_townships_open_requests(tmp_path, qtbot):
    from gkdesk import sync
    from gkdesk.ui.pages.requests import RequestsPage
    from tests.sync.helpers import make_pair

    pair = make_pair(tmp_path / "p")
    try:
        ws = Workspace(pair.township, operator="乡镇")
        app.add(ws, channel="in_person", arrived_on=date(2026, 3, 2), applicant_type="natural",
                content="超期未答复的申请", applicant_name="某", today=date(2026, 3, 2))
        files = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files
        assert [r.status for r in sync.import_files(pair.county, files, "县级")] == ["applied"]
        page = RequestsPage(UiContext(Workspace(pair.county, operator="县级")))
        qtbot.addWidget(page)
        page.show()
        assert page.table.rowCount() == 1 and page.table.item(0, 0).text() == "高桥镇"
        assert "超期" in page.table.item(0, 6).text()
        assert not page.buttons["add"].isVisible()
        assert "未答复申请 1 件,其中超期 1 件" in page.summary.text()
    finally:
        pair.close()
