"""The 同步 page's "迁移到 PostgreSQL…" moves a real county into a real, empty PostgreSQL
database; the summary never shows the password and the data directory then opens PostgreSQL."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from gkdesk import dbconfig, sync
from gkdesk.models import Village
from gkdesk.store import open_store


@pytest.mark.postgres
def test_migrate_from_the_sync_page(qtbot, tmp_path, pg_url, monkeypatch):
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.pages.sync import SyncPage
    from gkdesk.ui.pages.sync_migrate import MigrateDialog
    from gkdesk.ui.qt import QtWidgets
    from tests.sync.helpers import enrol, make_county, make_township

    c = make_county(tmp_path)
    t = make_township(tmp_path, "t1")
    try:
        enrol(t, c, tmp_path)
        reps = sync.import_files(c, sync.export_data(t, tmp_path / "usb", "乡镇").files, "县级")
        assert [r.status for r in reps] == ["applied"]
        with c.session() as s:
            villages = s.scalar(select(func.count()).select_from(Village))
        page = SyncPage(UiContext(c, "县级"))
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        assert page.migrate_btn.isVisible()

        u = make_url(pg_url)
        secret = "s3cret-值"
        dlg = MigrateDialog(page)  # what the clerk types: address and (masked) password apart
        qtbot.addWidget(dlg)
        dlg.address.setText(u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
                            .removeprefix("postgresql://"))
        dlg.password.setText(secret)
        typed = make_url(dlg.url())
        assert typed.password == secret and typed.database == u.database
        url = typed.set(password=u.password).render_as_string(hide_password=False)  # the test server's own

        shown = []
        monkeypatch.setattr(QtWidgets.QMessageBox, "information", lambda *a, **k: shown.append(a[2]))
        monkeypatch.setattr(page, "_ask_database", lambda: url)
        page.migrate_dialog()
        qtbot.waitUntil(lambda: page.last_job is not None and page.last_job.done, timeout=120000)
        assert shown, page.message.text()
        assert "已把县级数据" in shown[0] and "重新启动" in shown[0] and "--" not in shown[0]
        assert not page.migrate_btn.isEnabled()
        if u.password:
            assert u.password not in shown[0] and u.password not in page.message.text()
        assert dbconfig.load(c.data_dir) is not None
        pg = open_store(c.data_dir)  # the data directory now opens PostgreSQL
        try:
            assert not pg.is_sqlite
            with pg.session() as s:
                assert s.scalar(select(func.count()).select_from(Village)) == villages
        finally:
            pg.close()
    finally:
        c.close()
        t.close()
