"""The county side of the 同步 page: the views across townships and the conflict review.

Tabs: 同步状态 (last package, rows, conflicts per township), 补贴发放合计, 目录完成情况,
村务公开情况, and 待处理冲突 — a list of records changed on both sides, the fields that
differ side by side, and two buttons to keep the county's or the township's version
(``gkdesk.app.sync.resolve_conflict``: backed up first, audited).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gkdesk.app import county as views
from gkdesk.app import sync as ops
from gkdesk.sync.conflicts import KEEP_COUNTY, KEEP_LABELS, KEEP_TOWNSHIP, ConflictView
from gkdesk.sync.labels import field_label, table_label
from gkdesk.ui.background import BackgroundLoader
from gkdesk.ui.qt import Qt, QtWidgets
from gkdesk.ui.widgets.tables import fill_table, readonly_table


@dataclass
class CountyFigures:
    """Everything the panel shows, fetched in one go off the GUI thread."""

    status: Any
    payouts: Any
    catalogue: Any
    villages: Any
    conflicts: list[ConflictView]


class CountyPanel(QtWidgets.QTabWidget):
    """Every county view as a tab; ``refresh()`` reloads them all."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.page = page
        self.status_table = readonly_table([])
        self.payouts = readonly_table(["乡镇", "补贴项目", "年度", "清册", "发放记录", "金额(元)"])
        self.catalogue = readonly_table(["乡镇", "适用事项", "已有发布", "完成率", "逾期未公开", "即将到期", "从未公开"])
        self.overdue = readonly_table(["乡镇", "领域", "事项", "期间", "应公开日期"])
        self.villages = readonly_table(["乡镇", "村(社区)", "公示", "按状态", "有逾期的村", "逾期期次"])
        self.payouts.horizontalHeader().setStretchLastSection(False)  # amounts stay next to their rows
        self.addTab(self.status_table, "同步状态")
        self.addTab(self.payouts, "补贴发放合计")
        cat = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        cat.addWidget(self.catalogue)
        cat.addWidget(self.overdue)
        self.addTab(cat, "目录完成情况")
        self.addTab(self.villages, "村务公开情况")
        self.addTab(self._conflict_tab(), "待处理冲突")
        self.conflict_rows: list[ConflictView] = []
        self.loading = QtWidgets.QLabel("正在刷新汇总…")
        self.setCornerWidget(self.loading, Qt.Corner.TopRightCorner)
        self.loading.setVisible(False)
        self.loader = BackgroundLoader(self._fetch, self._show, self._failed, self)
        # a big county file is not read whole at start: its full check runs here, once a day
        self.checker = BackgroundLoader(lambda: views.daily_file_check(self.page.ctx.ws), self._checked,
                                        lambda exc: None, self)
        self.checked = False

    def _conflict_tab(self) -> QtWidgets.QWidget:
        w = QtWidgets.QWidget()
        lay = QtWidgets.QHBoxLayout(w)
        self.conflict_list = readonly_table(["编号", "乡镇", "数据", "不同的字段"])
        self.conflict_list.itemSelectionChanged.connect(self._show_conflict)
        right = QtWidgets.QVBoxLayout()
        self.conflict_detail = readonly_table(["字段", "县级版本", "乡镇版本"])
        buttons = QtWidgets.QHBoxLayout()
        self.keep_county_btn = QtWidgets.QPushButton("保留县级版本")
        self.keep_township_btn = QtWidgets.QPushButton("采用乡镇版本")
        self.keep_county_btn.clicked.connect(lambda: self.resolve_selected(KEEP_COUNTY))
        self.keep_township_btn.clicked.connect(lambda: self.resolve_selected(KEEP_TOWNSHIP))
        for b in (self.keep_county_btn, self.keep_township_btn):
            b.setEnabled(False)
            buttons.addWidget(b)
        buttons.addStretch(1)
        right.addWidget(self.conflict_detail, 1)
        right.addLayout(buttons)
        lay.addWidget(self.conflict_list, 1)
        lay.addLayout(right, 1)
        return w

    # --- data -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for fresh figures; they are computed off the GUI thread (a county of 40
        townships × 5 years took 13 s here) and shown when ready."""
        self.loading.setVisible(True)
        self.loader.request()
        if not self.checked:
            self.checked = True
            self.checker.request()

    def _checked(self, res: views.FileChecked | None) -> None:
        if res is not None and res.found:
            QtWidgets.QMessageBox.warning(self, "数据库文件检查", res.summary())

    def _fetch(self) -> CountyFigures:
        ws = self.page.ctx.ws
        return CountyFigures(views.status(ws), views.payouts(ws), views.catalogue(ws), views.villages(ws),
                             ops.conflicts(ws))

    def _failed(self, exc: BaseException) -> None:
        self.loading.setVisible(False)
        from gkdesk.ui.jobs import show_error

        show_error(self, "县级汇总", exc)

    def _show(self, f: CountyFigures) -> None:
        self.loading.setVisible(False)
        st = f.status
        names = {t.code: t.name for t in st.townships}
        heads = st.headers(only_filled=True)
        self.status_table.setColumnCount(len(heads))
        self.status_table.setHorizontalHeaderLabels(heads)
        fill_table(self.status_table, st.rows(only_filled=True), right=set(range(2, len(heads))) - {3})
        pay = f.payouts
        rows: list[list[object]] = [[r["township"], r["program"], r["year"], r["batches"], r["count"],
                                     views.money(r["total"])] for r in pay.totals]
        if pay.totals:
            rows.append(["合计", "", "", sum(r["batches"] for r in pay.totals), sum(r["count"] for r in pay.totals),
                         views.money(pay.grand_total)])
        fill_table(self.payouts, rows, right={2, 3, 4, 5})
        cat = f.catalogue
        fill_table(self.catalogue, [[r["township"], r["items"], r["published"], cat.percent(r), r["overdue"],
                                     r["due_soon"], r["never"]] for r in cat.townships], right={1, 2, 3, 4, 5, 6})
        fill_table(self.overdue, [[o["township"], o["domain"], o["item"], o["period"],
                                   o["due"].isoformat() if o["due"] else ""] for o in cat.overdue])
        vs = f.villages
        fill_table(self.villages, [[r["township"], r["villages"], r["postings"], vs.by_status(r),
                                    r["overdue_villages"], r["missing"]] for r in vs.townships], right={1, 2, 4, 5})
        self.conflict_rows = f.conflicts
        fill_table(self.conflict_list, [[c.id, names.get(c.peer_code, c.peer_code), table_label(c.table),
                                         "、".join(field_label(f) for f in c.fields)] for c in self.conflict_rows])
        self.setTabText(4, f"待处理冲突({len(self.conflict_rows)})" if self.conflict_rows else "待处理冲突")
        self._show_conflict()

    def selected_conflict(self) -> ConflictView | None:
        rows = self.conflict_list.selectionModel().selectedRows() if self.conflict_list.selectionModel() else []
        return self.conflict_rows[rows[0].row()] if rows and rows[0].row() < len(self.conflict_rows) else None

    def _show_conflict(self) -> None:
        c = self.selected_conflict()
        for b in (self.keep_county_btn, self.keep_township_btn):
            b.setEnabled(c is not None)
        fill_table(self.conflict_detail, ops.conflict_fields(c) if c else [])

    def resolve_selected(self, keep: str, confirm: bool = True) -> None:
        c = self.selected_conflict()
        if c is None:
            return
        if confirm and QtWidgets.QMessageBox.question(
                self, "处理冲突", f"冲突 #{c.id}:{KEEP_LABELS[keep]}?\n处理前会自动备份数据库。"
        ) != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        res = self.page.run_action(lambda ws: ops.resolve_conflict(ws, c.id, keep), title="处理冲突")
        if res is not None:
            self.page.message.setText(res.summary())
