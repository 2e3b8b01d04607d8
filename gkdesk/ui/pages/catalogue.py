"""标准目录: domain tree → items → detail with publications; search, filters, import, 登记公开."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from gkdesk.app import catalogue as ops
from gkdesk.catalogue import due, timerule
from gkdesk.errors import GkError
from gkdesk.hints import Hint
from gkdesk.models.catalogue import SOURCE_LABELS
from gkdesk.ui.jobs import Job, run_job, show_error
from gkdesk.ui.pages.base import Page
from gkdesk.ui.pages.catalogue_dialogs import (
    PublicationDialog,
    ask_alias,
    ask_domain,
    ask_pending,
    ask_reason,
)
from gkdesk.ui.pages.catalogue_import_dialog import ImportDialog
from gkdesk.ui.qt import Qt, QtCore, QtGui, QtWidgets

ROLE_ID = Qt.ItemDataRole.UserRole
COLOURS = {due.OVERDUE: "#c8372d", due.DUE_SOON: "#b86e00", due.NEVER: "#6b6b6b", due.CALENDAR_MISSING: "#a94400",
           due.DONE: "#2e7d32", due.LATE: "#8a5a00", due.PENDING: "#1f3b5c"}
FILTERS = [("全部事项", None), ("逾期未公开", {due.OVERDUE}), ("即将到期(10个工作日内)", {due.DUE_SOON}),
           ("从未公开", {due.NEVER}), ("未涉及", {ops.NOT_APPLICABLE}), ("县级部门负责(不计入)", {ops.COUNTY_DUTY})]
COLUMNS = ["序号", "一级事项", "二级事项", "公开时限", "状态", "下次期限", "最近公开"]
Row = ops.ItemView  # one listed item: its status, next deadline and publications


class CataloguePage(Page):
    watches = frozenset({"catalogue", "publications", "calendar", "all"})

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[Row] = []
        self.domains: list[dict[str, Any]] = []
        self.search_hits: set[str] | None = None
        self.selected_id: str | None = None  # kept across refreshes and filters
        outer = QtWidgets.QVBoxLayout(self)
        outer.addWidget(self.heading("标准目录"))

        bar = QtWidgets.QHBoxLayout()
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("搜索事项、公开内容、公开依据(Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        QtGui.QShortcut(QtGui.QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self._debounce = QtCore.QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.filter = QtWidgets.QComboBox()
        self.filter.addItems([f for f, _ in FILTERS])
        self.filter.currentIndexChanged.connect(lambda _i: self._fill_items())
        self.count = QtWidgets.QLabel()
        bar.addWidget(self.search, 2)
        bar.addWidget(self.filter)
        bar.addWidget(self.count)
        for text, slot in (("导入县级目录…", self.import_directory), ("更新内置模板", self.update_builtin),
                           ("导出“回头看”…", self.export_selfcheck), ("添加领域别名…", self.add_alias)):
            b = QtWidgets.QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        outer.addLayout(bar)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.tree = QtWidgets.QTreeWidget()
        self.tree.setHeaderLabels(["领域", "事项"])
        self.tree.setColumnWidth(0, 170)
        self.tree.currentItemChanged.connect(lambda *_: self._fill_items())
        split.addWidget(self.tree)

        right = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        self.table = QtWidgets.QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.table.doubleClicked.connect(lambda _i: self.add_publication())
        right.addWidget(self.table)

        detail = QtWidgets.QWidget()
        dl = QtWidgets.QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        actions = QtWidgets.QHBoxLayout()
        self.btn_publish = QtWidgets.QPushButton("登记公开…")
        self.btn_publish.clicked.connect(self.add_publication)
        self.btn_na = QtWidgets.QPushButton("标记未涉及…")
        self.btn_na.clicked.connect(self.toggle_not_applicable)
        self.btn_duty = QtWidgets.QPushButton("修改责任…")
        self.btn_duty.setToolTip("本乡镇、村(社区)或县级部门负责;县级部门负责的事项不计入到期提醒")
        self.btn_duty.clicked.connect(self.change_duty)
        actions.addWidget(self.btn_publish)
        actions.addWidget(self.btn_na)
        self.btn_pending = QtWidgets.QPushButton("登记待公开…")
        self.btn_pending.setToolTip("信息已形成、尚未公开:登记形成日期,按公开时限计算期限")
        self.btn_pending.clicked.connect(self.mark_pending)
        actions.addWidget(self.btn_duty)
        actions.addWidget(self.btn_pending)
        actions.addStretch(1)
        dl.addLayout(actions)
        self.detail = QtWidgets.QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        dl.addWidget(self.detail)
        right.addWidget(detail)
        right.setSizes([380, 300])
        split.addWidget(right)
        split.setSizes([240, 900])
        outer.addWidget(split, 1)

    # --- loading ------------------------------------------------------------------------

    def refresh(self) -> None:
        view = ops.overview(self.ctx.ws)
        self.domains, self.rows = view.domains, view.rows
        self._fill_tree()
        self._fill_items()

    def _fill_tree(self) -> None:
        current = self.tree.currentItem().data(0, ROLE_ID) if self.tree.currentItem() else None
        self.tree.blockSignals(True)
        self.tree.clear()
        counts: dict[str, int] = {}
        for r in self.rows:
            counts[r.domain_id] = counts.get(r.domain_id, 0) + 1
        top = QtWidgets.QTreeWidgetItem(["全部领域", str(len(self.rows))])
        top.setData(0, ROLE_ID, None)
        self.tree.addTopLevelItem(top)
        select = top
        groups: dict[str, QtWidgets.QTreeWidgetItem] = {}
        for d in self.domains:
            g = groups.get(d["source"])
            if g is None:
                g = groups[d["source"]] = QtWidgets.QTreeWidgetItem([SOURCE_LABELS.get(d["source"], d["source"]), ""])
                g.setData(0, ROLE_ID, f"source:{d['source']}")
                self.tree.addTopLevelItem(g)
            node = QtWidgets.QTreeWidgetItem([d["name"] + ("" if d["applicable"] else "(未涉及)"),
                                              str(counts.get(d["id"], 0))])
            node.setData(0, ROLE_ID, d["id"])
            tip = f"县级牵头部门:{d['department']}" + (f"\n别名:{'、'.join(d['aliases'])}" if d["aliases"] else "")
            if not d["applicable"]:
                node.setForeground(0, QtGui.QBrush(QtGui.QColor("#8a8a8a")))
                tip += f"\n未涉及:{d['not_applicable_reason']}"
            node.setToolTip(0, tip)
            g.addChild(node)
            if d["id"] == current:
                select = node
        self.tree.expandAll()
        self.tree.setCurrentItem(select)
        self.tree.blockSignals(False)

    def _selected_domain(self) -> str | None:
        node = self.tree.currentItem()
        return node.data(0, ROLE_ID) if node is not None else None

    def _visible_rows(self) -> list[Row]:
        dom = self._selected_domain()
        wanted = FILTERS[self.filter.currentIndex()][1]
        out = []
        for r in self.rows:
            if dom and dom.startswith("source:"):
                if not any(d["id"] == r.domain_id and d["source"] == dom[7:] for d in self.domains):
                    continue
            elif dom and r.domain_id != dom:
                continue
            if wanted is not None and r.status not in wanted:
                continue
            if self.search_hits is not None and r.item["id"] not in self.search_hits:
                continue
            out.append(r)
        return out

    def _fill_items(self) -> None:
        keep = self.selected_id
        visible = self._visible_rows()
        self.table.blockSignals(True)  # re-filling must not move the selection the clerk made
        self.table.clearSelection()
        self.table.setRowCount(len(visible))
        select_row = 0
        for i, r in enumerate(visible):
            it = r.item
            values = [it["seq"], it["level1"], it["level2"] + (f" / {it['level3']}" if it["level3"] else ""),
                      timerule.describe(it["rule"]), r.status_text, r.next_due, r.last]
            for c, v in enumerate(values):
                cell = QtWidgets.QTableWidgetItem(v)
                if c == 0:
                    cell.setData(ROLE_ID, it["id"])
                if c == 4 and r.status in COLOURS:
                    cell.setForeground(QtGui.QBrush(QtGui.QColor(COLOURS[r.status])))
                if c == 3:
                    cell.setToolTip(it["time_limit"])
                self.table.setItem(i, c, cell)
            if it["id"] == keep:
                select_row = i
        self.table.resizeColumnsToContents()
        for c, cap in ((1, 180), (2, 220), (3, 240)):
            self.table.setColumnWidth(c, min(self.table.columnWidth(c), cap))
        self.count.setText(f"显示 {len(visible)} / {len(self.rows)} 项")
        self.table.blockSignals(False)
        if visible:
            self.table.selectRow(select_row)
            self._show_detail()
        else:
            self.detail.setHtml("<p>没有符合条件的事项。</p>")

    def _run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self.search_hits = None
        else:
            self.search_hits = ops.search_ids(self.ctx.ws, text)
        self._fill_items()

    def current_row(self) -> Row | None:
        sel = self.table.selectedItems()
        if not sel:
            return None
        item_id = self.table.item(sel[0].row(), 0).data(ROLE_ID)
        return next((r for r in self.rows if r.item["id"] == item_id), None)

    # --- detail -------------------------------------------------------------------------

    def _show_detail(self) -> None:
        r = self.current_row()
        self.btn_publish.setEnabled(r is not None)
        self.btn_na.setEnabled(r is not None)
        self.btn_duty.setEnabled(r is not None)
        self.btn_pending.setEnabled(r is not None)
        if r is None:
            return
        self.selected_id = r.item["id"]
        self.btn_na.setText("取消未涉及" if r.status == ops.NOT_APPLICABLE else "标记未涉及…")
        self.detail.setHtml(detail_html(r))

    # --- actions ------------------------------------------------------------------------

    def add_publication(self) -> None:
        r = self.current_row()
        if r is None:
            return
        pending = date.fromisoformat(r.item["pending_since"]) if r.item["pending_since"] else None
        dlg = PublicationDialog(f"{r.item['domain']} / {r.item['level1']} / {r.item['level2']}",
                                r.item["channels"], self, formed=pending)
        if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        v = dlg.values()
        self.run_action(lambda ws: ops.add_publication(ws, r.item["id"], **v), title="登记公开")

    def change_duty(self) -> None:
        r = self.current_row()
        if r is None:
            return
        choices = ["按目录判断(公开层级、公开主体)", "本乡镇", "村(社区)", "县级部门负责"]
        values = ["", "township", "village", "county"]
        current = values.index(r.item["duty"]) if r.item["duty_set"] else 0
        text, ok = QtWidgets.QInputDialog.getItem(self, "修改责任", f"“{r.item['level2'] or r.item['level1']}”由谁公开:",
                                                  choices, current, False)
        if ok:
            value = values[choices.index(text)]
            self.run_action(lambda ws: ops.set_duty(ws, r.item["id"], value), title="修改责任")

    def _ask_pending(self, r: Row) -> tuple[bool, date | None]:
        """(ok, formation date or None to clear); tests replace this."""
        since = date.fromisoformat(r.item["pending_since"]) if r.item["pending_since"] else None
        return ask_pending(self, r.item["level2"] or r.item["level1"], since)

    def mark_pending(self, _checked: bool = False) -> None:
        """The selected item's information was formed and awaits publication (or clear that mark)."""
        r = self.current_row()
        if r is None:
            return
        ok, since = self._ask_pending(r)
        if ok:
            self.run_action(lambda ws: ops.set_pending(ws, r.item["id"], since), title="登记待公开")

    def _ask_alias(self) -> tuple[str, str] | None:
        """(别名, 领域) from the clerk; tests replace this."""
        dom = self._selected_domain()
        current = next((d["name"] for d in self.domains if d["id"] == dom), None)
        return ask_alias(self, [d["name"] for d in self.domains], current)

    def add_alias(self, _checked: bool = False) -> None:
        """Another name for a domain, so directory files titled with it import into that domain."""
        got = self._ask_alias()
        if got is None:
            return
        alias, domain = got
        res = self.run_action(lambda ws: ops.add_aliases(ws, {alias: domain}), title="添加领域别名")
        if res is not None:
            QtWidgets.QMessageBox.information(self, "添加领域别名", res.summary())

    def toggle_not_applicable(self) -> None:
        r = self.current_row()
        if r is None:
            return
        if r.status == ops.NOT_APPLICABLE:
            self.run_action(lambda ws: ops.make_item_applicable(ws, r.item["id"]), title="取消未涉及")
            return
        target = f"{r.item['level1']}/{r.item['level2']}" if r.item["level2"] else r.item["level1"]
        reason = ask_reason(self, target)
        if reason is None:
            return
        self.run_action(lambda ws: ops.mark_not_applicable(ws, r.item["domain"], reason, item=r.item["id"]),
                        title="标记未涉及")

    def import_directory(self, _checked: bool = False, path: str | None = None,
                         domain: str | None = None) -> Job | None:
        """Read the file in the background and show what it is taken for (whole or part, renames);
        the import itself runs only after the clerk confirms. A file that does not say its 领域
        asks for one and tries again."""
        if path is None:
            path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "选择县级标准目录", "", "表格 (*.xlsx *.xls *.ods)")
        if not path:
            return None
        ws, title = self.ctx.ws, "导入标准目录"

        def read(report, cancelled):
            return ops.preview_directory(ws, path, domain=domain)

        def judged(preview: ops.DirectoryPreview) -> None:
            dlg = ImportDialog(preview, self)
            self.last_import_dialog = dlg
            if dlg.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return
            self._run_import(path, domain, **dlg.values())

        def failed(exc: BaseException) -> None:
            if isinstance(exc, GkError) and exc.hint == Hint.CHOOSE_DOMAIN and domain is None:
                chosen = ask_domain(self, exc.message, [d["name"] for d in self.domains if d["applicable"]])
                if chosen:
                    self.import_directory(path=path, domain=chosen)
                return
            show_error(self, title, exc)

        return run_job(self, title, read, judged, failed)

    def _run_import(self, path: str, domain: str | None, part: bool, renames: list) -> Job:
        ws, title = self.ctx.ws, "导入标准目录"

        def work(report, cancelled):
            return ops.import_directory(ws, path, domain=domain, part=part, renames=renames, report=report,
                                        cancelled=cancelled)

        def done(res: ops.DirectoryImported) -> None:
            self.ctx.notify(res.changes)
            text = "\n".join([res.summary(), *res.detail_lines(20)])
            if res.warnings:
                text += "\n\n提示:\n" + "\n".join(res.warning_lines(20))
            QtWidgets.QMessageBox.information(self, title, text)

        return run_job(self, title, work, done, lambda exc: show_error(self, title, exc))

    def update_builtin(self, _checked: bool = False) -> None:
        """Bring domains still on the built-in templates up to this version (renames keep history)."""
        res = self.run_action(ops.update_builtin, title="更新内置模板")
        if res is not None:
            QtWidgets.QMessageBox.information(self, "更新内置模板", res.summary())

    def export_selfcheck(self, _checked: bool = False, path: str | None = None) -> None:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "导出“回头看”自查表", "回头看自查表.xlsx",
                                                            "Excel (*.xlsx);;PDF (*.pdf)")
        if not path:
            return
        res = self.run_action(lambda ws: ops.export_selfcheck(ws, path), title="导出“回头看”")
        if res is not None:
            QtWidgets.QMessageBox.information(self, "导出“回头看”", res.summary())


