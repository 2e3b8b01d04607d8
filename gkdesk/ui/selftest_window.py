"""The window part of ``gkdesk selftest``: start the real main window, visit every page, close.

In a frozen bundle this is what proves the Qt platform plugin, the image-format
plugins, every lazily imported page module and (when a PDF is given) the QtPdf
module were all carried along.
"""

from __future__ import annotations

import sys
from pathlib import Path

from gkdesk import township
from gkdesk.app import Workspace, setup
from gkdesk.store import open_store

OPERATOR = "自检"


class SelftestFailed(AssertionError):
    """A window check did not hold (the selftest runner reports the Chinese message)."""


def _cjk_family() -> str:
    """The Chinese font the window will use (as :mod:`gkdesk.ui.fonts` chooses), or ""."""
    from gkdesk.ui.fonts import PREFERRED_FAMILIES
    from gkdesk.ui.qt import QtGui

    families = QtGui.QFontDatabase.families(QtGui.QFontDatabase.WritingSystem.SimplifiedChinese)
    for fam in PREFERRED_FAMILIES:
        if fam in families:
            return fam
    return next((f for f in families if " SC" in f), families[0] if families else "")


def check_window(workdir: Path, pdf: Path | None = None) -> str:
    from gkdesk.ui.app import make_app
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.mainwindow import MainWindow
    from gkdesk.ui.pages import PAGE_SPECS
    from gkdesk.ui.qt import QtGui, QtWidgets

    app = make_app([sys.argv[0] if sys.argv else "gkdesk"])
    ws = Workspace(open_store(workdir), OPERATOR)
    store = ws.store
    try:
        with ws.session() as s:
            ready = township.is_initialised(s)
        if not ready:
            setup.initialise(ws, "自检镇", "511702999", "自检县", villages=[("自检村", 2)])
        ctx = UiContext(ws)
        win = MainWindow(ctx)
        win.show()
        app.processEvents()
        for spec in PAGE_SPECS:
            try:
                win.show_page(spec.key)
            except Exception as exc:
                raise SelftestFailed(f"页面“{spec.title}”({spec.module})无法打开:{exc}") from exc
            app.processEvents()
        image = win.grab().toImage()
        if image.isNull() or image.width() < 200:
            raise SelftestFailed("窗口截图为空,界面没有画出来")
        icons = QtGui.QImageReader.supportedImageFormats()
        fmts = {bytes(f).decode() for f in icons}
        if not {"png", "jpeg"} <= fmts:
            raise SelftestFailed(f"缺少图片格式插件(现有:{', '.join(sorted(fmts))})")
        pdf_note = _check_qtpdf(pdf)
        win.close()
        app.processEvents()
        win.deleteLater()
        app.processEvents()
    finally:
        store.close()
    platform = QtWidgets.QApplication.platformName()
    family = _cjk_family() or "无(界面中文可能显示为方框)"
    return f"平台插件 {platform},{len(PAGE_SPECS)} 个页面均已打开并关闭,中文字体 {family}{pdf_note}"


def _check_qtpdf(pdf: Path | None) -> str:
    """Open the selftest PDF with QtPdf, which the notice preview relies on."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        return ",未包含 QtPdf 模块"
    if pdf is None or not Path(pdf).is_file():
        return ",QtPdf 可用(无 PDF 可预览)"
    doc = QPdfDocument()
    err = doc.load(str(pdf))
    if err != QPdfDocument.Error.None_ or doc.pageCount() != 1:
        raise SelftestFailed(f"QtPdf 打不开自检 PDF {Path(pdf).name}(错误 {err},页数 {doc.pageCount()})")
    img = doc.render(0, doc.pagePointSize(0).toSize())
    if img.isNull():
        raise SelftestFailed("QtPdf 无法绘制自检 PDF 的页面")
    doc.close()
    return ",QtPdf 预览自检 PDF 正常"
