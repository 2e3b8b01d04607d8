"""The 同步 page on both sides: export to a folder, import by drag-and-drop, history, receipts."""

from __future__ import annotations

import json
import os
from pathlib import Path

from gkdesk import township
from gkdesk.ui.context import UiContext
from gkdesk.ui.pages.sync import SyncPage
from gkdesk.ui.qt import Qt, QtCore, QtGui

from ..sync.helpers import enrol, make_pair, make_township

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _page(qtbot, store) -> SyncPage:
    page = SyncPage(UiContext(store, "测试员"))
    qtbot.addWidget(page)
    page.resize(1180, 720)
    page.show()
    page.county_panel.loader.wait()  # the county views arrive from a background read
    return page


def _wait(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.last_job is not None and page.last_job.done, timeout=30000)
    page.county_panel.loader.wait()


def _drop(page: SyncPage, paths: list[Path]) -> None:
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(p)) for p in paths])
    ev = QtGui.QDropEvent(QtCore.QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                          Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    page.drop.dropEvent(ev)


def test_sync_page_township_to_county_and_back(qtbot, tmp_path):
    pair = make_pair(tmp_path / "pair")
    try:
        # two more townships so the county view has something to compare
        extra = [make_township(tmp_path, f"x{i}", name=n, code=c, villages=v) for i, (n, c, v) in enumerate([
            ("石桥镇", "511702102", (("石桥村", 6), ("白鹤村", 4))), ("双河镇", "511702103", (("双河村", 9),))])]
        for t in extra:
            enrol(t, pair.county, tmp_path)
        tp = _page(qtbot, pair.township)
        assert "511702101" in tp.identity.text() and tp.export_btn.isVisibleTo(tp)
        usb = tmp_path / "U盘"
        usb.mkdir()
        tp.export_to(usb)
        _wait(qtbot, tp)
        assert "可以安全拔出 U 盘" in tp.message.text()
        assert tp.history.rowCount() == 1 and tp.history.item(0, 1).text() == "导出"

        cp = _page(qtbot, pair.county)
        assert cp.is_county and not cp.export_btn.isVisibleTo(cp) and cp.status_table.rowCount() == 3
        from gkdesk import sync

        others = [sync.export_data(t, usb, "乡镇").files[0] for t in extra]
        bad = usb / "损坏的包.gkpkg"
        bad.write_bytes(b"broken")
        _drop(cp, [*usb.glob("高桥镇*.gkpkg"), *others, bad])
        _wait(qtbot, cp)
        text = cp.message.text()
        assert text.count("已导入") == 3 and "损坏的包.gkpkg:已拒绝" in text and "回执已写入" in text
        cp.refresh()
        assert cp.history.rowCount() == 3 + 3 + 1  # 3 data in, 3 receipts out, 1 refused
        rows = {cp.status_table.item(r, 1).text(): cp.status_table.item(r, 2).text() for r in range(3)}
        assert rows == {"511702101": "1", "511702102": "1", "511702103": "1"}
        cp.history.selectRow([e["status"] for e in cp.entries].index("refused"))
        assert "已拒绝,数据未改动" in cp.report.toPlainText()
        assert "--" not in cp.report.toPlainText() and "gkdesk " not in cp.message.text()
        cp.history.selectRow([(e["direction"], e["kind"]) for e in cp.entries].index(("in", "data")))
        assert "村民小组" in cp.report.toPlainText()
        if os.environ.get("GKDESK_SCREENSHOTS"):
            cp.grab().save(str(DOCS / "sync.png"))

        receipts = sorted((pair.county.data_dir / "outbox").glob("高桥镇*receipt*.gkpkg"))
        tp.import_paths(receipts)
        _wait(qtbot, tp)
        assert "回执" in tp.message.text() and "已导入" in tp.message.text()
        assert "县级已确认收到第 1 号包" in tp.message.text() and "acked_seq" not in tp.message.text()
        tp.refresh()
        tp.history.selectRow([(e["direction"], e["kind"]) for e in tp.entries].index(("in", "receipt")))
        assert "县级已确认收到第 1 号包" in tp.report.toPlainText()
        assert "acked_seq" not in tp.report.toPlainText()
        with pair.township.session() as s:
            assert township.current(s).name == "高桥镇"
        for t in extra:
            t.close()
    finally:
        pair.close()


def test_re_enrolment_is_offered_from_the_refusal_hint(qtbot, tmp_path):
    from gkdesk.app import sync as ops
    from gkdesk.app.workspace import Workspace

    pair = make_pair(tmp_path / "pair")
    try:
        t = Workspace(pair.township, "乡镇")
        for f in (pair.township.data_dir / "keys").glob("*.kek"):
            f.unlink()  # the old keys are lost: the new ones cannot be endorsed by them
        ops.reset_keys(t)
        new_id = ops.export_identity(t, tmp_path / "新身份.json").file
        cp = _page(qtbot, pair.county)
        cp.trust_file(new_id, confirm=False)  # refused: the window says what to do, in its own words
        text = cp.message.text()
        assert "不同" in text and "确认替换" in text and "--" not in text and "gkdesk" not in text
        cp.trust_file(new_id, replace=True, confirm=False)  # what 确认替换 does (then the 核验 dialog)
        assert "已重新登记" in cp.message.text() and "原指纹" in cp.message.text()
        cp.refresh()
        [peer] = cp.trust_panel.peers
        assert peer["state"] == "待核验" and cp.trust_panel.table.item(0, 2).text() == "待核验"
        fp = json.loads(new_id.read_text(encoding="utf-8"))["fingerprint"]
        cp.trust_panel.verify(peer["code"], fp)  # what the 核验 dialog sends
        assert cp.trust_panel.table.item(0, 2).text() == "已核验"
    finally:
        pair.close()


def test_verify_dialog_counts_digits_and_forged_names_stay_plain_text(qtbot, tmp_path):
    from gkdesk.ui.pages.sync_trust import VerifyDialog

    pair = make_pair(tmp_path / "pair")
    try:
        cp = _page(qtbot, pair.county)
        peer = dict(cp.trust_panel.peers[0], name="<b style='color:green'>✔ 全部导入成功</b>")
        dlg = VerifyDialog(peer, cp.trust_panel.my_fingerprint)
        qtbot.addWidget(dlg)
        ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
        assert not ok.isEnabled()
        dlg.edit.setText(peer["fingerprint"])
        assert ok.isEnabled() and dlg.digits() == peer["fingerprint"].replace(" ", "")
        from gkdesk.ui.qt import QtWidgets

        labels = dlg.findChildren(QtWidgets.QLabel)
        assert all(lab.textFormat() == Qt.TextFormat.PlainText for lab in labels)
        assert cp.message.textFormat() == Qt.TextFormat.PlainText == cp.identity.textFormat()
        if os.environ.get("GKDESK_SCREENSHOTS"):
            dlg.show()
            dlg.grab().save(str(tmp_path.parent / "sync-verify.png"))
    finally:
        pair.close()


def test_enrolment_file_from_the_county_window_moves_the_township_to_its_registry_id(qtbot, tmp_path, monkeypatch):
    """The county enrols a township in the window, the enrolment file is written next to the
    township's identity file (and again by 导出登记文件…); the township imports it in its window,
    verifies by phone, and its records move to the id the county assigned."""
    from gkdesk.app import sync as ops
    from gkdesk.app.workspace import Workspace

    from ..sync.helpers import make_county, self_id

    root = tmp_path / "p"
    root.mkdir()
    t, c = make_township(root, "t"), make_county(root)
    try:
        tw = Workspace(t, "乡镇")
        usb = tmp_path / "U盘"
        usb.mkdir()
        tid = ops.export_identity(tw, usb / "高桥镇身份文件.json")
        cp = _page(qtbot, c)
        cp.trust_file(tid.file, confirm=False)
        text = cp.message.text()
        assert "已写入登记文件" in text and "gkdesk" not in text and "--" not in text
        cp.refresh()
        cp.trust_panel.verify("511702101", tid.fingerprint)
        assert cp.trust_panel.enrol_btn.isVisibleTo(cp)
        again = usb / "再次导出的登记文件.json"
        cp.trust_panel.export_enrolment("511702101", again)
        assert again.exists() and "已写入“高桥镇”(511702101)的登记文件" in cp.message.text()
        if os.environ.get("GKDESK_SCREENSHOTS"):
            qtbot.wait(100)
            cp.grab().save(str(tmp_path.parent / "sync-enrolment-county.png"))
        tp = _page(qtbot, t)
        assert not tp.trust_panel.enrol_btn.isVisibleTo(tp)
        tp.trust_file(again, confirm=False)
        assert "登记文件" in tp.message.text() and "核验县级指纹后" in tp.message.text()
        own = self_id(t)
        cfp = json.loads(again.read_text(encoding="utf-8"))["fingerprint"]
        tp.refresh()
        assert "核验县级指纹后采用" in tp.identity.text()
        tp.trust_panel.verify("511702", cfp)
        assert "已改用县级登记的编号" in tp.message.text()
        tp.refresh()
        assert "县级登记:已采用" in tp.identity.text()
        # 导出恢复包… (for a township that lost its folder): nothing to restore before its first package
        out = tmp_path / "恢复包"
        from gkdesk.ui.qt import QtWidgets

        warned: list[str] = []
        monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
        assert cp.trust_panel.send_restore("511702101", out) is None
        assert "还没有收到“高桥镇”(511702101)的任何数据" in warned[0] and not out.exists()
        from gkdesk import sync

        [rep] = sync.import_files(c, sync.export_data(t, tmp_path / "u", "乡镇").files, "县级")
        assert rep.status == "applied"
        cp.trust_panel.send_restore("511702101", out)
        assert "已为“高桥镇”(511702101)写入恢复包" in cp.message.text() and list(out.glob("*.gkpkg"))
        assert "gkdesk" not in cp.message.text()
        tp.import_paths(list(out.glob("*.gkpkg")))  # this PC has sent data: it needs no restore
        _wait(qtbot, tp)
        assert "不需要恢复包" in tp.message.text() and "未做任何改动" in tp.message.text(), tp.message.text()
        with c.session() as s:
            from sqlalchemy import select

            from gkdesk.models import SyncPeer

            assigned = s.scalar(select(SyncPeer.township_id).where(SyncPeer.code == "511702101"))
        assert self_id(t) == assigned != own
        if os.environ.get("GKDESK_SCREENSHOTS"):
            qtbot.wait(100)  # let the layout take the new texts and hidden buttons
            tp.grab().save(str(tmp_path.parent / "sync-enrolment-township.png"))
    finally:
        t.close()
        c.close()
