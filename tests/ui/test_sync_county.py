"""The county side of the 同步 page with real data: the views across townships and the
conflict review (keep the township's version from the list, backed up and audited)."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import select

from gkdesk import sync, township
from gkdesk.models import SyncConflict, Village
from gkdesk.store import open_store
from gkdesk.ui.context import UiContext
from gkdesk.ui.pages.sync import SyncPage

from ..sync.helpers import enrol, make_township, self_id
from ..sync.test_county_views import _fill

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_county_views_and_conflict_review(qtbot, tmp_path):
    c = open_store(tmp_path / "county")
    with c.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    ts = [make_township(tmp_path, "t1"),
          make_township(tmp_path, "t2", name="石桥镇", code="511702102", villages=(("石桥村", 4), ("白鹤村", 3))),
          make_township(tmp_path, "t3", name="双河镇", code="511702103", villages=(("双河村", 5),))]
    try:
        for i, t in enumerate(ts):
            enrol(t, c, tmp_path)
            _fill(t, i + 1, (2025, 2026) if i == 0 else (2026,), with_catalogue=i != 2,
                  village=["高桥村", "石桥村", ""][i])
        for t in ts:
            reps = sync.import_files(c, sync.export_data(t, tmp_path / "usb", "乡镇").files, "县级")
            assert reps[0].status == "applied", reps[0].reason
        # one record changed on both sides
        tid = self_id(ts[0])
        with c.session() as s:
            s.scalar(select(Village).where(Village.township_id == tid, Village.name == "柳树村")).code = "511702101002"
        with ts[0].session() as s:
            township.find_village(s, "柳树村").name = "柳树社区"
        sync.import_files(c, sync.export_data(ts[0], tmp_path / "usb", "乡镇").files, "县级")

        page = SyncPage(UiContext(c, "县级"))
        qtbot.addWidget(page)
        page.resize(1280, 820)
        page.show()
        page.refresh()
        panel = page.county_panel
        panel.loader.wait()
        assert page.status_table.rowCount() == 3
        assert panel.payouts.rowCount() == 4 + 2 + 2 + 1  # 高桥镇 2 programs × 2 years, then 2 + 2, then 合计
        last = panel.payouts.rowCount() - 1
        assert panel.payouts.item(last, 0).text() == "合计"
        assert panel.catalogue.rowCount() == 3 and panel.villages.rowCount() == 3
        assert panel.tabText(4) == "待处理冲突(1)"
        panel.setCurrentIndex(1)
        if os.environ.get("GKDESK_SCREENSHOTS"):
            page.grab().save(str(DOCS / "sync-county.png"))
        panel.setCurrentIndex(4)
        panel.conflict_list.selectRow(0)
        assert panel.keep_township_btn.isEnabled()
        detail = {panel.conflict_detail.item(r, 0).text(): (panel.conflict_detail.item(r, 1).text(),
                                                           panel.conflict_detail.item(r, 2).text())
                  for r in range(panel.conflict_detail.rowCount())}
        assert detail["名称"] == ("柳树村", "柳树社区") and "name" not in detail  # Chinese labels, not columns
        assert panel.conflict_list.item(0, 2).text() == "村(社区)"
        backups = len(list((c.data_dir / "backups").rglob("*.sqlite3*")))
        panel.resolve_selected("township", confirm=False)
        assert "已采用乡镇版本" in page.message.text() and "处理前已自动备份" in page.message.text()
        assert len(list((c.data_dir / "backups").rglob("*.sqlite3*"))) == backups + 1
        page.refresh()
        panel.loader.wait()
        assert panel.conflict_list.rowCount() == 0 and panel.tabText(4) == "待处理冲突"
        with c.session() as s:
            assert s.scalar(select(SyncConflict.resolution)) == "township"
    finally:
        for st in (c, *ts):
            st.close()


def test_importing_into_a_county_window_never_blocks_the_gui_thread(qtbot, tmp_path):
    """Packages imported through the window, then every county view refreshed: a 20 ms
    heartbeat on the GUI thread never waits more than 200 ms (it waited 3–14 s when the
    views ran on the GUI thread after each import)."""
    import itertools
    import time

    from gkdesk.ui.qt import QtCore

    c = open_store(tmp_path / "county")
    with c.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    ts = [make_township(tmp_path, f"t{i}", name=f"测试{i}镇", code=f"51170210{i}", villages=(("一村", 3), ("二村", 2)))
          for i in range(1, 4)]
    try:
        files = []
        for i, t in enumerate(ts):
            enrol(t, c, tmp_path)
            _fill(t, i + 7, (2025, 2026), with_catalogue=True, village="一村")
            files += sync.export_data(t, tmp_path / "usb", "乡镇").files
        page = SyncPage(UiContext(c, "县级"))
        qtbot.addWidget(page)
        page.show()
        page.county_panel.loader.wait()
        beats: list[float] = []
        timer = QtCore.QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: beats.append(time.perf_counter()))
        timer.start()
        page.import_paths(files)
        qtbot.waitUntil(lambda: page.last_job.done, timeout=120_000)
        qtbot.wait(50)
        page.county_panel.loader.wait(120_000)
        qtbot.wait(100)
        timer.stop()
        assert page.status_table.rowCount() == 3 and page.county_panel.payouts.rowCount() > 3
        gaps = [b - a for a, b in itertools.pairwise(beats)]
        assert len(beats) > 10 and max(gaps) < 0.2, f"longest GUI-thread stall {max(gaps):.3f} s"
    finally:
        for st in (c, *ts):
            st.close()