def detail_html(r: Row) -> str:
    it = r.item
    e = html.escape

    def field(label: str, value: str) -> str:
        return f"<tr><td style='color:#555;padding-right:10px;white-space:nowrap'>{e(label)}</td><td>{value}</td></tr>"

    chans = "、".join(("■" if c["mark"] == "required" else "□" if c["mark"] == "optional" else "") + e(c["name"])
                     for c in it["channels_all"]) or "—"
    rule = timerule.describe(it["rule"])
    warn = f"<br><span style='color:#a94400'>{e(it['rule']['warning'])}</span>" if it["rule"].get("warning") else ""
    rows = [
        field("领域", e(it["domain"])),
        field("公开事项", e(" / ".join(x for x in (it["level1"], it["level2"], it["level3"]) if x))),
        field("公开内容", e(it["content"]).replace("\n", "<br>") or "—"),
        field("公开依据", e(it["basis"]).replace("\n", "<br>") or "—"),
        field("公开时限", f"{e(it['time_limit']) or '—'}<br><i>{e(rule)}</i>{warn}"),
        field("公开主体", e(it["publisher"]) or "—"),
        field("公开渠道", chans),
        field("公开对象 / 方式 / 层级", e(" · ".join("、".join(x) or "—" for x in (it["audience"], it["mode"], it["levels"])))),
        field("责任", e(it["duty_label"]) + (" (已手工修改)" if it["duty_set"] else " (按公开层级、公开主体判断)")),
        field("来源", e(it["origin_label"])),
    ]
    if it["former_names"]:
        rows.append(field("曾用名", "<br>".join(f"{e(f['label'])}({e(f['on'])} 导入“{e(f['file'])}”时改名)"
                                              for f in it["former_names"])))
    rows += [field(k, e(v)) for k, v in it["extra"].items()]
    if not it["applicable"]:
        rows.append(field("未涉及", e(it["not_applicable_reason"] or "(未填写理由)")))
    if it["pending_since"]:
        rows.append(field("待公开", f"信息形成于 {it['pending_since']}"))
    colour = COLOURS.get(r.status, "#333")
    parts = [f"<h3 style='margin:2px 0'>{e(it['level2'] or it['level1'])} "
             f"<span style='color:{colour};font-size:small'>{e(r.status_text)}</span></h3>",
             "<table cellspacing=2>" + "".join(rows) + "</table>"]
    occ = [o for o in r.occurrences if o.status not in (due.NEVER, due.NO_DEADLINE)]
    if occ:
        parts.append("<h4>期限</h4><table cellspacing=2>" + "".join(
            f"<tr><td>{e(o.period)}</td><td>{o.due.isoformat() if o.due else e(o.note)}</td>"
            f"<td style='color:{COLOURS.get(o.status, '#333')}'>{e(o.status_label)}</td></tr>" for o in occ) + "</table>")
    parts.append("<h4>发布记录</h4>")
    if r.publications:
        parts.append("<table cellspacing=2><tr><th>发布日期</th><th>信息形成</th><th>渠道</th><th>标题</th><th>文号/链接</th></tr>"
                     + "".join(f"<tr><td>{p['published_on']}</td><td>{p['formed_on'] or ''}</td><td>{e(p['channel'])}</td>"
                               f"<td>{e(p['title'])}</td><td>{e(p['doc_number'] or p['link'])}</td></tr>"
                               for p in reversed(r.publications)) + "</table>")
    else:
        parts.append("<p style='color:#6b6b6b'>尚无发布记录。双击事项或点“登记公开…”登记。</p>")
    return "".join(parts)
