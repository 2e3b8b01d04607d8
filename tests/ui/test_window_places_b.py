"""Window places for operations the CLI had alone: undo one import (备份), domain alias and
待公开 (标准目录), document templates (依申请公开), county migration's button and address."""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("pytestqt")

from sqlalchemy import func, select

from gkdesk import backups, redo, sync
from gkdesk.app import catalogue as cat_ops
from gkdesk.app import sync as sync_ops
from gkdesk.app.workspace import Workspace
from gkdesk.models import SyncPeer, Village
from gkdesk.ui.context import UiContext
from gkdesk.ui.qt import QtWidgets
from gkdesk.ui.widgets import confirm as confirm_mod

from ..sync.helpers import enrol, make_county, make_township


def _villages_by_township(store) -> dict[str, int]:
    with store.session() as s:
        peers = {p.township_id: p.name for p in s.scalars(select(SyncPeer))}
        rows = s.execute(select(Village.township_id, func.count()).where(Village.deleted_at.is_(None))
                         .group_by(Village.township_id)).all()
    return {peers[t]: n for t, n in rows if t in peers}


def _walk(tree):
    for i in range(tree.topLevelItemCount()):
        stack = [tree.topLevelItem(i)]
        while stack:
            it = stack.pop()
            yield it
            stack.extend(it.child(j) for j in range(it.childCount()))


def test_undo_import_restores_state_before_the_chosen_import(qtbot, tmp_path, monkeypatch):
    from gkdesk.ui.pages.backups import BackupsPage

    c = make_county(tmp_path)
    ts = [make_township(tmp_path, f"t{i}", name=f"测试{i}镇", code=f"51170210{i}",
                        villages=((f"{i}号村", 2), (f"{i}号二村", 1))) for i in (1, 2, 3)]
    ws = Workspace(c, "县级")
    try:
        for t in ts:
            enrol(t, c, tmp_path)
        for i, t in enumerate(ts):
            files = sync.export_data(t, tmp_path / f"usb{i}", "乡镇").files
            res = sync_ops.import_packages(ws, files, receipts_dir=tmp_path / "receipts")
            assert [r.status for r in res.packages] == ["applied"]
        assert set(_villages_by_township(c)) == {"测试1镇", "测试2镇", "测试3镇"}
        entries = list(reversed(redo.entries(c.data_dir)))  # newest first, as the window lists them
        second = entries[1]

        page = BackupsPage(UiContext(ws))
        qtbot.addWidget(page)
        page.show()
        offered, asked = [], []
        monkeypatch.setattr(page, "_choose_import", lambda es: offered.append([page.import_label(e) for e in es])
                            or next(e for e in es if e.id == second.id))
        monkeypatch.setattr(confirm_mod, "answer_for_tests", lambda title, q, facts: asked.append(dict(facts)) or True)
        page.undo_import()
        qtbot.waitUntil(lambda: page.last_job is not None and page.last_job.done, timeout=60000)

        assert len(offered[0]) == 3 and second.files[0] in offered[0][1]
        facts = asked[0]
        assert facts["导入时间"] == f"{second.created:%Y-%m-%d %H:%M:%S}" and second.files[0] in facts["数据包"]
        assert facts["此后的导入"].startswith("1 次")
        assert _villages_by_township(c) == {"测试1镇": 2}  # before the second import: the first township only
        text = page.status.text()
        assert text.startswith("已恢复到") and "手工修改" in text and "--" not in text
        assert any(b.reason == "after-restore" for b in backups.list_backups(c.data_dir))
        with c.session() as s:  # the workspace was reopened: the window keeps working on it
            assert s.scalar(select(func.count()).select_from(Village)) == 2

        # cancelling the confirmation changes nothing
        monkeypatch.setattr(confirm_mod, "answer_for_tests", lambda *a: False)
        page.last_job = None
        page.undo_import()
        assert page.last_job is None and _villages_by_township(c) == {"测试1镇": 2}
    finally:
        monkeypatch.setattr(confirm_mod, "answer_for_tests", None)
        ws.close()
        for t in ts:
            t.close()


def test_undo_import_with_nothing_to_undo_says_so(qtbot, store, monkeypatch):
    from gkdesk.ui.pages.backups import BackupsPage

    page = BackupsPage(UiContext(store, "测试员"))
    qtbot.addWidget(page)
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    monkeypatch.setattr(page, "_choose_import", lambda es: pytest.fail("nothing to choose from"))
    page.undo_import()
    assert shown == ["今天尚无可撤销的导入。"]


