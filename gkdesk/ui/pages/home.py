"""首页: what is overdue, what falls due in the next 10 working days, what was never
published, and how far each domain has got — the first thing a clerk sees."""

from __future__ import annotations

from datetime import date

from gkdesk import audit, health, township
from gkdesk.app import disclosure
from gkdesk.catalogue import due
from gkdesk.ui.hints import with_hint
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import Qt, QtGui, QtWidgets
from gkdesk.ui.widgets.tables import fill_table, readonly_table
from gkdesk.ui.widgets.village_overdue import VillageOverdueBox
from gkdesk.workdays import cn_date

RED, AMBER, GREY = "#c8372d", "#b86e00", "#6b6b6b"


class HomePage(Page):
    watches = frozenset()  # every change may move a deadline or the summary

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        self.title = self.heading("首页")
        layout.addWidget(self.title)

        cards = QtWidgets.QHBoxLayout()
        self.card_overdue = self._card(cards, "逾期未公开", RED)
        self.card_soon = self._card(cards, "10个工作日内到期", AMBER)
        self.card_never = self._card(cards, "从未公开", GREY)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("card")
        self.summary.setWordWrap(True)
        self.summary.setMinimumHeight(86)
        cards.addWidget(self.summary, 2)
        layout.addLayout(cards)

        self.warnings = QtWidgets.QLabel()
        self.warnings.setObjectName("warning")
        self.warnings.setWordWrap(True)
        layout.addWidget(self.warnings)

        split = QtWidgets.QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QtWidgets.QTabWidget()
        self.overdue = readonly_table(["应公开日期", "领域", "公开事项", "期次/信息形成"])
        self.soon = readonly_table(["应公开日期", "领域", "公开事项", "期次/信息形成"])
        self.never = readonly_table(["领域", "公开事项", "说明"])
        self.log = readonly_table(["时间", "操作人", "操作", "对象"])
        self.tabs.addTab(self.overdue, "逾期未公开")
        self.tabs.addTab(self.soon, "即将到期")
        self.tabs.addTab(self.never, "从未公开")
        self.requests = readonly_table(["答复期限", "申请编号", "状态", "申请内容"])  # 依申请公开 (gkdesk.app.disclosure)
        self.tabs.addTab(self.requests, "依申请公开")
        self.tabs.addTab(self.log, "最近操作")
        split.addWidget(self.tabs)

        box = QtWidgets.QGroupBox("各领域完成情况(已有发布记录的事项 / 应公开事项)")
        bl = QtWidgets.QVBoxLayout(box)
        self.completion = readonly_table(["领域", "完成", "事项", "逾期"])
        self.completion.horizontalHeader().setStretchLastSection(False)
        bl.addWidget(self.completion)
        right = QtWidgets.QSplitter(Qt.Orientation.Vertical)
        right.addWidget(box)
        self.villages_box = VillageOverdueBox(ctx)
        self.villages_box.villageActivated.connect(self.open_village)
        right.addWidget(self.villages_box)
        split.addWidget(right)
        split.setSizes([640, 420])
        layout.addWidget(split, 1)

    def open_village(self, name: str) -> None:
        """Double-click on a village with overdue items opens it on the 村务公开 page."""
        win = self.window()
        if hasattr(win, "show_page"):
            win.show_page("villages").select_village(name)

    @staticmethod
    def _card(row: QtWidgets.QHBoxLayout, label: str, colour: str) -> QtWidgets.QLabel:
        w = QtWidgets.QLabel()
        w.setObjectName("card")
        w.setAlignment(Qt.AlignmentFlag.AlignCenter)
        w.setProperty("caption", label)
        w.setProperty("colour", colour)
        w.setMinimumWidth(130)
        w.setMinimumHeight(86)
        row.addWidget(w, 1)
        return w

    @staticmethod
    def _set_card(w: QtWidgets.QLabel, n: int) -> None:
        w.setText(f"<div style='font-size:20pt;font-weight:bold;color:{w.property('colour')}'>{n}</div>"
                  f"<div>{w.property('caption')}</div>")

    def refresh(self) -> None:
        with self.ctx.store.session() as s:
            t = township.current(s)
            name, county = t.name, t.county_name
            vs = township.villages(s)
            board = due.dashboard(s)
            entries = [(audit.local_time(e.at), e.operator, audit.action_label(e.action), e.target)
                       for e in audit.recent(s, 50)]
        self.title.setText(f"首页 — {name}")
        self._set_card(self.card_overdue, len(board.overdue))
        self._set_card(self.card_soon, len(board.due_soon))
        self._set_card(self.card_never, len(board.never))
        horizon = f",未来10个工作日截至 {cn_date(board.horizon_end)}" if board.horizon_end else ""
        self.summary.setText(f"{county} {name}:村(社区){len(vs)} 个。\n今天是 {cn_date(date.today())}{horizon}。\n"
                             "逾期和到期按标准目录的公开时限与节假日安排计算。"
                             + (f"\n另有 {len(board.county_duty)} 项由县级部门负责公开,仅供参考,不计入以上数字。"
                                if board.county_duty else ""))
        rep = health.run_checks(self.ctx.store, integrity=False)  # the full check: 关于 page, off the GUI thread
        bad = [with_hint(str(i["detail"]), *rep.hints.get(str(i["check"]), (None, {}))).replace("\n\n", " ")
               for i in rep.items if not i["ok"]]
        bad += [n for n in board.notes if not any(n in b for b in bad)]  # the health check may say it already
        self.warnings.setText("\n".join("⚠ " + b for b in bad))
        self.warnings.setVisible(bool(bad))

        def occ_rows(occ: list[due.Occurrence]) -> list[list[str]]:
            return [[o.due.isoformat() if o.due else o.note, o.domain, o.label, o.period] for o in occ]

        fill_table(self.overdue, occ_rows(board.overdue), first_colour=RED)
        fill_table(self.soon, occ_rows(board.due_soon), first_colour=AMBER)
        fill_table(self.never, [[o.domain, o.label, o.note] for o in board.never])
        fill_table(self.log, [[f"{at:%Y-%m-%d %H:%M}", op, action, target] for at, op, action, target in entries])
        self.tabs.setTabText(0, f"逾期未公开({len(board.overdue)})")
        self.tabs.setTabText(1, f"即将到期({len(board.due_soon)})")
        self.tabs.setTabText(2, f"从未公开({len(board.never)})")
        late, soon = disclosure.due_soon(self.ctx.ws)  # overdue, then due within 5 working days
        fill_table(self.requests, [[i.due_on.isoformat(), i.number, ("已超期" if i.days_left < 0 else f"剩 {i.days_left} 个工作日"),
                                    i.content[:30]] for i in late + soon], first_colour=RED if late else AMBER)
        self.tabs.setTabText(3, f"依申请公开({len(late)}超期/{len(soon)}将到期)")

        comp = sorted(board.completion, key=lambda c: (-(c["overdue"]), c["percent"] or 0))
        self.completion.setRowCount(len(comp))
        for r, c in enumerate(comp):
            self.completion.setItem(r, 0, QtWidgets.QTableWidgetItem(c["domain"]))
            bar = QtWidgets.QProgressBar()
            bar.setRange(0, 100)
            bar.setValue(c["percent"] or 0)
            bar.setFormat(f"{c['published']}/{c['items']}  {c['percent'] or 0}%")
            self.completion.setCellWidget(r, 1, bar)
            self.completion.setItem(r, 2, QtWidgets.QTableWidgetItem(str(c["items"])))
            od = QtWidgets.QTableWidgetItem(str(c["overdue"]))
            if c["overdue"]:
                od.setForeground(QtGui.QBrush(QtGui.QColor(RED)))
            self.completion.setItem(r, 3, od)
        header = self.completion.horizontalHeader()
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (2, 50), (3, 50)):
            self.completion.setColumnWidth(col, width)
