"""A box listing villages with overdue 村务公开 items, for the 首页 dashboard.

Drop it into any layout: ``box = VillageOverdueBox(ctx)``; it refreshes itself when
postings or village catalogues change and emits ``villageActivated(name)`` on a
double-click so the window can open the 村务公开 page at that village.
"""

from __future__ import annotations

from datetime import date

from gkdesk.app import postings as ops
from gkdesk.ui.context import UiContext
from gkdesk.ui.qt import QtGui, QtWidgets, Signal

WATCHES = {"postings", "village_catalogue", "villages", "calendar", "all"}


class VillageOverdueBox(QtWidgets.QGroupBox):
    villageActivated = Signal(str)

    def __init__(self, ctx: UiContext, parent: QtWidgets.QWidget | None = None, today: date | None = None) -> None:
        super().__init__("村务公开:有逾期未公示事项的村(社区)", parent)
        self.ctx = ctx
        self.today = today
        layout = QtWidgets.QVBoxLayout(self)
        self.table = QtWidgets.QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["村(社区)", "逾期", "事项"])
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.villageActivated.emit(self.table.item(r, 0).text()))
        self.empty = QtWidgets.QLabel("各村均无逾期未公示事项")
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        ctx.changed.connect(lambda changes: self.refresh() if WATCHES & set(changes) else None)
        self.refresh()

    def refresh(self) -> None:
        rows = ops.overdue(self.ctx.ws, self.today or date.today())
        self.table.setRowCount(len(rows))
        for r, o in enumerate(rows):
            name = QtWidgets.QTableWidgetItem(o.name)
            count = QtWidgets.QTableWidgetItem(str(o.missing))
            count.setForeground(QtGui.QBrush(QtGui.QColor("#c8372d")))
            items = QtWidgets.QTableWidgetItem("、".join(o.items[:3]) + ("…" if len(o.items) > 3 else ""))
            items.setToolTip("\n".join(o.items))
            for c, cell in enumerate((name, count, items)):
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
