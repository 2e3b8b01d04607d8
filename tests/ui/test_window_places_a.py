"""Window places of CLI actions: year-end and table notices, batch export, import templates, named delete."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("pytestqt")

from pypdf import PdfReader
from sqlalchemy import select

from gkdesk import township
from gkdesk.app import payouts as ops
from gkdesk.models import Payout, PayoutBatch, PayoutLayout
from gkdesk.notices.samples import ensure_program, make_batch, make_people, sample_year
from gkdesk.payouts import layouts as L
from gkdesk.ui.context import UiContext
from gkdesk.ui.pages.notices import NoticesPage
from gkdesk.ui.pages.payouts import PayoutsPage
from gkdesk.ui.payout_layouts_dialog import LayoutsDialog
from gkdesk.ui.qt import QtWidgets
from gkdesk.ui.widgets import confirm as confirm_mod


@pytest.fixture
def shown(monkeypatch) -> list[str]:
    texts: list[str] = []
    for kind in ("information", "warning"):
        monkeypatch.setattr(QtWidgets.QMessageBox, kind, lambda *a, **k: texts.append(a[2]))
    return texts


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, str, list]]:
    """Every confirmation (title, question, facts); answered yes."""
    seen: list[tuple[str, str, list]] = []
    monkeypatch.setattr(confirm_mod, "answer_for_tests", lambda t, q, f: seen.append((t, q, f)) or True)
    return seen


def _notices_page(store, qtbot) -> NoticesPage:
    p = NoticesPage(UiContext(store, operator="王会计"))
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    return p


def test_year_end_notice_is_printed_from_the_window(store, qtbot, tmp_path, shown, monkeypatch):
    with store.session() as s:
        sample_year(s, 2025, random.Random(3), per_village=12)
    page = _notices_page(store, qtbot)
    out = tmp_path / "年度.pdf"
    monkeypatch.setattr(page, "ask_year_end", lambda: ("柳树村", 2025, str(out)))
    page.landscape.setChecked(True)
    res = page.print_year_end()
    assert res is not None and res.rows == 12
    assert out.read_bytes()[:4] == b"%PDF"
    text = "".join(pg.extract_text() for pg in PdfReader(str(out)).pages)
    assert "柳树村2025年度惠民惠农财政补贴资金发放情况公示" in text
    assert "已生成" in page.status.text() and str(out) in page.status.text()
    assert "12 人" in shown[-1]
    # a year without payouts is refused in window words, no file written
    monkeypatch.setattr(page, "ask_year_end", lambda: ("柳树村", 2019, str(tmp_path / "no.pdf")))
    assert page.print_year_end() is None
    assert "2019年没有任何补贴发放记录" in shown[-1] and "--" not in shown[-1] and "gkdesk" not in shown[-1]
    assert not (tmp_path / "no.pdf").exists()
    # cancelling asks nothing more and prints nothing
    monkeypatch.setattr(page, "ask_year_end", lambda: None)
    assert page.print_year_end() is None


def _wide_sheet(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026年农村低保及耕地补贴情况表"])
    ws.append(["序号", "组别", "户主姓名", "家庭人口", "耕地面积(亩)", "林地面积(亩)", "补贴标准", "补贴金额",
               "发放日期", "开户银行", "救助类别", "申请日期", "审批结果", "备注"])
    for i in range(1, 31):
        ws.append([i, "二组", "欧阳明月", 5, 1234.56, 987.5, 131.42, 162187.55, "2026-03-15", "农村信用合作联社",
                   "低保一类", "2026-01-05", "同意", "因病致贫,家中有重病患者"])
    wb.save(path)
    return path


def test_table_notice_too_wide_offers_wider_paper_then_prints(store, qtbot, tmp_path, shown, monkeypatch):
    page = _notices_page(store, qtbot)
    src = _wide_sheet(tmp_path / "情况表.xlsx")
    out = tmp_path / "表格公示.pdf"
    monkeypatch.setattr(page, "ask_table", lambda: (str(src), "2026年低保及补贴公示", "高桥村", str(out)))
    proposals: list[str] = []

    def say(answer):  # type: ignore[no-untyped-def]
        def question(*a, **k):  # type: ignore[no-untyped-def]
            proposals.append(a[2])
            return answer
        return question

    monkeypatch.setattr(QtWidgets.QMessageBox, "question", say(QtWidgets.QMessageBox.StandardButton.No))
    assert page.print_table() is None and not out.exists()
    assert "最宽的一列" in proposals[-1] and "最宽的一列" in shown[-1]
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", say(QtWidgets.QMessageBox.StandardButton.Yes))
    res = page.print_table()
    assert res is not None and res.rows == 30
    assert (page.paper.currentText(), page.landscape.isChecked()) != ("A4", False)  # switched as proposed
    assert out.read_bytes()[:4] == b"%PDF"
    text = "".join(pg.extract_text() for pg in PdfReader(str(out)).pages)
    assert "2026年低保及补贴公示" in text and "欧阳明月" in text
    assert "30 行" in shown[-1]


WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.mark.skipif(not WQY.exists(), reason="needs WenQuanYi Micro Hei")
def test_table_notice_with_a_missing_glyph_offers_blank_squares(store, qtbot, tmp_path, shown, monkeypatch):
    from gkdesk.notices.fonts import FONT_DIRS_ENV

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / WQY.name).symlink_to(WQY)
    monkeypatch.setenv(FONT_DIRS_ENV, str(fonts))  # a computer without any Ext-B font
    src = tmp_path / "名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["户主姓名", "保障人数"])
    wb.active.append(["王𠮷", 2])
    wb.active.append(["李四", 1])
    wb.save(src)
    out = tmp_path / "名单公示.pdf"
    page = _notices_page(store, qtbot)
    monkeypatch.setattr(page, "ask_table", lambda: (str(src), "低保名单公示", None, str(out)))
    offered: list[list[str]] = []
    monkeypatch.setattr(page, "confirm_missing", lambda missing=None: offered.append(missing) and None)
    assert page.print_table() is None and not out.exists()
    assert "U+20BB7" in offered[-1][0]
    monkeypatch.setattr(page, "confirm_missing", lambda missing=None: offered.append(missing) or True)
    res = page.print_table()
    assert res is not None and res.missing_glyphs == 1 and out.read_bytes()[:4] == b"%PDF"


@pytest.fixture
def payouts_page(store, qtbot) -> PayoutsPage:
    rng = random.Random(5)
    with store.session() as s:
        people = make_people(township.villages(s), 4, rng)
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期")
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people[:5], rng, Decimal("131.42"), "第2期")
    page = PayoutsPage(UiContext(store, operator="王会计"))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.refresh()
    return page


def _select(page: PayoutsPage, period: str) -> int:
    row = next(r for r in range(page.batches.rowCount()) if page.batches.item(r, 2).text() == period)
    page.batches.selectRow(row)
    return row


def test_export_selected_batch_warns_and_writes_full_data(payouts_page, store, tmp_path, asked, shown, monkeypatch):
    page = payouts_page
    _select(page, "第2期")
    out = tmp_path / "导出.xlsx"
    monkeypatch.setattr(page, "ask_export_path", lambda: str(out))
    res = page.export_selected()
    assert res is not None and res.rows == 5
    title, _question, facts = asked[-1]
    assert title == "导出发放批次"
    note_facts = dict(facts)
    assert note_facts["期次"] == "第2期" and note_facts["补贴项目"] == "耕地地力保护补贴"
    wb = openpyxl.load_workbook(out)
    values = [c for row in wb.active.iter_rows(values_only=True) for c in row if c is not None]
    with store.session() as s:
        batch = s.scalar(select(PayoutBatch).where(PayoutBatch.period == "第2期"))
        ids = set(s.scalars(select(Payout.id_number).where(Payout.batch_id == batch.id)))
    assert ids and ids <= {str(v) for v in values}  # full IDs: this file is for internal use
    assert "仅供内部使用" in shown[-1]


def test_export_warning_names_full_ids_and_cancel_writes_nothing(payouts_page, tmp_path, monkeypatch):
    page = payouts_page
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(confirm_mod, "answer_for_tests", None)

    def no(box):  # type: ignore[no-untyped-def]
        seen.append((box.text(), box.defaultButton().text()))
        box.defaultButton().click()  # Enter: the safe choice
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", no)
    monkeypatch.setattr(page, "ask_export_path", lambda: str(tmp_path / "x.xlsx"))
    assert page.export_selected() is None and not (tmp_path / "x.xlsx").exists()
    assert "完整身份证号" in seen[-1][0] and "仅供内部使用" in seen[-1][0]
    assert seen[-1][1] in ("取消", "Cancel")


def test_delete_confirmation_names_program_period_and_rows(payouts_page, store, monkeypatch, qtbot):
    page = payouts_page
    row = _select(page, "第2期")
    rows_text = page.batches.item(row, 3).text()
    seen: list[tuple[str, str]] = []

    def cancel(box):  # type: ignore[no-untyped-def]
        seen.append((box.text(), box.defaultButton().text()))
        box.defaultButton().click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", cancel)
    assert page.delete_selected() is None
    text, default = seen[-1]
    assert "耕地地力保护补贴" in text and "第2期" in text and "2026" in text and rows_text in text
    assert default in ("取消", "Cancel")
    assert len(ops.list_batches(page.ctx.ws)) == 2  # Enter deleted nothing
    facts: list[list] = []
    monkeypatch.setattr(confirm_mod, "answer_for_tests", lambda t, q, f: facts.append(f) or True)
    res = page.delete_selected()
    assert res is not None and res.period == "第2期" and res.rows == 5
    assert dict(facts[-1])["行数"] == "5"
    assert [b["period"] for b in ops.list_batches(page.ctx.ws)] == ["第1期"]


def test_layouts_dialog_lists_exports_deletes_and_imports(payouts_page, store, tmp_path, asked, shown, monkeypatch):
    with store.session() as s:
        for name, sig in (("信用社代发表", "sig-a"), ("财政一卡通", "sig-b")):
            L.save(s, L.LayoutSpec(name, sig, ["户名", "身份证", "金额"], {"name": "户名", "amount": "金额"}), "王会计")
    dlg = payouts_page.layouts_dialog()
    assert isinstance(dlg, LayoutsDialog)
    assert sorted(dlg.names) == ["信用社代发表", "财政一卡通"]
    assert dlg.table.rowCount() == 2 and "姓名←户名" in dlg.table.item(0, 2).text()
    assert dlg.table.item(0, 1).text() == "本机保存"
    out = tmp_path / "模板.json"
    monkeypatch.setattr(dlg, "ask_export_path", lambda: str(out))
    moved = dlg.export_layouts()
    assert moved is not None and sorted(moved.names) == ["信用社代发表", "财政一卡通"] and out.exists()
    dlg.table.selectRow(dlg.names.index("财政一卡通"))
    assert dlg.delete_selected()
    assert "财政一卡通" in asked[-1][2][0][1]
    with store.session() as s:
        assert list(s.scalars(select(PayoutLayout.name))) == ["信用社代发表"]
    assert dlg.names == ["信用社代发表"]
    monkeypatch.setattr(dlg, "ask_import_path", lambda: str(out))
    back = dlg.import_layouts()
    assert back is not None and "财政一卡通" in back.names
    assert sorted(dlg.names) == ["信用社代发表", "财政一卡通"]
    bad = tmp_path / "bad.json"
    bad.write_text("not json", encoding="utf-8")
    monkeypatch.setattr(dlg, "ask_import_path", lambda: str(bad))
    assert dlg.import_layouts() is None
    assert "bad.json" in shown[-1] and "--" not in shown[-1]
    dlg.close()
