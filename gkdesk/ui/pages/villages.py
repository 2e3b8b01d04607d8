"""村务公开: village list → posting calendar (items × months, colour per status) → posting
detail with photos, objections and history, plus the year-end checklist.

The page asks and shows: every action is an operation of ``gkdesk.app.postings`` or
``gkdesk.app.village_catalogue`` (the same ones ``gkdesk posting …`` calls), which also
says which steps a posting allows next; a refused step shows the core's message and
what the clerk can do about it.
"""

from __future__ import annotations

from datetime import date, timedelta

from gkdesk.app import postings as ops
from gkdesk.app import village_catalogue as cat_ops
from gkdesk.postings import calendar as pcal
from gkdesk.ui import villages_dialogs as dlg
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets

COLOURS = {  # background, text
    pcal.CELL_POSTED: ("#c8e6c9", "#1b5e20"), pcal.CELL_LATE: ("#ffe0b2", "#8a4b00"),
    pcal.CELL_MISSING: ("#ffcdd2", "#b71c1c"), pcal.CELL_DUE: ("#fff59d", "#5d4b00"),
    pcal.CELL_FUTURE: ("#f5f5f5", "#9e9e9e"), pcal.CELL_UNKNOWN: ("#e0e0e0", "#424242"),
    pcal.CELL_NONE: ("#ffffff", "#9e9e9e"), pcal.CELL_UNTRACKED: ("#fafafa", "#bdbdbd"),
}
MARKS = {pcal.CELL_POSTED: "✔", pcal.CELL_LATE: "迟", pcal.CELL_MISSING: "✘", pcal.CELL_DUE: "待",
         pcal.CELL_FUTURE: "", pcal.CELL_UNKNOWN: "?", pcal.CELL_NONE: "", pcal.CELL_UNTRACKED: "–"}
FIXED_COLS = 2  # 事项, 频次; then 12 month columns
FULL_TEXT = Qt.ItemDataRole.UserRole + 1  # "✔ 9/12"
MARK_TEXT = Qt.ItemDataRole.UserRole + 2  # "✔"


def _table(headers: list[str]) -> QtWidgets.QTableWidget:
    t = QtWidgets.QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _item(text: object, tip: str = "") -> QtWidgets.QTableWidgetItem:
    it = QtWidgets.QTableWidgetItem("" if text is None else str(text))
    if tip:
        it.setToolTip(tip)
    return it


