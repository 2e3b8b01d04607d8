"""Screenshots of every page on the demo township, as a clerk sees them on a 1366×768 screen.

Not a test: run under Xvfb so the window is real (fonts, style sheet, Qt's Chinese dialogs)::

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python tests/ui/shoot_pages.py docs/

It maximizes the main window the way the clerk's window opens on a small laptop and saves
``<page>.png`` for every page, ``main-window.png`` (首页), ``villages-yearend.png`` and two
dialogs (``dialog-record.png``: 补录 form; ``dialog-confirm.png``: a confirmation with 取消).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main(out: Path) -> None:
    from gkdesk import settings
    from gkdesk.app import Workspace, setup
    from gkdesk.store import open_store
    from gkdesk.ui.app import make_app
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.fonts import apply_font
    from gkdesk.ui.mainwindow import MainWindow
    from gkdesk.ui.pages import PAGE_SPECS
    from gkdesk.ui.qt import QtCore, QtWidgets

    app = make_app(["shots"])
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(open_store(Path(tmp) / "data"), "王小红")
        setup.load_demo(ws)
        from gkdesk.app import backups as backup_ops
        from gkdesk.app import village_catalogue as cat

        for v, sup, fin in [("高桥村", "王建国", "李秀英"), ("柳树村", "张德明", "刘桂兰"), ("石桥村", "陈志强", "杨淑芬")]:
            cat.set_reviewers(ws, v, supervision=sup, finance=fin)
        for _ in range(3):
            backup_ops.create(ws, force=True)
        with ws.session() as s:
            apply_font(app, settings.FONT_SIZE.get(s))
        win = MainWindow(UiContext(ws), demo=True)
        screen = app.primaryScreen().availableGeometry()
        win.place(screen)
        win.show()
        win.setGeometry(screen)  # maximized (Xvfb has no window manager to do it)

        def settle(ms: int = 300) -> None:
            end = QtCore.QElapsedTimer()
            end.start()
            while end.elapsed() < ms:
                app.processEvents()

        settle(800)
        print("window", win.geometry(), "screen", win.screen().availableGeometry())

        def shot(name: str, widget: QtWidgets.QWidget | None = None) -> None:
            settle()
            (widget or win).grab().save(str(out / f"{name}.png"))
            print("saved", out / f"{name}.png")

        for spec in PAGE_SPECS:
            page = win.show_page(spec.key)
            if spec.key == "villages":
                page.select_village("石桥村")
                r = next(r for r in range(page.grid.rowCount()) if page.grid.item(r, 0).text() == "村集体财务收支明细")
                col = next(c for c in range(2, 14) if (r, c) in page._cells and page._cells[(r, c)][1].posting_ids)
                page.select_cell(r, col)
            if spec.key == "notices":  # the preview renders in the background
                for _ in range(100):
                    if page.print_btn.isEnabled():
                        break
                    settle(200)
                settle(500)
            if spec.key == "payouts" and getattr(page, "batches", None) is not None and page.batches.rowCount():
                page.batches.selectRow(0)
            shot(spec.key)
            if spec.key == "home":
                shot("main-window")
            if spec.key == "villages":
                page.select_village("高桥村")
                page.tabs.setCurrentIndex(1)
                shot("villages-yearend")
                page.tabs.setCurrentIndex(0)
                # the 补录 form for a past period, and a confirmation, with Qt's own buttons in Chinese
                r = next(r for r in range(page.grid.rowCount()) if page.grid.item(r, 0).text() == "村集体财务收支明细")
                empty = next((c for c in range(2, 14) if (r, c) in page._cells
                              and not page._cells[(r, c)][1].posting_ids), 2)
                page.select_cell(r, empty)
                from gkdesk.ui import villages_dialogs as dlg

                form = dlg.FormDialog("补录已张贴的公示", dlg.record_fields(date(2026, 9, 18), "王建国", "民主理财小组"),
                                      win)
                form.show()
                shot("dialog-record", form)
                form.close()
                box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, "确认恢复",
                                            "用 2026-11-26 14:03:12 的备份(导入前)替换当前数据?",
                                            QtWidgets.QMessageBox.StandardButton.Yes
                                            | QtWidgets.QMessageBox.StandardButton.Cancel, win)
                box.show()
                shot("dialog-confirm", box)
                box.close()
        ws.store.close()
        import os

        os._exit(0)  # no close-time backup or dialogs: the pictures are what we came for


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
