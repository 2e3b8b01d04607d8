"""The window step of the selftest: the real main window opens every page and closes."""

from __future__ import annotations

from gkdesk import selftest


def test_window_step_opens_every_page_and_previews_the_pdf(qtbot, tmp_path):
    ctx = selftest.Context(tmp_path)
    try:
        pdf_msg = selftest.step_pdf(ctx)
        msg = selftest.step_window(ctx)
    finally:
        ctx.close()
    assert "已嵌入" in pdf_msg or "STSong" in pdf_msg
    from gkdesk.ui.pages import PAGE_SPECS

    assert f"{len(PAGE_SPECS)} 个页面均已打开并关闭" in msg
    assert "QtPdf 预览自检 PDF 正常" in msg
    assert "平台插件 offscreen" in msg
