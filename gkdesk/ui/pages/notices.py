"""公示打印: choose a payout batch, village and options, preview the real pages, print, save.

The preview is the very PDF the core renders (QtPdf shows it), so what the clerk sees
is what the printer gets. Printing goes through the system dialog, page by page as
images; the PDF is always saved as well (in the data directory, or where the clerk
chooses), and a posting is recorded when a posting period is set.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6 import QtPdf, QtPdfWidgets, QtPrintSupport  # only this page needs them

from gkdesk.app import notices
from gkdesk.errors import GkError
from gkdesk.notices.masking import MASK_ID_PARTIAL, MASK_NONE
from gkdesk.ui.hints import with_hint
from gkdesk.ui.jobs import run_job
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import QtCore, QtGui, QtWidgets

ALL_VILLAGES = "(全部村)"


class NoticesPage(Page):
    watches = frozenset({"payouts", "villages", "all", "settings"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        outer = QtWidgets.QVBoxLayout(self)
        outer.addWidget(self.heading("公示打印"))
        split = QtWidgets.QHBoxLayout()
        outer.addLayout(split, 1)
        form_box = QtWidgets.QWidget()
        form_box.setMaximumWidth(360)
        form = QtWidgets.QFormLayout(form_box)
        self.batch = QtWidgets.QComboBox()
        self.village = QtWidgets.QComboBox()
        self.by_group = QtWidgets.QCheckBox("每个村民小组单独一张")
        self.paper = QtWidgets.QComboBox()
        self.paper.addItems(["A4", "A3"])
        self.landscape = QtWidgets.QCheckBox("横向")
        self.large = QtWidgets.QCheckBox("大字版(适老化)")
        self.mask = QtWidgets.QComboBox()
        self.mask.addItem("不显示身份证号", MASK_NONE)
        self.mask.addItem("显示部分身份证号(前6后4)", MASK_ID_PARTIAL)
        self.for_posting = QtWidgets.QCheckBox("张贴用:印公示期并记录公示")
        self.start = QtWidgets.QDateEdit(QtCore.QDate.currentDate())
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.days = QtWidgets.QSpinBox()
        self.days.setRange(1, 90)
        self.days.setValue(7)
        self.days.setSuffix(" 天")
        self.working = QtWidgets.QCheckBox("按工作日计算")
        form.addRow("发放清册", self.batch)
        form.addRow("村(社区)", self.village)
        form.addRow("", self.by_group)
        form.addRow("纸张", self.paper)
        form.addRow("", self.landscape)
        form.addRow("", self.large)
        form.addRow("身份证号", self.mask)
        form.addRow("", self.for_posting)
        form.addRow("公示开始", self.start)
        form.addRow("公示天数", self.days)
        form.addRow("", self.working)
        buttons = QtWidgets.QHBoxLayout()
        self.print_btn = QtWidgets.QPushButton("打印…")
        self.save_btn = QtWidgets.QPushButton("保存 PDF…")
        self.print_btn.setShortcut(QtGui.QKeySequence.StandardKey.Print)
        self.print_btn.clicked.connect(self.print_dialog)
        self.save_btn.clicked.connect(self.save_dialog)
        buttons.addWidget(self.print_btn)
        buttons.addWidget(self.save_btn)
        form.addRow(buttons)
        others = QtWidgets.QHBoxLayout()
        self.year_end_btn = QtWidgets.QPushButton("年度汇总公示…")
        self.year_end_btn.setToolTip("打印一个村全年各项补贴的发放结果公开(每人一行、每项补贴一列)")
        self.table_btn = QtWidgets.QPushButton("表格公示…")
        self.table_btn.setToolTip("把任意表格(xlsx/xls/csv)或文字(txt)排成公示单;身份证号、账号等列自动去掉")
        self.year_end_btn.clicked.connect(self.print_year_end)
        self.table_btn.clicked.connect(self.print_table)
        others.addWidget(self.year_end_btn)
        others.addWidget(self.table_btn)
        form.addRow(others)
        self.status = QtWidgets.QLabel()
        self.status.setWordWrap(True)
        form.addRow(self.status)
        split.addWidget(form_box)
        self.doc = QtPdf.QPdfDocument(self)
        self.view = QtPdfWidgets.QPdfView(self)
        self.view.setDocument(self.doc)
        self.view.setPageMode(QtPdfWidgets.QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QtPdfWidgets.QPdfView.ZoomMode.FitToWidth)
        split.addWidget(self.view, 1)
        self._buffer: QtCore.QBuffer | None = None
        self.pdf_bytes = b""
        self.preview_ok = False
        self.missing: list[str] = []  # from the last preview: whose names have characters no font has
        self._job = None
        self._timer = QtCore.QTimer(self, singleShot=True, interval=300)
        self._timer.timeout.connect(self.update_preview)
        self.batch.currentIndexChanged.connect(self._batch_changed)
        for w in (self.village, self.paper, self.mask):
            w.currentIndexChanged.connect(self.schedule_preview)
        for w in (self.by_group, self.landscape, self.large, self.for_posting, self.working):
            w.toggled.connect(self.schedule_preview)
        self.start.dateChanged.connect(self.schedule_preview)
        self.days.valueChanged.connect(self.schedule_preview)
        self.for_posting.toggled.connect(self._posting_toggled)
        self.working.toggled.connect(lambda on: self.days.setSuffix(" 个工作日" if on else " 天"))
        self._posting_toggled(False)

    # ---- options ------------------------------------------------------------------------
    def _posting_toggled(self, on: bool) -> None:
        for w in (self.start, self.days, self.working):
            w.setEnabled(on)

    def options(self) -> notices.NoticeOptions:
        posting = self.for_posting.isChecked()
        return notices.NoticeOptions(
            paper=self.paper.currentText(), landscape=self.landscape.isChecked(), large_print=self.large.isChecked(),
            mask=self.mask.currentData(), by_group=self.by_group.isChecked(),
            start=self.start.date().toPython() if posting else None, days=self.days.value() if posting else None,
            working_days=self.working.isChecked())

    def village_name(self) -> str | None:
        name = self.village.currentText()
        return None if not name or name == ALL_VILLAGES else name

    def refresh(self) -> None:
        current = self.batch.currentData()
        choices = notices.batch_choices(self.ctx.ws)
        self.batch.blockSignals(True)
        self.batch.clear()
        for bid, label in choices:
            self.batch.addItem(label, bid)
        idx = self.batch.findData(current)
        self.batch.setCurrentIndex(max(idx, 0))
        self.batch.blockSignals(False)
        if not choices:
            self.status.setText("还没有发放清册。请先在“补贴发放”页导入发放清册。")
        self._batch_changed()

    def _batch_changed(self) -> None:
        bid = self.batch.currentData()
        names: list[str] = []
        if bid:
            names = notices.batch_villages(self.ctx.ws, bid)
        current = self.village.currentText()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItems(names + ([ALL_VILLAGES] if len(names) > 1 else []))
        idx = self.village.findText(current)
        self.village.setCurrentIndex(max(idx, 0))
        self.village.blockSignals(False)
        self.schedule_preview()

    # ---- preview -------------------------------------------------------------------------
    def schedule_preview(self, *_args) -> None:
        self._timer.start()

    def update_preview(self) -> None:
        bid = self.batch.currentData()
        self.print_btn.setEnabled(False)
        self.save_btn.setEnabled(False)
        if not bid:
            return
        opts, village, ws = self.options(), self.village_name(), self.ctx.ws

        def work(report, cancelled):
            return notices.preview_payouts(ws, bid, opts, village, cancelled=cancelled)

        self._job = run_job(self, "正在生成预览", work, self._show_preview, self._preview_failed, ask_on_close=False)

    def _alive(self) -> bool:
        """A preview job may finish after the page was closed."""
        return shiboken6.isValid(self) and shiboken6.isValid(self.doc)

    def _show_preview(self, preview: notices.NoticePreview) -> None:
        if not self._alive():
            return
        self.pdf_bytes = preview.pdf
        self.missing = list(preview.missing)
        self.doc.close()
        self._buffer = QtCore.QBuffer(self)
        self._buffer.setData(QtCore.QByteArray(preview.pdf))
        self._buffer.open(QtCore.QIODevice.OpenModeFlag.ReadOnly)
        self.doc.load(self._buffer)
        self.preview_ok = True
        self.status.setText("\n".join([preview.summary(), *("注意:" + w for w in preview.warning_lines(5))]))
        self.print_btn.setEnabled(True)
        self.save_btn.setEnabled(True)

    def _preview_failed(self, exc: BaseException) -> None:
        if not self._alive():
            return
        self.preview_ok = False
        self.doc.close()
        self.status.setText(with_hint(exc.message, exc.hint, exc.hint_args) if isinstance(exc, GkError)
                            else f"生成预览失败:{exc}")
        if isinstance(exc, notices.NoticeTooWide) and exc.suggest is not None:
            self.propose_layout(exc)

    def propose_layout(self, exc: notices.NoticeTooWide) -> bool:
        """The table does not fit: offer the paper on which it does, and switch to it on yes."""
        s = exc.suggest
        assert s is not None
        answer = QtWidgets.QMessageBox.question(self, "纸张放不下", f"{exc.message}\n\n现在改用“{s.describe()}”吗?")
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            self.paper.setCurrentText(s.paper)
            self.landscape.setChecked(s.landscape)
            return True
        return False

    def confirm_missing(self, missing: list[str] | None = None) -> bool | None:
        """Before printing: show whose names have characters no font has; None = the clerk cancelled.

        True: print with a full-size blank square in their place, to be written in by hand.
        """
        missing = self.missing if missing is None else missing
        if not missing:
            return False
        box = QtWidgets.QMessageBox(self)
        box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
        box.setWindowTitle("有字无法打印")
        box.setText(f"以下 {len(missing)} 处姓名中的字,这台电脑上所有字体都没有,无法打印:")
        box.setInformativeText("\n".join(missing[:15]) + ("\n……" if len(missing) > 15 else "")
                               + "\n\n可以在这些字的位置留出空白方框,打印后用笔补上;"
                               "或安装含这些字的字体(如花园明朝 HanaMinB)后重新打印。")
        blank = box.addButton("留空白方框打印", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QtWidgets.QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return True if box.clickedButton() is blank else None

    # ---- save and print ------------------------------------------------------------------
    def save_to(self, path: str | Path) -> notices.NoticesPrinted | None:
        """Print to ``path`` (records a posting when a posting period is set); None after a refusal."""
        bid, opts, village = self.batch.currentData(), self.options(), self.village_name()
        allow = self.confirm_missing()
        if allow is None:
            return None
        opts.allow_missing_glyphs = allow
        return self.run_action(lambda ws: notices.print_payouts(ws, bid, path, opts, village=village), title="无法保存")

    def save_dialog(self) -> None:
        name = f"{self.village_name() or '全部村'}-公示.pdf"
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "保存公示 PDF", str(Path.home() / name), "PDF (*.pdf)")
        if path:
            self._save_reporting(path)

    def _save_reporting(self, path: str) -> bool:
        res = self.save_to(path)
        if res is None:
            return False
        self.status.setText("\n".join([f"已保存:{path}", res.summary(), *("注意:" + w for w in res.warning_lines(5))]))
        return True

    def auto_save_path(self) -> Path:
        return notices.default_pdf_path(self.ctx.ws, self.village_name(), self.batch.currentText())

    def print_to(self, printer: QtPrintSupport.QPrinter) -> int:
        """Paint every preview page onto ``printer`` as an image at the printer's resolution."""
        painter = QtGui.QPainter()
        if not painter.begin(printer):
            raise RuntimeError("无法开始打印")
        try:
            rect = painter.viewport()
            for i in range(self.doc.pageCount()):
                if i:
                    printer.newPage()
                pts = self.doc.pagePointSize(i)
                dpi = min(printer.resolution(), 300)
                size = QtCore.QSize(int(pts.width() / 72 * dpi), int(pts.height() / 72 * dpi))
                image = self.doc.render(i, size)
                target = image.size().scaled(rect.size(), QtCore.Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QtCore.QRect(rect.topLeft(), target), image)
        finally:
            painter.end()
        return self.doc.pageCount()

    def print_dialog(self) -> None:
        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        opts = self.options()
        printer.setPageSize(QtGui.QPageSize(QtGui.QPageSize.PageSizeId.A3 if opts.paper == "A3"
                                            else QtGui.QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QtGui.QPageLayout.Orientation.Landscape if opts.landscape
                                   else QtGui.QPageLayout.Orientation.Portrait)
        dialog = QtPrintSupport.QPrintDialog(printer, self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        path = self.auto_save_path()  # the PDF is always kept too
        if self._save_reporting(str(path)):
            self.print_to(printer)

    # ---- year-end summary and table notices --------------------------------------------
    def _ask_output(self, caption: str, name: str) -> str:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), "PDF 文件 (*.pdf)")
        if path and not path.lower().endswith(".pdf"):
            path += ".pdf"
        return path

    def ask_year_end(self) -> tuple[str, int, str] | None:
        """(village, year, output PDF) for the 年度汇总公示, or None when the clerk cancels."""
        from gkdesk.app import payouts

        dlg = QtWidgets.QDialog(self)
        dlg.setWindowTitle("年度补贴汇总公示")
        form = QtWidgets.QFormLayout(dlg)
        village = QtWidgets.QComboBox()
        village.addItems(payouts.village_names(self.ctx.ws))
        if self.village_name():
            village.setCurrentText(self.village_name() or "")
        year = QtWidgets.QSpinBox()
        year.setRange(2000, 2100)
        year.setValue(QtCore.QDate.currentDate().year())
        form.addRow("村(社区)", village)
        form.addRow("年度", year)
        form.addRow(QtWidgets.QLabel("纸张、大字版和公示期按本页左侧的设置。"))
        box = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                         | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(dlg.accept)
        box.rejected.connect(dlg.reject)
        form.addRow(box)
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted or not village.currentText():
            return None
        out = self._ask_output("保存年度汇总公示", f"{village.currentText()}-{year.value()}年补贴发放结果公开.pdf")
        return (village.currentText(), year.value(), out) if out else None

    def ask_table(self) -> tuple[str, str, str | None, str] | None:
        """(source file, title, village or None, output PDF) for a table notice, or None on cancel."""
        src, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择要公示的表格或文字", str(Path.home()),
                                                       "表格或文字 (*.xlsx *.xls *.csv *.txt);;所有文件 (*)")
        if not src:
            return None
        title, ok = QtWidgets.QInputDialog.getText(self, "表格公示", "公示标题:", text=Path(src).stem)
        if not ok or not title.strip():
            return None
        out = self._ask_output("保存表格公示", f"{title.strip()}.pdf")
        return (src, title.strip(), self.village_name(), out) if out else None

    def print_year_end(self) -> notices.NoticesPrinted | None:
        """年度补贴汇总公示 of one village for one year, to a PDF the clerk chooses."""
        asked = self.ask_year_end()
        if asked is None:
            return None
        village, year, out = asked
        return self._print_other("年度汇总公示", out,
                                 lambda ws, opts: notices.print_year_end(ws, village, year, out, opts))

    def print_table(self) -> notices.NoticesPrinted | None:
        """A notice from any spreadsheet or text file; personal columns are left out by the core."""
        asked = self.ask_table()
        if asked is None:
            return None
        src, title, village, out = asked
        return self._print_other("表格公示", out,
                                 lambda ws, opts: notices.print_table(ws, src, title, out, opts, village=village))

    def _print_other(self, title: str, out: str, op) -> notices.NoticesPrinted | None:  # type: ignore[no-untyped-def]
        """Run a print with the page's options; offer the blank squares or wider paper and retry."""
        from gkdesk.notices.service import describe_missing

        allow = False
        for _ in range(4):  # at most: missing glyphs, a paper change, then the print itself
            opts = self.options()
            opts.by_group = False
            opts.allow_missing_glyphs = allow
            QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.WaitCursor)
            try:
                res = op(self.ctx.ws, opts)
            except notices.GlyphsMissing as exc:
                QtWidgets.QApplication.restoreOverrideCursor()
                if allow or self.confirm_missing(describe_missing(exc.missing)) is None:
                    return None
                allow = True
                continue
            except notices.NoticeTooWide as exc:
                QtWidgets.QApplication.restoreOverrideCursor()
                if exc.suggest is not None and self.propose_layout(exc):
                    continue
                QtWidgets.QMessageBox.warning(self, title, with_hint(exc.message, exc.hint, exc.hint_args))
                return None
            except GkError as exc:
                QtWidgets.QApplication.restoreOverrideCursor()
                QtWidgets.QMessageBox.warning(self, title, with_hint(exc.message, exc.hint, exc.hint_args))
                return None
            QtWidgets.QApplication.restoreOverrideCursor()
            if res.changes:
                self.ctx.notify(set(res.changes))
            self.status.setText("\n".join([f"已保存:{out}", res.summary(),
                                           *("注意:" + w for w in res.warning_lines(5))]))
            QtWidgets.QMessageBox.information(self, title, "\n".join([res.summary(), *res.file_lines(10)]))
            return res
        return None
