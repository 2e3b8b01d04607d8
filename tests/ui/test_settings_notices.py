"""设置 page: what every notice prints (county hotlines, ID masking rule, font), the villages'
reviewers, the holiday file and the deadline calculator — through the same operations as
``gkdesk settings`` / ``villages catalogue reviewers`` / ``calendar``."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from gkdesk.app import setup
from gkdesk.app import village_catalogue as cat
from gkdesk.models.audit import AuditEntry
from gkdesk.notices.fonts import candidate_files
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.qt import QtWidgets


@pytest.fixture
def shown(monkeypatch):
    out: list[str] = []
    for name in ("warning", "information"):
        monkeypatch.setattr(QtWidgets.QMessageBox, name, lambda *a, **k: out.append(a[2]))
    return out


@pytest.fixture
def page(qtbot, store):
    win = MainWindow(UiContext(store, "李会计"))
    qtbot.addWidget(win)
    win.show()
    return win.show_page("settings")


def test_notice_settings_saved_checked_and_audited(page, store, shown):
    page.n_phones.setText("通川区农业农村局 0818-2112345;通川区纪委监委 0818-12388")
    page.n_mask.setCurrentIndex(page.n_mask.findData("hide_birth"))
    page.save_notices()
    ns = setup.notice_settings(page.ctx.ws)
    assert ns.county_phones == "通川区农业农村局 0818-2112345;通川区纪委监委 0818-12388"
    assert ns.id_mask_pattern == "hide_birth"
    with store.session() as s:
        audited = [e.target for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "settings.notice"))]
    assert audited == ["监督举报电话", "身份证号显示规则"]
    page.pick_notice_font(path=str(page.ctx.store.data_dir / "没有这个字体.ttf"))
    assert "无法使用" in shown[-1] and setup.notice_settings(page.ctx.ws).notice_font == ""
    fonts = [str(p) for p in candidate_files()]
    if fonts:
        page.pick_notice_font(path=fonts[0])
        assert setup.notice_settings(page.ctx.ws).notice_font == fonts[0]
        assert page.n_font.text() == fonts[0]


def test_reviewers_per_village_from_the_settings_page(page):
    row = next(r for r in range(page.villages.rowCount()) if page.villages.item(r, 0).text() == "柳树村")
    page.reviewers_dialog(row, ("张德明", "刘桂兰"))
    prof = cat.village_profile(page.ctx.ws, "柳树村")
    assert (prof.supervision_head, prof.finance_group_head) == ("张德明", "刘桂兰")
    row = next(r for r in range(page.villages.rowCount()) if page.villages.item(r, 0).text() == "柳树村")
    assert page.villages.item(row, 3).text() == "张德明"


def test_holiday_file_and_deadline(page, tmp_path, shown):
    f = tmp_path / "2031年节假日.json"
    f.write_text(json.dumps({"year": 2031, "holidays": ["2031-01-01"], "workdays": []}), encoding="utf-8")
    page.import_year(str(f))
    assert not shown or "2031" not in shown[-1], shown
    assert "2031" in page.cal_years.text()
    page.dl_start.setDate(date(2031, 1, 1))
    page.dl_days.setValue(1)
    page.compute_deadline()
    from gkdesk.app import calendar

    due = calendar.deadline(page.ctx.ws, date(2031, 1, 1), 1).due
    assert due is not None and due > date(2031, 1, 1)  # the day off is skipped
    assert f"截止 {due}" in page.dl_result.text()
