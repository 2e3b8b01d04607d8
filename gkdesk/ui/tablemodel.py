"""A table model over a row source, fetched lazily in pages.

The view asks ``canFetchMore`` as the clerk scrolls; we pull the next page with
LIMIT/OFFSET. 100,000 payout rows never become 100,000 widgets or even 100,000
Python tuples unless the clerk scrolls that far.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gkdesk.paging import RowSource
from gkdesk.ui.qt import Qt, QtCore, Signal

PAGE_SIZE = 200


class LazyTableModel(QtCore.QAbstractTableModel):
    failed = Signal(str)

    def __init__(self, source: RowSource, page_size: int = PAGE_SIZE, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.page_size = page_size
        self._rows: list[tuple[Any, ...]] = []
        self._total = 0
        self.error: str | None = None
        self.source = source
        self.set_source(source)

    def set_source(self, source: RowSource) -> None:
        """Swap the source (e.g. a new search) and start again from the first page."""
        self.beginResetModel()
        self.source = source
        self._rows = []
        self.error = None
        try:
            self._total = source.count()
        except Exception as exc:  # a broken query shows as a message, not a crash
            self._total = 0
            self.error = f"读取数据失败:{exc}"
        self.endResetModel()
        if self.error:
            self.failed.emit(self.error)
        elif self._total:
            self.fetchMore(QtCore.QModelIndex())

    @property
    def total(self) -> int:
        return self._total

    def row(self, i: int) -> tuple[Any, ...]:
        return self._rows[i]

    def rowCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.source.columns)

    def canFetchMore(self, parent: QtCore.QModelIndex) -> bool:
        return not parent.isValid() and len(self._rows) < self._total and self.error is None

    def fetchMore(self, parent: QtCore.QModelIndex) -> None:
        start = len(self._rows)
        try:
            page = self.source.fetch(start, min(self.page_size, self._total - start))
        except Exception as exc:
            self.error = f"读取数据失败:{exc}"
            self.failed.emit(self.error)
            return
        if not page:
            self._total = start
            return
        self.beginInsertRows(QtCore.QModelIndex(), start, start + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if value is None:
                return ""
            if isinstance(value, Decimal):
                return f"{value:,.2f}"
            return str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float, Decimal)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.source.columns[section]
        return str(section + 1)
