"""Read-only item tables for the small lists on pages (big lists use LazyTableModel)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from gkdesk.ui.qt import Qt, QtGui, QtWidgets


def readonly_table(headers: Sequence[str], row_height: int | None = None) -> QtWidgets.QTableWidget:
    t = QtWidgets.QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(list(headers))
    t.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    if row_height:
        t.verticalHeader().setDefaultSectionSize(row_height)
    return t


def fill_table(table: QtWidgets.QTableWidget, rows: Sequence[Sequence[object]], *,
               first_colour: str | None = None, right: Collection[int] = ()) -> None:
    """Replace the rows; ``first_colour`` tints the first column, ``right`` right-aligns columns."""
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            cell = QtWidgets.QTableWidgetItem("" if v is None else str(v))
            if first_colour and c == 0:
                cell.setForeground(QtGui.QBrush(QtGui.QColor(first_colour)))
            if c in right:
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, cell)
    table.resizeColumnsToContents()