class VillagesPage(dlg.DialogActions, Page):
    watches = frozenset({"postings", "village_catalogue", "villages", "calendar", "all"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.today = date.today()
        self.village: str | None = None
        self.posting_id: str | None = None
        self.cell: tuple[str, pcal.Cell] | None = None  # (item id, cell) selected in the grid
        self.cell_row = -1
        self._cells: dict[tuple[int, int], tuple[str, pcal.Cell]] = {}
        root = QtWidgets.QVBoxLayout(self)
        bar = QtWidgets.QHBoxLayout()
        bar.addWidget(self.heading("村务公开"))
        bar.addStretch(1)
        bar.addWidget(QtWidgets.QLabel("年度"))
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2015, 2100)
        self.year.setValue(self.today.year)
        self.year.valueChanged.connect(lambda _v: self.load_village())
        bar.addWidget(self.year)
        self.adopt_btn = QtWidgets.QPushButton("采用目录模板")
        self.adopt_btn.setToolTip("为尚无目录的村(社区)采用内置的村(居)务公开事项目录")
        self.adopt_btn.clicked.connect(self.adopt)
        self.export_btn = QtWidgets.QPushButton("导出台账…")
        self.export_btn.clicked.connect(self.export_dialog)
        self.village_btn = QtWidgets.QToolButton()
        self.village_btn.setText("本村设置")
        self.village_btn.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QtWidgets.QMenu(self.village_btn)
        self.tracking_act = menu.addAction("开始跟踪月份…", self.tracking_dialog)
        self.busy_act = menu.addAction("财务往来较多(财务事项每月公开)")
        self.busy_act.setCheckable(True)
        self.busy_act.triggered.connect(self.busy_toggle)
        self.reviewers_act = menu.addAction("审核人…", self.reviewers_dialog)
        menu.addSeparator()
        self.import_act = menu.addAction("导入县级公开事项目录…", self.import_catalogue_dialog)
        self.village_btn.setMenu(menu)
        bar.addWidget(self.adopt_btn)
        bar.addWidget(self.village_btn)
        bar.addWidget(self.export_btn)
        root.addLayout(bar)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.villages = QtWidgets.QListWidget()
        self.villages.setMaximumWidth(180)
        self.villages.currentItemChanged.connect(self._village_changed)
        split.addWidget(self.villages)
        right = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        top = QtWidgets.QWidget()
        tl = QtWidgets.QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.summary = QtWidgets.QLabel()
        self.notes = QtWidgets.QLabel()
        self.notes.setObjectName("warning")
        tl.addWidget(self.summary)
        tl.addWidget(self.notes)
        self.grid = QtWidgets.QTableWidget(0, FIXED_COLS + 12)
        self.grid.setHorizontalHeaderLabels(["公开事项", "频次"] + [f"{m}月" for m in range(1, 13)])
        self.grid.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().setVisible(False)
        self.grid.cellClicked.connect(self.select_cell)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self.catalogue_menu)
        self.grid.setToolTip("右键:修改频次、删除或添加本村的公开事项")
        # Twelve months always fit the width (no horizontal scrolling on a 1366-pixel screen):
        # the month columns share what the item names leave; a narrow month shows its mark only.
        head = self.grid.horizontalHeader()
        head.setMinimumSectionSize(28)
        head.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Interactive)
        for m in range(12):
            head.setSectionResizeMode(FIXED_COLS + m, QtWidgets.QHeaderView.ResizeMode.Stretch)
        head.sectionResized.connect(lambda *_a: self._fit_cell_texts())
        self.grid.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.grid.setWordWrap(False)
        tl.addWidget(self.grid)
        tl.addWidget(QtWidgets.QLabel(self._legend()))
        right.addWidget(top)

        self.tabs = QtWidgets.QTabWidget()
        detail = QtWidgets.QWidget()
        dl = QtWidgets.QHBoxLayout(detail)
        self.postings = _table(["编号", "公示标题", "状态", "张贴", "公示期", "照片", "异议"])
        self.postings.itemSelectionChanged.connect(self._posting_changed)
        dl.addWidget(self.postings, 3)
        panel = QtWidgets.QVBoxLayout()
        self.info = QtWidgets.QLabel("选择日历中的一格或一条公示")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        panel.addWidget(self.info)
        self.photo_list = QtWidgets.QListWidget()
        self.photo_list.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
        self.photo_list.setIconSize(QtCore.QSize(64, 64))
        self.photo_list.setFixedHeight(92)
        self.photo_list.itemDoubleClicked.connect(self._open_photo)
        panel.addWidget(self.photo_list)
        self.history = _table(["日期", "经过", "操作人", "说明"])
        panel.addWidget(self.history)
        buttons = QtWidgets.QGridLayout()
        self.actions: dict[str, QtWidgets.QPushButton] = {}
        for i, (key, text, slot) in enumerate([
                ("new", "为此期登记公示", self.new_dialog), ("review", "审核…", self.review_dialog),
                ("post", "张贴…", self.post_dialog), ("attach", "附照片…", self.attach_dialog),
                ("object", "登记异议…", self.object_dialog), ("answer", "答复异议…", self.answer_dialog),
                ("correct", "更正重贴…", self.correct_dialog), ("archive", "归档…", self.archive_dialog),
                ("record", "补录已张贴…", self.record_dialog), ("end", "公示期满…", self.end_dialog),
                ("amend", "更正记录…", self.amend_dialog), ("withdraw", "撤回…", self.withdraw_dialog)]):
            b = QtWidgets.QPushButton(text)
            b.clicked.connect(slot)
            self.actions[key] = b
            buttons.addWidget(b, i // 6, i % 6)  # two rows: the detail keeps its height on 768-pixel screens
        panel.addLayout(buttons)
        dl.addLayout(panel, 4)
        self.tabs.addTab(detail, "公示与经过")
        self.yearend = _table(["补贴项目", "发放笔数", "金额(元)", "公示", "张贴日期", "地点", "照片", "缺少"])
        self.tabs.addTab(self.yearend, "年底发放结果公开核对")
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([420, 300])
        split.addWidget(right)
        split.setSizes([170, 1000])
        root.addWidget(split)
        self._update_actions(None)

    @staticmethod
    def _legend() -> str:
        parts = [f'<span style="background:{COLOURS[s][0]};color:{COLOURS[s][1]}">&nbsp;{MARKS[s] or "·"} '
                 f'{pcal.CELL_LABELS[s]}&nbsp;</span>'
                 for s in (pcal.CELL_POSTED, pcal.CELL_LATE, pcal.CELL_MISSING, pcal.CELL_DUE, pcal.CELL_FUTURE,
                           pcal.CELL_UNTRACKED)]
        return "图例:" + " ".join(parts) + "(单击一格查看该期公示)"

    # --- loading -------------------------------------------------------------------
    def refresh(self) -> None:
        view = ops.overview(self.ctx.ws, self.today)
        if view is None:
            return
        overdue, names = view.overdue, view.names
        keep = self.village or (names[0] if names else None)
        self.villages.blockSignals(True)
        self.villages.clear()
        for n in names:
            it = QtWidgets.QListWidgetItem(f"{n}  ✘{overdue[n]}" if overdue.get(n) else n)
            it.setData(Qt.ItemDataRole.UserRole, n)
            if overdue.get(n):
                it.setForeground(QtGui.QBrush(QtGui.QColor("#b71c1c")))
                it.setToolTip(f"逾期未公示 {overdue[n]} 期")
            self.villages.addItem(it)
            if n == keep:
                self.villages.setCurrentItem(it)
        self.villages.blockSignals(False)
        self.village = keep
        self.load_village()

    def select_village(self, name: str) -> None:
        for i in range(self.villages.count()):
            if self.villages.item(i).data(Qt.ItemDataRole.UserRole) == name:
                self.villages.setCurrentRow(i)
                return

    def _village_changed(self, current, _previous) -> None:
        if current is not None:
            self.village = current.data(Qt.ItemDataRole.UserRole)
            self.posting_id, self.cell = None, None
            self.load_village()

    def load_village(self) -> None:
        if not self.village:
            return
        prof = cat_ops.village_profile(self.ctx.ws, self.village)
        self.busy_act.setChecked(prof.busy_finance)
        self.village_btn.setToolTip(
            f"{prof.village}:" + (f"自 {prof.tracking_from.year}年{prof.tracking_from.month}月 起跟踪" if prof.tracking_from
                                   else "全年跟踪")
            + f";审核人 {prof.supervision_head or '—'} / {prof.finance_group_head or '—'}")
        view = ops.village_view(self.ctx.ws, self.village, self.year.value(), self.today)
        posts = view.postings
        self._fill_grid(view.calendar)
        self._fill_postings(posts)
        self._fill_yearend(view.year_end)
        if self.posting_id and any(p["id"] == self.posting_id for p in posts):
            self.show_posting(self.posting_id)
        else:
            self.show_posting(None)

    def _fill_grid(self, vc: pcal.VillageCalendar) -> None:
        c = {s: vc.count(s) for s in COLOURS}
        self.summary.setText(f"{vc.village_name} {vc.year}年(截至 {vc.today}):已公示 {c['posted']} 期,逾期公示 {c['late']},"
                             f"逾期未公示 {c['missing']},待公示 {c['due']}"
                             + (f";自 {vc.tracking_from.year}年{vc.tracking_from.month}月 起跟踪"
                                if vc.tracking_from and vc.tracking_from.year == vc.year and vc.tracking_from.month > 1 else "")
                             + ("" if vc.rows else "。尚无公开事项目录,请先“采用目录模板”"))
        self.summary.setWordWrap(True)
        self.notes.setText(";".join(vc.notes))
        self.notes.setVisible(bool(vc.notes))
        self.grid.clearSpans()
        self.grid.setRowCount(len(vc.rows))
        self._cells.clear()
        for r, row in enumerate(vc.rows):
            self.grid.setItem(r, 0, _item(row.name, f"{row.category}:{row.name}"))
            self.grid.setItem(r, 1, _item(row.frequency_text))
            for m in range(12):
                self.grid.setItem(r, FIXED_COLS + m, _item(""))
            for cell in row.cells:
                col = FIXED_COLS + cell.slot.first_month - 1
                if row.frequency_text.startswith("随时") and cell.status == pcal.CELL_NONE:
                    continue
                text = MARKS[cell.status]
                if cell.posted_on:
                    text += f" {cell.posted_on.month}/{cell.posted_on.day}"
                elif cell.status == pcal.CELL_DUE and cell.due:
                    text += f" {cell.due.month}/{cell.due.day}"
                tip = [f"{cell.slot.label}:{cell.label}"]
                if cell.due:
                    tip.append(f"应公开:{cell.due}")
                if cell.posted_on:
                    tip.append(f"张贴:{cell.posted_on}")
                if cell.note:
                    tip.append(cell.note)
                it = _item(text, "\n".join(tip))
                it.setData(FULL_TEXT, text)
                it.setData(MARK_TEXT, text.split(" ")[0])
                bg, fg = COLOURS[cell.status]
                it.setBackground(QtGui.QBrush(QtGui.QColor(bg)))
                it.setForeground(QtGui.QBrush(QtGui.QColor(fg)))
                it.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.grid.setItem(r, col, it)
                if cell.slot.months > 1:
                    self.grid.setSpan(r, col, 1, cell.slot.months)
                self._cells[(r, col)] = (row.item_id, cell)
        fm = self.grid.fontMetrics()
        names = [fm.horizontalAdvance(r.name) for r in vc.rows] or [0]
        self.grid.setColumnWidth(0, min(max(names) + 16, max(140, self.grid.viewport().width() // 4)))
        freq = [fm.horizontalAdvance(r.frequency_text) for r in vc.rows] or [0]
        self.grid.setColumnWidth(1, min(max(freq) + 12, fm.horizontalAdvance("每季度") + 16))
        self._fit_cell_texts()

    def _fit_cell_texts(self) -> None:
        """Show "✔ 9/12" where the cell is wide enough, the mark alone (date in the tooltip) where not."""
        fm = self.grid.fontMetrics()
        need = fm.horizontalAdvance("✔ 12/31") + 8
        for (r, col), _cell in self._cells.items():
            it = self.grid.item(r, col)
            if it is None or it.data(FULL_TEXT) is None:
                continue
            width = sum(self.grid.columnWidth(col + k) for k in range(self.grid.columnSpan(r, col)))
            it.setText(it.data(FULL_TEXT) if width >= need else it.data(MARK_TEXT))

    def _fill_postings(self, posts: list[dict]) -> None:
        self._posts = posts
        self.postings.blockSignals(True)
        self.postings.setRowCount(len(posts))
        for r, p in enumerate(posts):
            period = f"{p['period_start']}~{p['period_end']}" if p["period_start"] else ""
            objs = f"{p['objections']}(未答复{p['objections_open']})" if p["objections_open"] else (p["objections"] or "")
            for c, v in enumerate([p["id"][:8], p["title"], p["status_label"], p["posted_on"], period,
                                   p["photos"] or "", objs]):
                self.postings.setItem(r, c, _item(v, str(v) if c == 1 else ""))
            self.postings.item(r, 0).setData(Qt.ItemDataRole.UserRole, p["id"])
        self.postings.resizeColumnsToContents()
        self.postings.blockSignals(False)

    def _fill_yearend(self, c) -> None:  # type: ignore[no-untyped-def]
        self.yearend.setRowCount(len(c.lines))
        for r, ln in enumerate(c.lines):
            for col, v in enumerate([ln.program, ln.payouts, ln.amount, "✔" if ln.done else "✘", ln.posted_on,
                                     ln.location, ln.photos, ";".join(ln.missing)]):
                it = _item(v)
                if col == 3:
                    it.setForeground(QtGui.QBrush(QtGui.QColor("#1b5e20" if ln.done else "#b71c1c")))
                self.yearend.setItem(r, col, it)
        self.yearend.resizeColumnsToContents()
        self.tabs.setTabText(1, "年底发放结果公开核对" + ("" if c.complete else " ✘"))

    # --- selection -----------------------------------------------------------------
    def select_cell(self, row: int, col: int) -> None:
        self.cell = self._cells.get((row, col))
        self.cell_row = row
        if self.cell and self.cell[1].posting_ids:
            self.show_posting(self.cell[1].posting_ids[0])
            self._select_posting_row(self.cell[1].posting_ids[0])
            return
        self.show_posting(None)
        if self.cell:
            c = self.cell[1]
            self.info.setText(f"<b>{self.grid.item(row, 0).text()}</b> {c.slot.label}:{c.label}"
                              + (f",应于 {c.due} 前公开" if c.due else "") + "。可“为此期登记公示”。")
        self._update_actions(None)

    def _select_posting_row(self, pid: str) -> None:
        for r in range(self.postings.rowCount()):
            if self.postings.item(r, 0).data(Qt.ItemDataRole.UserRole) == pid:
                self.postings.blockSignals(True)
                self.postings.selectRow(r)
                self.postings.scrollToItem(self.postings.item(r, 0))
                self.postings.blockSignals(False)

    def _posting_changed(self) -> None:
        rows = self.postings.selectionModel().selectedRows()
        if rows:
            self.show_posting(self.postings.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    def show_posting(self, pid: str | None) -> None:
        self.posting_id = pid
        self.photo_list.clear()
        self.history.setRowCount(0)
        if pid is None:
            self.info.setText("选择日历中的一格或一条公示")
            self._update_actions(None)
            return
        det = ops.detail(self.ctx.ws, pid, thumbs=160)
        d, period, replaces = det.posting, det.period, det.posting["replaces_id"]
        objs = [(o["raised_on"], o["by"], o["content"], o["answer"]) for o in det.objections]
        pics = [(x.name, x.sha256, x.thumb) for x in det.photos]
        hist = det.history
        lines = [f"<b>{d['title']}</b>({d['id'][:8]},{d['status_label']})"]
        if d["reviewer"]:
            lines.append(f"审核:{d['reviewer_body']} {d['reviewer']} {d['reviewed_on']}")
        if d["posted_on"]:
            lines.append(f"张贴:{d['posted_on']} {d['location']} {d['group']};公示期 {period}")
        if replaces:
            lines.append(f"本公示为 {replaces[:8]} 的更正稿")
        lines += [f"异议({o[0]} {o[1] or '村民'}):{o[2]} → {o[3] or '<span style=color:#b71c1c>未答复</span>'}" for o in objs]
        self.info.setText("<br>".join(lines))
        for name, sha, thumb in pics:
            item = QtWidgets.QListWidgetItem(QtGui.QIcon(thumb) if thumb else QtGui.QIcon(), name)
            item.setData(Qt.ItemDataRole.UserRole, sha)
            item.setToolTip(f"{name}\nSHA-256 {sha}")
            self.photo_list.addItem(item)
        self.history.setRowCount(len(hist))
        for r, h in enumerate(hist):
            for c, v in enumerate([h["on"], h["label"], h["operator"], h["detail"]]):
                self.history.setItem(r, c, _item(v))
        self.history.resizeColumnsToContents()
        self._update_actions(d)

    def _open_photo(self, item: QtWidgets.QListWidgetItem) -> None:
        path = self.run_action(lambda ws: ops.photo_file(ws, self.posting_id or "", item.data(Qt.ItemDataRole.UserRole)),
                               title="村务公开")
        if path is not None:
            QtGui.QDesktopServices.openUrl(QtCore.QUrl.fromLocalFile(str(path)))

    def _update_actions(self, d: dict | None) -> None:
        """Enable the buttons of the steps the posting allows next (the rules are in ``gkdesk.app.postings``)."""
        slot_open = d is None and self.cell is not None and not self.cell[1].posting_ids
        allowed = ops.next_actions(d, slot_open=slot_open)
        for key, b in self.actions.items():
            b.setEnabled(key in allowed)

    # --- actions (operations; dialogs only collect values) ---------------------------
    def _run(self, op) -> bool:  # type: ignore[no-untyped-def]
        def step(ws):  # type: ignore[no-untyped-def]
            res = op(ws)
            if isinstance(res, ops.PostingStep):  # show the posting the step made or moved (before the refresh)
                self.posting_id = res.posting["id"]
            return res

        res = self.run_action(step, title="村务公开")
        if res is None:
            return False
        if getattr(res, "warnings", None):
            QtWidgets.QMessageBox.information(self, "村务公开", "\n".join(res.warning_lines()))
        if not self.isVisible():
            self.refresh()
        return True

    def adopt(self) -> bool:
        return self._run(lambda ws: cat_ops.adopt(ws))

    def new_for_cell(self, title: str | None = None, on: date | None = None) -> bool:
        if not self.cell or not self.village:
            return False
        item_id, cell = self.cell
        village = self.village
        return self._run(lambda ws: ops.new_for_slot(ws, village, item_id, cell.slot.key, title=title,
                                                     on=on or self.today))

    def do_review(self, reviewer: str, body: str, on: date) -> bool:
        return self._run(lambda ws: ops.review(ws, self.posting_id or "", reviewer, body, on=on))

    def do_post(self, on: date, location: str, days: int, working: bool = False) -> bool:
        return self._run(lambda ws: ops.post(ws, self.posting_id or "", location=location, days=days,
                                             working=working, on=on))

    def do_attach(self, files: list[str], on: date | None = None) -> bool:
        return self._run(lambda ws: ops.attach_photos(ws, self.posting_id or "", list(files), on=on))

    def do_object(self, on: date, content: str, by: str = "") -> bool:
        return self._run(lambda ws: ops.add_objection(ws, self.posting_id or "", content, by=by, on=on))

    def do_answer(self, on: date, answer: str, by: str = "") -> bool:
        return self._run(lambda ws: ops.answer_open(ws, self.posting_id or "", answer, by=by, on=on))

    def do_correct(self, on: date, reason: str, title: str = "") -> bool:
        return self._run(lambda ws: ops.correct(ws, self.posting_id or "", reason, title=title or None, on=on))

    def do_record(self, posted_on: date, reviewer: str, body: str, location: str = "村公示栏", days: int = 7,
                  working: bool = False, reviewed_on: date | None = None, title: str = "") -> bool:
        """补录 a sheet reviewed and posted on past dates, for the selected calendar period."""
        if not self.cell or not self.village:
            return False
        item_id, cell = self.cell
        village, today = self.village, self.today
        return self._run(lambda ws: ops.record_posted(
            ws, village, item_id, cell.slot.key, posted_on=posted_on, reviewer=reviewer, body=body,
            location=location, days=days, working=working, reviewed_on=reviewed_on, title=title or None,
            today=today))

    def do_end(self, on: date) -> bool:
        return self._run(lambda ws: ops.end(ws, self.posting_id or "", on=on))

    def do_amend(self, reason: str, **facts) -> bool:  # type: ignore[no-untyped-def]
        d = self._current_posting() or {}
        changed = {k: v for k, v in facts.items() if v != d.get({"body": "reviewer_body"}.get(k, k))}
        return self._run(lambda ws: ops.amend(ws, self.posting_id or "", reason, on=self.today, **changed))

    def do_withdraw(self, reason: str, on: date | None = None) -> bool:
        return self._run(lambda ws: ops.withdraw(ws, self.posting_id or "", reason, on=on or self.today))

    def do_tracking(self, month: date, all_villages: bool = False) -> bool:
        villages = None if all_villages else [self.village or ""]
        return self._run(lambda ws: cat_ops.set_tracking_start(ws, month, villages=villages))

    # --- default dates and names for the forms -----------------------------------------
    def _current_posting(self) -> dict | None:
        return next((p for p in getattr(self, "_posts", []) if p["id"] == self.posting_id), None)

    def _slot_day(self) -> date:
        """For a past period, the day it was due (the clerk records what happened then)."""
        if self.cell:
            c = self.cell[1]
            day = c.due or c.slot.end
            return min(day, self.today)
        return self.today

    def _step_day(self, step: str) -> date:
        d = self._current_posting()
        if d is None:
            return self.today
        if step == "end":
            end = d.get("period_end")
            return min(end + timedelta(days=1), self.today) if end else self.today
        hist = ops.detail(self.ctx.ws, d["id"]).history
        return ops.step_dates(d, hist, self.today)[step]

    def _slot_reviewer(self) -> tuple[str, str]:
        from gkdesk.app import village_catalogue as vc_ops
        from gkdesk.postings.labels import REVIEWER_FINANCE, REVIEWER_SUPERVISION

        prof = vc_ops.village_profile(self.ctx.ws, self.village or "")
        item_id = self.cell[0] if self.cell else ""
        finance = any(i["id"] == item_id and i["finance"] for i in vc_ops.items(self.ctx.ws, prof.village))
        return (prof.finance_group_head, REVIEWER_FINANCE) if finance else (prof.supervision_head, REVIEWER_SUPERVISION)

    def do_archive(self, on: date, place: str = "村委会") -> bool:
        return self._run(lambda ws: ops.archive(ws, self.posting_id or "", place=place, on=on))

    def _reviewer_default(self) -> tuple[str, str]:
        return ops.reviewer_default(self.ctx.ws, self.posting_id or "")

    def _post_default(self) -> tuple[int, bool]:
        d = next((p for p in getattr(self, "_posts", []) if p["id"] == self.posting_id), None)
        return ops.post_defaults(d or {})
