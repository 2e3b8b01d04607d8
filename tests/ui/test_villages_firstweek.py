"""The 村务公开 page in a township's first week: not behind on months before it started, a
September sheet recorded in November, a wrong record withdrawn, the village's own settings."""

from __future__ import annotations

from datetime import date

import pytest

from gkdesk.app import postings as ops
from gkdesk.ui import villages_dialogs as dlg
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.qt import QtWidgets

FIN = "村集体财务收支明细"


@pytest.fixture
def quiet(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    return shown


@pytest.fixture
def page(qtbot, store, quiet):
    win = MainWindow(UiContext(store, "李会计"))
    qtbot.addWidget(win)
    win.resize(1366, 696)
    win.show()
    p = win.show_page("villages")
    p.today = date(2026, 11, 22)
    p.year.setValue(2026)
    return p


def _row(page, name):
    return next(r for r in range(page.grid.rowCount()) if page.grid.item(r, 0).text() == name)


def _answers(monkeypatch, values):
    """The form the page opens is answered with ``values`` (what the clerk would type)."""
    asked: list[str] = []

    def fake(_parent, title, fields):
        asked.append(title)
        out = {f[0]: f[3] for f in fields}
        out.update(values)
        return out

    monkeypatch.setattr(dlg, "ask", fake)
    return asked


def test_start_tracking_month_and_backdated_posting_from_the_window(page, monkeypatch, quiet):
    assert page.adopt()
    # adopted today (December in this run, or whenever): the village list shows no ✘ for earlier months
    assert all("✘" not in page.villages.item(i).text() for i in range(page.villages.count()))
    assert page.do_tracking(date(2026, 7, 1))  # 高桥村 only: from July
    page.select_village("高桥村")
    r = _row(page, FIN)
    q2, q3 = 2 + 3, 2 + 6
    assert page.grid.item(r, q2).text() == "–" and "开始跟踪" in page.grid.item(r, q2).toolTip()
    assert page.grid.item(r, q3).text() == "✘"
    assert "✘" in page.villages.currentItem().text()
    # a September sheet, recorded in November with its own dates
    page.select_cell(r, q3)
    assert page.actions["record"].isEnabled() and page.actions["new"].isEnabled()
    asked = _answers(monkeypatch, {"posted_on": date(2026, 9, 18), "reviewed_on": date(2026, 9, 16),
                                   "reviewer": "王建国"})
    page.record_dialog()
    assert asked == ["补录已张贴的公示"]
    assert page.grid.item(r, q3).text().startswith("迟")  # due 07-20, posted 09-18: late, but recorded
    d = page._current_posting()
    assert d["posted_on"] == date(2026, 9, 18) and d["reviewed_on"] == date(2026, 9, 16)
    assert page.actions["withdraw"].isEnabled() and page.actions["amend"].isEnabled()
    # correct the date, then withdraw it: both need a reason, both stay in the history
    _answers(monkeypatch, {"reason": "", "posted_on": date(2026, 7, 18), "reviewed_on": date(2026, 7, 16)})
    page.amend_dialog()
    assert "请写明原因" in quiet[-1]
    _answers(monkeypatch, {"reason": "日期记错", "posted_on": date(2026, 7, 18), "reviewed_on": date(2026, 7, 16)})
    page.amend_dialog()
    assert page.grid.item(r, q3).text().startswith("✔")
    _answers(monkeypatch, {"reason": "重复登记"})
    page.withdraw_dialog()
    assert page.grid.item(r, q3).text() == "✘"
    hist = ops.detail(page.ctx.ws, d["id"]).history
    assert [h["label"] for h in hist][-2:] == ["更正记录", "撤回"]
    assert page.postings.rowCount() == 1 and page.postings.item(0, 2).text() == "已撤回"


def test_review_and_post_dialogs_offer_the_postings_own_dates(page, monkeypatch):
    page.adopt()
    page.do_tracking(date(2026, 1, 1), all_villages=True)
    page.select_village("柳树村")
    r = _row(page, FIN)
    page.select_cell(r, 2 + 6)
    captured: dict[str, list] = {}

    def fake(_parent, title, fields):
        captured[title] = fields
        return {f[0]: f[3] for f in fields} | ({"reviewer": "李秀英"} if title == "登记审核" else {})

    monkeypatch.setattr(dlg, "ask", fake)
    page.new_dialog()
    assert dict((f[0], f[3]) for f in captured["为此期登记公示"])["on"] == date(2026, 7, 20)  # Q3's due day
    page.review_dialog()
    assert dict((f[0], f[3]) for f in captured["登记审核"])["on"] == date(2026, 7, 20)
    page.post_dialog()
    assert dict((f[0], f[3]) for f in captured["登记张贴"])["on"] == date(2026, 7, 20)
    assert page._current_posting()["posted_on"] == date(2026, 7, 20)
    assert page.grid.item(r, 2 + 6).text().startswith("✔")


def test_village_settings_menu(page, monkeypatch, tmp_path):
    page.adopt()
    page.select_village("高桥村")
    page.busy_toggle(True)
    assert page.busy_act.isChecked()
    assert page.grid.item(_row(page, FIN), 1).text().startswith("每月")
    _answers(monkeypatch, {"supervision": "王建国", "finance": "李秀英"})
    page.reviewers_dialog()
    from gkdesk.app import village_catalogue as cat

    prof = cat.village_profile(page.ctx.ws, "高桥村")
    assert (prof.supervision_head, prof.finance_group_head) == ("王建国", "李秀英")
    assert "王建国" in page.village_btn.toolTip()
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "类别", "公开事项", "公开时限"])
    ws.append([1, "财务", "光伏发电收益分配", "每年"])
    xlsx = tmp_path / "县级目录.xlsx"
    wb.save(xlsx)
    page.import_catalogue_dialog(path=str(xlsx))
    assert any(page.grid.item(r, 0).text() == "光伏发电收益分配" for r in range(page.grid.rowCount()))
