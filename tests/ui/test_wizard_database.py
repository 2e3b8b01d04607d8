"""The first-run wizard's database page: a county on a PostgreSQL server from the first run.

Real throwaway server (scripts/pg_test.sh), a role that logs in with a password; the
测试连接 button runs off the GUI thread and answers in Chinese, wrong password included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gkdesk import dbconfig, township
from gkdesk.store import open_store
from gkdesk.ui.qt import QtWidgets
from gkdesk.ui.wizard import FirstRunWizard
from tests.pg_clerk_helpers import PgClerk, pg_clerk  # noqa: F401  (fixture)

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _fill(page, fields) -> None:  # type: ignore[no-untyped-def]
    for w, v in zip((page.host, page.port, page.database, page.user, page.password), fields, strict=True):
        w.setText(v)


def _test_connection(qtbot, page) -> str:  # type: ignore[no-untyped-def]
    page.test_btn.click()
    qtbot.waitUntil(lambda: page.test_btn.isEnabled() and not page.loader.running, timeout=20_000)
    return page.result.text()


def test_township_never_sees_the_database_page(qtbot, tmp_path):
    store = open_store(tmp_path / "data")
    wiz = FirstRunWizard(store)
    qtbot.addWidget(wiz)
    wiz.show()
    wiz.next()
    assert wiz.currentPage() is wiz.tpage  # 乡镇 keeps its data in this PC's file
    wiz.back()
    wiz.opt_county.setChecked(True)
    wiz.next()
    assert wiz.currentPage() is wiz.dpage and wiz.dpage.opt_local.isChecked()
    assert not wiz.dpage.box.isEnabled()  # server fields only when the server is chosen
    wiz.next()
    assert wiz.currentPage() is wiz.tpage and wiz.store is store and not dbconfig.path(store.data_dir).exists()
    wiz.store.close()


@pytest.mark.postgres
def test_county_chooses_its_server_in_the_wizard(qtbot, tmp_path, pg_clerk: PgClerk):  # noqa: F811
    data = tmp_path / "data"
    store = open_store(data)
    wiz = FirstRunWizard(store)
    qtbot.addWidget(wiz)
    wiz.resize(900, 640)
    wiz.show()
    wiz.opt_county.setChecked(True)
    wiz.next()
    page = wiz.dpage
    page.opt_server.setChecked(True)
    assert page.box.isEnabled()
    _fill(page, pg_clerk.fields(password="not-the-password"))
    said = _test_connection(qtbot, page)
    assert "用户名或密码不正确" in said and "Traceback" not in said
    wiz.next()  # refused: stays on the page, nothing saved, still on the file
    assert wiz.currentPage() is page and "用户名或密码不正确" in page.result.text()
    assert not dbconfig.path(data).exists() and wiz.store.engine.dialect.name == "sqlite"
    page.password.setText(pg_clerk.password)
    said = _test_connection(qtbot, page)
    assert "连接成功" in said
    assert wiz.size().width() <= 1366 and wiz.size().height() <= 768
    DOCS.mkdir(exist_ok=True)
    wiz.grab().save(str(DOCS / "wizard-database.png"))
    wiz.next()
    assert wiz.currentPage() is wiz.tpage and wiz.store.engine.dialect.name == "postgresql"
    wiz.name.setText("通川区政务公开办")
    wiz.code.setText("511702")
    wiz.county.setText("通川区")
    wiz.operator.setText("李四")
    wiz.button(QtWidgets.QWizard.WizardButton.FinishButton).click()
    assert wiz.result() == QtWidgets.QDialog.DialogCode.Accepted
    wiz.store.close()
    assert pg_clerk.password not in dbconfig.path(data).read_text(encoding="utf-8")
    again = open_store(data)  # what the window does at its next start
    try:
        assert again.engine.url.database == pg_clerk.database
        with again.session() as s:
            t = township.current(s)
            assert (t.name, t.role) == ("通川区政务公开办", "county")
    finally:
        again.close()
    # a second PC pointed at the same server: the wizard ends on the database page
    wiz2 = FirstRunWizard(open_store(tmp_path / "pc2"))
    qtbot.addWidget(wiz2)
    wiz2.show()
    wiz2.opt_county.setChecked(True)
    wiz2.next()
    wiz2.dpage.opt_server.setChecked(True)
    _fill(wiz2.dpage, pg_clerk.fields())
    wiz2.next()
    qtbot.waitUntil(lambda: wiz2.result() == QtWidgets.QDialog.DialogCode.Accepted, timeout=5000)
    assert "已有县级数据" in wiz2.dpage.result.text()
    wiz2.store.close()


def _window(qtbot, store):  # type: ignore[no-untyped-def]
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.mainwindow import MainWindow

    win = MainWindow(UiContext(store, "李四"))
    qtbot.addWidget(win)
    win.show()
    return win


def test_township_settings_have_no_database_group(qtbot, tmp_path):
    store = open_store(tmp_path / "t")
    with store.session() as s:
        township.init_installation(s, "高桥镇", "511702101", "通川区", operator="李四")
    win = _window(qtbot, store)
    page = win.show_page("settings")
    assert not page.db_group.isVisible()
    win.close()
    store.close()


@pytest.mark.postgres
def test_settings_show_and_retest_the_county_server(qtbot, tmp_path, pg_clerk: PgClerk, monkeypatch):  # noqa: F811
    from gkdesk.app import setup
    from gkdesk.app.workspace import Workspace
    from gkdesk.ui.widgets import confirm

    data = tmp_path / "data"
    ws = Workspace(open_store(data), "李四")
    setup.connect_database(ws, *pg_clerk.fields())
    ws.close()
    store = open_store(data)
    with store.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="李四")
    win = _window(qtbot, store)
    page = win.show_page("settings")
    assert page.db_group.isVisible()
    assert "数据库服务器" in page.db_shown.text() and pg_clerk.database in page.db_shown.text()
    assert pg_clerk.password not in page.db_shown.text()
    box = page.db_box
    assert (box.host.text(), box.database.text(), box.user.text()) == (pg_clerk.host, pg_clerk.database, pg_clerk.user)
    assert box.password.text() == ""  # never shown; left empty, the saved one is used
    assert "连接成功" in _test_connection(qtbot, box) and "已有县级数据" in box.result.text()
    box.password.setText("wrong")
    assert "用户名或密码不正确" in _test_connection(qtbot, box)
    monkeypatch.setattr(confirm, "answer_for_tests", lambda *a: True)
    page.use_local_database()
    assert not dbconfig.path(data).exists() and not page.db_local.isEnabled()
    assert "本机文件" in page.db_shown.text()
    win.close()
    store.close()
