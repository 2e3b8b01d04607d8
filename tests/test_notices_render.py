"""Renderer and fonts: rare characters, fallbacks, the last-resort digit scrub, the leak check itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from gkdesk.notices.fonts import FONT_DIRS_ENV, choose_fonts, load_font
from gkdesk.notices.layout import PageLayout
from gkdesk.notices.render import Column, Notice, Row, render, scrub
from tests.notice_helpers import assert_no_secrets, page_texts

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_fonts = pytest.mark.skipif(not (WQY.exists() and DEJAVU.exists()), reason="needs WenQuanYi and DejaVu fonts")


def _notice(names: list[str]) -> Notice:
    return Notice(title="测试公示", township="高桥镇", village="高桥村",
                  columns=[Column("序号", 1, "center"), Column("姓名", 2), Column("备注", 4)],
                  rows=[Row([str(i), n, ""], who=f"第{i}行 {n}") for i, n in enumerate(names, start=1)])


@needs_fonts
def test_character_missing_from_chosen_font_comes_from_a_fallback(tmp_path):
    fonts = choose_fonts(str(DEJAVU))  # a Latin font: every Chinese character must fall back
    assert fonts.primary.source == str(DEJAVU)
    out = tmp_path / "f.pdf"
    res = render([_notice(["张三", "Zoë 李"])], out, PageLayout(), fonts)
    assert res.missing == []
    text = page_texts(out)[0]
    assert "张三" in text and "测试公示" in text


@needs_fonts
def test_rare_character_no_font_has_is_reported_with_person_and_left_blank(tmp_path, monkeypatch):
    only_wqy = tmp_path / "fonts"
    only_wqy.mkdir()
    (only_wqy / WQY.name).symlink_to(WQY)
    monkeypatch.setenv(FONT_DIRS_ENV, str(only_wqy))  # a machine without any Ext-B font
    fonts = choose_fonts()
    assert fonts.primary.embedded and "WenQuanYi" in fonts.primary.label
    out = tmp_path / "r.pdf"
    res = render([_notice(["王𠮷", "李䶮", "赵四"])], out, PageLayout(), fonts)
    missing = {(m.who, m.char) for m in res.missing}
    assert ("第1行 王𠮷", "𠮷") in missing
    msg = next(m for m in res.missing if m.char == "𠮷").describe()
    assert "王𠮷" in msg and "U+20BB7" in msg and "姓名" in msg
    text = page_texts(out)[0]
    assert "王" in text and "赵四" in text
    assert "□" not in text and "𠮷" not in text  # a blank square is drawn, not a hairline box glyph


def test_unusable_font_setting_falls_back_with_a_warning(tmp_path):
    bogus = tmp_path / "nofont.ttf"
    bogus.write_bytes(b"not a font")
    fonts = choose_fonts(str(bogus))
    assert any("无法使用" in w for w in fonts.warnings)
    assert load_font(str(bogus)) is None


def test_long_digit_runs_are_scrubbed_everywhere(tmp_path):
    full_id, account = "11010519491231002X", "6217000012345678901"
    assert scrub(f"身份证{full_id}") == "身份证110***********002X"
    n = _notice(["张三"])
    n.rows[0].cells[2] = f"卡号{account} 身份证{full_id}"
    n.title = f"测试 {full_id}"
    out = tmp_path / "s.pdf"
    render([n], out, PageLayout(), choose_fonts(), title=n.title)
    assert_no_secrets(out, [full_id, account])
    assert "8901" in page_texts(out)[0]


def test_leak_check_catches_a_leak(tmp_path):
    """The check used everywhere must be able to fail: a PDF that does carry an ID."""
    out = tmp_path / "leak.pdf"
    c = Canvas(str(out))
    c.setAuthor("11010519491231002X")
    c.drawString(100, 700, "440524188001010014")
    c.save()
    for secret in ("11010519491231002X", "440524188001010014"):
        with pytest.raises(AssertionError):
            assert_no_secrets(out, [secret])


def test_page_numbers_every_page_and_header_repeated(tmp_path):
    names = [f"姓名{i}" for i in range(200)]
    out = tmp_path / "p.pdf"
    res = render([_notice(names), _notice(names[:5])], out, PageLayout(paper="A3", landscape=True), choose_fonts())
    texts = page_texts(out)
    assert len(texts) == res.pages == sum(res.notice_pages) and res.notice_pages[1] == 1
    first = res.notice_pages[0]
    for k in range(first):
        assert f"第 {k + 1} 页 共 {first} 页" in texts[k] and "序号" in texts[k]
    assert "第 1 页 共 1 页" in texts[first]
