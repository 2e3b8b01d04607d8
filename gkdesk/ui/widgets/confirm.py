"""Confirmations that name the thing: which program, year, period, file, how many rows, what total.

"删除所选发放批次?" let a clerk delete the wrong one of two rows both named "耕地地力保护补贴
2026". A confirmation built here lists the facts that tell such rows apart, puts the safe
choice (取消) first and makes it the default, so Enter never destroys anything.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from gkdesk.ui.qt import Qt, QtWidgets

Fact = tuple[str, object]

#: tests set this to a callable(title, text, facts) -> bool to answer without a dialog
answer_for_tests = None


def facts_html(facts: Sequence[Fact]) -> str:
    rows = "".join(f"<tr><td style='color:#555;padding-right:12px'>{html.escape(str(k))}</td>"
                   f"<td><b>{html.escape(str(v))}</b></td></tr>" for k, v in facts if v not in (None, ""))
    return f"<table>{rows}</table>"


def confirm(parent: QtWidgets.QWidget | None, title: str, question: str, facts: Sequence[Fact] = (), *,
            action: str = "确定", note: str = "") -> bool:
    """Ask ``question`` with the ``facts`` that identify the thing; True only if ``action`` was pressed."""
    if answer_for_tests is not None:
        return bool(answer_for_tests(title, question, list(facts)))
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<p>{html.escape(question)}</p>{facts_html(facts)}"
                + (f"<p style='color:#555'>{html.escape(note)}</p>" if note else ""))
    go = box.addButton(action, QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QtWidgets.QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    go.setAutoDefault(False)
    box.exec()
    return box.clickedButton() is go
