"""公示打印 page: the preview shows the real pages, saving and printing produce real PDFs."""

from __future__ import annotations

import os
import random
from decimal import Decimal
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from pypdf import PdfReader
from sqlalchemy import select

from gkdesk import township
from gkdesk.models import Posting
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from gkdesk.ui.context import UiContext
from gkdesk.ui.pages.notices import ALL_VILLAGES, NoticesPage
from gkdesk.ui.qt import QtCore

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def page(store, qtbot):
    rng = random.Random(9)
    with store.session() as s:
        people = make_people(township.villages(s), 30, rng)
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng, Decimal("131.42"), "第1期")
    ctx = UiContext(store, operator="王会计")
    p = NoticesPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    qtbot.waitUntil(lambda: p.doc.pageCount() > 0, timeout=10000)
    return p


def test_preview_follows_options_and_save_records_posting(page, qtbot, store, tmp_path):
    assert page.village.currentText() == "高桥村"
    assert [page.village.itemText(i) for i in range(page.village.count())][-1] == ALL_VILLAGES
    normal = page.doc.pageCount()
    assert "共 " in page.status.text() and "30 人" in page.status.text()
    page.large.setChecked(True)
    qtbot.waitUntil(lambda: page.doc.pageCount() > normal, timeout=10000)
    page.for_posting.setChecked(True)
    page.start.setDate(QtCore.QDate(2026, 3, 2))
    page.days.setValue(5)
    out = tmp_path / "saved.pdf"
    assert page._save_reporting(str(out))
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "公示期:2026年3月2日至2026年3月6日(共5天)" in text and "高桥村" in text
    with store.session() as s:
        post = s.scalar(select(Posting))
    assert post.printed_by == "王会计" and post.village_id is not None
    assert "已记录 1 条公示" in page.status.text()


def test_unknown_batch_is_refused_in_window_words_and_nothing_saved(page, store, tmp_path, monkeypatch):
    from gkdesk.ui.qt import QtWidgets

    warned: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    page.batch.setItemData(0, "ffffffff")
    assert not page._save_reporting(str(tmp_path / "x.pdf"))
    assert "找不到发放清册“ffffffff”" in warned[-1] and "“补贴发放”页" in warned[-1]
    assert "--" not in warned[-1] and "gkdesk" not in warned[-1]
    assert not (tmp_path / "x.pdf").exists()
    assert page.auto_save_path().parent == store.data_dir / "notices"


def test_print_to_pdf_printer_prints_every_page(page, tmp_path):
    from PySide6 import QtPrintSupport

    printer = QtPrintSupport.QPrinter()
    printer.setOutputFormat(QtPrintSupport.QPrinter.OutputFormat.PdfFormat)
    printer.setResolution(100)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert page.print_to(printer) == page.doc.pageCount()
    assert len(PdfReader(str(out)).pages) == page.doc.pageCount()


@pytest.mark.skipif(not os.environ.get("GKDESK_SCREENSHOTS"), reason="set GKDESK_SCREENSHOTS=1 to refresh docs/")
def test_screenshot_with_demo_data(tmp_path, qtbot):
    from gkdesk import demo
    from gkdesk.store import open_store

    store = open_store(tmp_path / "demo")
    with store.session() as s:
        demo.fill_demo(s)
    p = NoticesPage(UiContext(store, operator="演示"))
    qtbot.addWidget(p)
    p.resize(1280, 820)
    p.show()
    qtbot.waitUntil(lambda: p.doc.pageCount() > 0, timeout=10000)
    p.mask.setCurrentIndex(1)
    p.for_posting.setChecked(True)
    p.start.setDate(QtCore.QDate(2026, 3, 2))
    qtbot.wait(2000)
    p.grab().save(str(DOCS / "notices.png"))
    store.close()


WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


@pytest.mark.skipif(not WQY.exists(), reason="needs WenQuanYi Micro Hei")
def test_missing_glyph_is_shown_before_printing_and_a_blank_square_offered(store, qtbot, tmp_path, monkeypatch):
    from gkdesk.notices.fonts import FONT_DIRS_ENV
    from gkdesk.ui.qt import QtWidgets

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / WQY.name).symlink_to(WQY)
    monkeypatch.setenv(FONT_DIRS_ENV, str(fonts))  # a computer without any Ext-B font
    rng = random.Random(3)
    with store.session() as s:
        people = make_people([township.find_village(s, "高桥村")], 6, rng)
        v, g, _n, idn, acct = people[1]
        people[1] = (v, g, "王𠮷", idn, acct)
        make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, rng)
    p = NoticesPage(UiContext(store, operator="王会计"))
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    qtbot.waitUntil(lambda: p.doc.pageCount() > 0, timeout=10000)
    assert p.missing and "王𠮷" in p.missing[0] and "U+20BB7" in p.missing[0]
    assert "空白方框" in p.status.text()
    shown: list[str] = []

    def answer(box, choice):  # type: ignore[no-untyped-def]
        box.show()
        shown.append(box.text() + "\n" + box.informativeText())
        if os.environ.get("GKDESK_SCREENSHOTS"):
            box.grab().save(str(DOCS / "notice-missing-glyph.png"))
        button = next(b for b in box.buttons() if b.text() == choice)
        button.click()
        return 0

    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", lambda box: answer(box, "取消"))
    assert p.save_to(tmp_path / "no.pdf") is None and not (tmp_path / "no.pdf").exists()
    assert "王𠮷" in shown[-1] and "--" not in shown[-1]
    monkeypatch.setattr(QtWidgets.QMessageBox, "exec", lambda box: answer(box, "留空白方框打印"))
    res = p.save_to(tmp_path / "ok.pdf")
    assert res is not None and res.missing_glyphs == 1
    assert "王" in PdfReader(str(tmp_path / "ok.pdf")).pages[0].extract_text()
