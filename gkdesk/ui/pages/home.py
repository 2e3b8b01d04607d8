"""首页: the township at a glance. The catalogue feature adds what is due and overdue."""

from __future__ import annotations

from datetime import date

from gkdesk import audit, health, township
from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import QtWidgets


class HomePage(Page):
    def __init__(self, ctx, parent=None) -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        self.title = self.heading("首页")
        layout.addWidget(self.title)
        self.summary = QtWidgets.QLabel()
        self.summary.setObjectName("card")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.warnings = QtWidgets.QLabel()
        self.warnings.setObjectName("warning")
        self.warnings.setWordWrap(True)
        layout.addWidget(self.warnings)
        layout.addWidget(QtWidgets.QLabel("最近操作"))
        self.log = QtWidgets.QTableWidget(0, 4)
        self.log.setHorizontalHeaderLabels(["时间", "操作人", "操作", "对象"])
        self.log.horizontalHeader().setStretchLastSection(True)
        self.log.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.log.verticalHeader().setVisible(False)
        self.log.horizontalHeader().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.log, 1)

    def refresh(self) -> None:
        with self.ctx.store.session() as s:
            t = township.current(s)
            vs = township.villages(s)
            groups = sum(len([g for g in v.groups if g.deleted_at is None]) for v in vs)
            entries = [(audit.local_time(e.at), e.operator, audit.action_label(e.action), e.target) for e in audit.recent(s, 50)]
            name, county = t.name, t.county_name
        self.title.setText(f"首页 — {name}")
        self.summary.setText(f"{county} {name}:村(社区){len(vs)} 个,村民小组 {groups} 个。今天是 {date.today():%Y年%m月%d日}。")
        rep = health.run_checks(self.ctx.store)
        bad = [str(i["detail"]) for i in rep.items if not i["ok"]]
        self.warnings.setText("\n".join("⚠ " + b for b in bad))
        self.warnings.setVisible(bool(bad))
        self.log.setRowCount(len(entries))
        for r, (at, op, action, target) in enumerate(entries):
            for c, v in enumerate([f"{at:%Y-%m-%d %H:%M}", op, action, target]):
                self.log.setItem(r, c, QtWidgets.QTableWidgetItem(v))
