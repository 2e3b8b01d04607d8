"""A page whose feature has not landed yet: it says so instead of pretending."""

from __future__ import annotations

from gkdesk.ui.pages.base import Page
from gkdesk.ui.qt import Qt, QtWidgets


class PlaceholderPage(Page):
    def __init__(self, ctx, parent=None, title: str = "") -> None:
        super().__init__(ctx, parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.heading(title))
        note = QtWidgets.QLabel("此功能尚未启用,将在后续版本中提供。")
        note.setAlignment(Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addStretch(1)
