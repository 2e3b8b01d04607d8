"""The column-mapping step: an unknown export, a drop-down over each column prefilled with the
importer's guesses, the clerk's fix, the layout saved and applied by itself the next time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from gkdesk.app import payouts as ops
from gkdesk.models import Payout
from gkdesk.ui.context import UiContext
from gkdesk.ui.mainwindow import MainWindow
from gkdesk.ui.qt import QtWidgets
from tests.payout_files import pid

SHOTS = os.environ.get("GKDESK_SCREENSHOTS")  # a folder: save the pictures for docs/


def unknown_export(path: Path) -> Path:
    """No header word the importer knows for name or amount: 领取人 / 本期应领(元); the village
    in a 村组 column; a 经办网点 column of text; a 联系号码."""
    wb = Workbook()
    ws = wb.active
    ws.title = "导出数据"
    ws.append(["编号", "领取人", "证件", "村组", "联系号码", "本期应领(元)", "经办网点"])
    people = [("张大山", "高桥村2组", 300.5), ("李秀英", "高桥村六组", 200.0), ("王建国", "柳树村3社", 150.25),
              ("赵春梅", "柳树村第一组", 99.0)]
    for i, (name, place, amount) in enumerate(people, 1):
        ws.append([f"NO{i:04d}", name, pid(40 + i), place, f"1380000000{i}", amount, "高桥分社"])
    wb.save(path)
    return path


@pytest.fixture
def page(qtbot, store, monkeypatch):
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: None)

    def fail(parent, title, text, *a, **k):  # type: ignore[no-untyped-def]
        raise AssertionError(f"{title}: {text}")

    monkeypatch.setattr(QtWidgets.QMessageBox, "critical", fail)
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", fail)
    monkeypatch.setattr(QtWidgets.QMessageBox, "question", fail)
    win = MainWindow(UiContext(store, "测试员"))
    qtbot.addWidget(win)
    win.resize(1100, 720)
    win.show()
    return win.show_page("payouts")


def test_mapping_step_fix_save_and_reuse(page, qtbot, store, tmp_path: Path) -> None:
    f = unknown_export(tmp_path / "导出数据.xlsx")
    dlg = page.open_import()
    dlg.path.setText(str(f))
    dlg.program.setCurrentText("临时救助")
    dlg.year.setValue(2026)
    dlg.next()
    qtbot.waitUntil(lambda: dlg.stack.currentIndex() == 1, timeout=15000)
    guesses = [c.currentText() for c in dlg.column_combos]
    # names, IDs and 村组 are recognised from content; the amount column's header is unknown
    assert guesses[1:4] == ["姓名", "身份证号", "村组"] and guesses[0] == "忽略" and guesses[4] == "忽略"
    assert dlg.sample.rowCount() == 5 and dlg.sample.item(1, 1).text() == "张大山"
    dlg.set_column(5, "金额")
    dlg.save_layout.setChecked(True)
    dlg.layout_name.setText("某系统导出")
    if SHOTS:
        dlg.resize(1000, 560)
        qtbot.wait(100)
        dlg.grab().save(str(Path(SHOTS) / "payout-mapping.png"))
    dlg.next()
    qtbot.waitUntil(lambda: dlg.stack.currentIndex() == 2 and dlg.checked is not None, timeout=15000)
    assert dlg.checked.rows == 4 and dlg.checked.total_amount == "749.75"
    assert dlg.checked.columns["amount"] == "本期应领(元)"
    dlg.next()
    qtbot.waitUntil(lambda: dlg.result_batch is not None, timeout=15000)
    with store.session() as s:
        got = [(p.recipient_name, p.group_name) for p in s.scalars(select(Payout).order_by(Payout.seq))]
    assert got == [("张大山", "2组"), ("李秀英", "6组"), ("王建国", "3社"), ("赵春梅", "1组")]
    assert [x["name"] for x in ops.list_layouts(page.ctx.ws)] == ["某系统导出"]
    # the next file of the same system is mapped by the template, no question asked
    g = unknown_export(tmp_path / "导出数据2.xlsx")
    res = ops.check_list(page.ctx.ws, g, program="临时救助", year=2026, period="第二批")
    assert res.layout == "某系统导出" and res.columns["amount"] == "本期应领(元)" and res.rows == 4
    assert "按模板『某系统导出』导入" in res.columns_line()


def test_doubts_on_the_payouts_page(page, qtbot, store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.payout_files import simple_xlsx

    header = ["村", "组", "姓名", "身份证号", "发放月份", "金额"]
    ws = page.ctx.ws
    a = simple_xlsx(tmp_path / "低保10月.xlsx", [["高桥村", 1, "张大山", pid(1), "2026-10", 500],
                                                ["高桥村", 2, "李秀英", pid(2), "2026-10", 450],
                                                ["柳树村", 1, "王建国", pid(3), "2026-10", 300]], header=header)
    b = simple_xlsx(tmp_path / "低保补发.xlsx", [["高桥村", 1, "张大山", pid(1), "2026-10", 500]], header=header)
    c = simple_xlsx(tmp_path / "特困10月.xlsx", [["高桥村", 2, "李秀英", pid(2), "2026-10", 700],
                                                ["柳树村", 1, "王建国", pid(3), "2026-10", 700],
                                                ["柳树村", 2, "赵春梅", pid(4), "2026-10", 700]], header=header)
    assert ops.import_list(ws, a, program="低保金", year=2026, period="2026年10月").status == "imported"
    res = ops.import_list(ws, b, program="城乡居民最低生活保障金", year=2026, period="10月补发")
    assert res.status == "imported" and [d.kind for d in res.doubts] == ["同期重复领取"]
    res = ops.import_list(ws, c, program="农村特困人员救助供养金", year=2026, period="2026年10月")
    assert res.status == "imported" and len(res.doubts) == 2
    page.refresh()
    row = page.batch_ids.index(res.batch)
    page.batches.selectRow(row)
    dlg = page.open_doubts()
    assert dlg.table.rowCount() == 2
    assert {dlg.table.item(r, 0).text() for r in range(2)} == {"低保与特困同月"}
    assert all("*" in dlg.table.item(r, 2).text() for r in range(2))
    if SHOTS:
        qtbot.wait(100)
        dlg.grab().save(str(Path(SHOTS) / "payout-doubts.png"))
    out = tmp_path / "核查.xlsx"
    assert dlg.export(str(out)) == str(out)
    sheet = load_workbook(out).active
    assert sheet["A3"].value == "低保与特困同月" and sheet["G2"].value == "核查结果"
