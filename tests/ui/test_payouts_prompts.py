"""补贴发放 page prompts: add unknown villages?, replace the earlier list?, delete a batch?"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from gkdesk import backups, township
from gkdesk.app import Workspace
from gkdesk.app import payouts as ops
from gkdesk.models import Payout, PayoutBatch
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.qt import QtWidgets
from tests.payout_files import pid, simple_xlsx

YES, NO = QtWidgets.QMessageBox.StandardButton.Yes, QtWidgets.QMessageBox.StandardButton.No


@pytest.fixture
def page(qtbot, store, monkeypatch):
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: None)
    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    win.show()
    return win.show_page("payouts")


TEXTS: list[str] = []  # every question's text, to check that none names a command-line flag


def answer_confirm(monkeypatch, replies: list[bool]) -> list[str]:
    """Answers to the page's confirmation dialog (``gkdesk.ui.widgets.confirm``), in order; it
    records the title and everything the dialog would show (question and facts)."""
    from gkdesk.ui.pages import payouts as payouts_page

    asked: list[str] = []

    def fake(parent, title, question, facts=(), **k):  # type: ignore[no-untyped-def]
        asked.append(title)
        TEXTS.append(question + "\n" + "\n".join(f"{a}:{b}" for a, b in facts) + "\n" + str(k.get("note", "")))
        return replies.pop(0)

    monkeypatch.setattr(payouts_page, "confirm", fake)
    return asked


def answer(monkeypatch, replies: list) -> list[str]:
    """QMessageBox.question answers in order; returns the questions' titles as asked."""
    asked: list[str] = []

    def question(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
        asked.append(title)
        TEXTS.append(text)
        return replies.pop(0)

    monkeypatch.setattr(QtWidgets.QMessageBox, "question", question)
    return asked


def wizard_to_report(page, qtbot, path: Path):  # type: ignore[no-untyped-def]
    dlg = page.open_import()
    dlg.path.setText(str(path))
    dlg.program.setCurrentText("耕地地力保护补贴")
    dlg.year.setValue(2026)
    dlg.next()
    qtbot.waitUntil(lambda: dlg.stack.currentIndex() == 1, timeout=10000)
    dlg.next()
    qtbot.waitUntil(lambda: dlg.stack.currentIndex() == 2 and dlg.checked is not None, timeout=10000)
    return dlg


def counts(store) -> tuple[int, int]:
    with store.session() as s:
        live = s.scalar(select(func.count()).select_from(Payout).where(Payout.deleted_at.is_(None)))
        batches = s.scalar(select(func.count()).select_from(PayoutBatch).where(PayoutBatch.deleted_at.is_(None)))
    return live, batches


def test_unknown_villages_added_only_when_the_clerk_agrees(page, qtbot, store, tmp_path: Path, monkeypatch) -> None:
    f = simple_xlsx(tmp_path / "新村.xlsx", [["高桥村", 1, "甲", pid(1), 1, 100, 100], ["石桥村", 1, "乙", pid(2), 1, 100, 100]])
    dlg = wizard_to_report(page, qtbot, f)
    assert "不认识的村(社区):石桥村" in dlg.summary.text() and dlg.next_btn.isEnabled()
    asked = answer(monkeypatch, [NO])
    dlg.next()
    assert asked == ["添加村(社区)"] and counts(store) == (0, 0) and dlg.result_batch is None
    asked = answer(monkeypatch, [YES])
    dlg.next()
    qtbot.waitUntil(lambda: dlg.result_batch is not None, timeout=10000)
    assert asked == ["添加村(社区)"] and counts(store) == (2, 1)
    with store.session() as s:
        assert "石桥村" in [v.name for v in township.villages(s)]


def test_replace_prompt_keeps_or_replaces_the_earlier_list_with_a_backup(page, qtbot, store, data_dir: Path,
                                                                        tmp_path: Path, monkeypatch) -> None:
    first = simple_xlsx(tmp_path / "第一版.xlsx", [["高桥村", 1, "甲", pid(1), 1, 100, 100]])
    ops.import_list(Workspace(store, "测试员"), first, program="耕地地力保护补贴", year=2026)
    fixed = simple_xlsx(tmp_path / "更正版.xlsx", [["高桥村", 1, "甲", pid(1), 1, 100, 100], ["柳树村", 1, "乙", pid(2), 2, 100, 200]])
    dlg = wizard_to_report(page, qtbot, fixed)
    assert "导入时会询问是否替换" in dlg.summary.text()
    asked = answer(monkeypatch, [NO])
    dlg.next()
    qtbot.waitUntil(lambda: asked == ["替换清册"], timeout=10000)
    assert counts(store) == (1, 1)
    before = len(backups.list_backups(data_dir))
    asked = answer(monkeypatch, [YES])
    dlg.next()
    qtbot.waitUntil(lambda: dlg.result_batch is not None, timeout=10000)
    assert asked == ["替换清册"] and counts(store) == (2, 1)
    assert "已有一份清册" in TEXTS[-1] and "--" not in TEXTS[-1] and "gkdesk" not in TEXTS[-1]
    assert [b.reason for b in backups.list_backups(data_dir)][: len(backups.list_backups(data_dir)) - before] == ["before-replace"]


def test_delete_button_asks_then_deletes_after_a_backup(page, qtbot, store, data_dir: Path, tmp_path: Path,
                                                        monkeypatch) -> None:
    f = simple_xlsx(tmp_path / "清册.xlsx", [["高桥村", 1, "甲", pid(1), 1, 100, 100]])
    ops.import_list(Workspace(store, "测试员"), f, program="耕地地力保护补贴", year=2026)
    page.refresh()
    assert page.batches.rowCount() == 1 and page.delete_btn.isEnabled()
    asked = answer_confirm(monkeypatch, [False])
    page.delete_selected()
    assert asked == ["删除批次"] and counts(store) == (1, 1)
    assert "耕地地力保护补贴" in TEXTS[-1] and "2026" in TEXTS[-1]  # the question names the batch
    assert not any(b.reason == "before-delete" for b in backups.list_backups(data_dir))
    asked = answer_confirm(monkeypatch, [True])
    page.delete_selected()
    assert asked == ["删除批次"] and counts(store) == (0, 0)
    assert backups.list_backups(data_dir)[0].reason == "before-delete"
    qtbot.waitUntil(lambda: page.batches.rowCount() == 0, timeout=5000)


def test_programs_menu_adds_and_renames_a_program(page, store, monkeypatch) -> None:
    texts = iter([("护林员补助", True), ("人", True), ("护林员补贴", True)])
    items = iter([("按人次", True), ("护林员补助", True)])
    monkeypatch.setattr(QtWidgets.QInputDialog, "getText", lambda *a, **k: next(texts))
    monkeypatch.setattr(QtWidgets.QInputDialog, "getItem", lambda *a, **k: next(items))
    added = page.add_program()
    assert added is not None and added.program["kind"] == "person" and added.program["unit"] == "人"
    renamed = page.rename_program()
    assert renamed is not None and renamed.program["name"] == "护林员补贴"
    dlg = page.open_import()
    assert "护林员补贴" in [dlg.program.itemText(i) for i in range(dlg.program.count())]
    dlg.reject()