def test_add_alias_from_the_domain_list(qtbot, store, monkeypatch):
    from gkdesk.ui.pages import catalogue as cat

    ctx = UiContext(store, "测试员")
    page = cat.CataloguePage(ctx)
    qtbot.addWidget(page)
    page.show()
    names = [d["name"] for d in page.domains]
    assert "城乡规划" in names
    node = next(it for it in _walk(page.tree) if it.data(0, cat.ROLE_ID) == next(
        d["id"] for d in page.domains if d["name"] == "城乡规划"))
    page.tree.setCurrentItem(node)
    offered = []
    monkeypatch.setattr(cat, "ask_alias", lambda _p, ns, cur: offered.append((ns, cur)) or ("村镇建设规划", cur))
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    page.add_alias()
    assert offered[0] == (names, "城乡规划")  # the domain in view is the one offered first
    dom = next(d for d in cat_ops.domains(ctx.ws) if d["name"] == "城乡规划")
    assert "村镇建设规划" in dom["aliases"]
    assert shown[0].startswith("已添加领域别名:村镇建设规划")
    # the same alias for another domain is refused by the operation, and said so
    other = next(n for n in names if n != "城乡规划")
    monkeypatch.setattr(page, "_ask_alias", lambda: ("村镇建设规划", other))
    page.add_alias()
    assert "未添加" in shown[-1]
    assert "村镇建设规划" not in next(d for d in cat_ops.domains(ctx.ws) if d["name"] == other)["aliases"]


def test_mark_pending_then_clear_on_the_selected_item(qtbot, store, monkeypatch):
    from gkdesk.ui.pages import catalogue as cat

    ctx = UiContext(store, "测试员")
    page = cat.CataloguePage(ctx)
    qtbot.addWidget(page)
    page.show()
    node = next(it for it in _walk(page.tree) if it.text(0) == "社会救助")
    page.tree.setCurrentItem(node)
    row = page.current_row()
    first = row.item["id"]
    assert page.btn_pending.isEnabled()
    monkeypatch.setattr(page, "_ask_pending", lambda r: (True, date(2026, 3, 2)))
    page.mark_pending()
    item = next(i for i in cat_ops.items(ctx.ws) if i["id"] == first)
    assert item["pending_since"] == "2026-03-02"
    assert page.current_row().item["id"] == first and "信息形成于 2026-03-02" in page.detail.toPlainText()
    seen = []
    monkeypatch.setattr(page, "_ask_pending", lambda r: seen.append(r.item["pending_since"]) or (True, None))
    page.mark_pending()
    assert seen == ["2026-03-02"]
    assert next(i for i in cat_ops.items(ctx.ws) if i["id"] == first)["pending_since"] is None
    monkeypatch.setattr(page, "_ask_pending", lambda r: (False, date(2026, 1, 1)))  # cancelled: nothing changes
    page.mark_pending()
    assert next(i for i in cat_ops.items(ctx.ws) if i["id"] == first)["pending_since"] is None


def test_templates_written_to_the_chosen_folder(qtbot, store, tmp_path, monkeypatch):
    from gkdesk.ui.pages.requests import RequestsPage

    page = RequestsPage(UiContext(store, "测试员"))
    qtbot.addWidget(page)
    page.show()
    out = tmp_path / "模板"
    out.mkdir()
    monkeypatch.setattr(page, "_templates_folder", lambda: str(out))
    shown = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
    page.do_templates()
    written = sorted(p.name for p in out.iterdir())
    assert written and all(p.stat().st_size > 0 for p in out.iterdir())
    assert str(out) in shown[0] and all(name in shown[0] for name in written)
    assert page.buttons["templates"].isEnabled()


def test_migrate_button_county_only_and_address_refused_plainly(qtbot, tmp_path, store, monkeypatch):
    from gkdesk.ui.pages.sync import SyncPage
    from gkdesk.ui.pages.sync_migrate import MigrateDialog, database_url

    township_page = SyncPage(UiContext(store, "测试员"))
    qtbot.addWidget(township_page)
    township_page.show()
    assert not township_page.migrate_btn.isVisible()

    c = make_county(tmp_path)
    try:
        page = SyncPage(UiContext(c, "县级"))
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        assert page.migrate_btn.isVisible()
        dlg = MigrateDialog(page)
        qtbot.addWidget(dlg)
        assert dlg.password.echoMode() == QtWidgets.QLineEdit.EchoMode.Password
        dlg.address.setText("gk@10.1.2.3:5432/county")
        dlg.password.setText("p@ss:w/rd")
        url = dlg.url()
        from sqlalchemy.engine import make_url
        u = make_url(url)
        assert (u.username, u.password, u.host, u.port, u.database) == ("gk", "p@ss:w/rd", "10.1.2.3", 5432, "county")
        assert database_url("postgresql+psycopg://a@h/d", "") == "postgresql+psycopg://a@h/d"

        shown = []
        monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
        monkeypatch.setattr(page, "_ask_database", lambda: "mysql://gk:secret@h/d")
        page.migrate_dialog()
        qtbot.waitUntil(lambda: page.last_job is not None and page.last_job.done, timeout=30000)
        assert "不是 PostgreSQL 地址" in shown[0] and "secret" not in shown[0] and "--" not in shown[0]
        assert not (c.data_dir / "database.json").exists() or "secret" not in (c.data_dir / "database.json").read_text()
    finally:
        c.close()
