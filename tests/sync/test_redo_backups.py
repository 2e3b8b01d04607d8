"""Backups proportional to change at a county: one full copy a day, then the packages.

Three townships' sticks imported one run each on the same day: one database copy, two
redo entries holding just the packages. Restoring to "before the third import" gives the
county exactly the first two townships' data; the third package then imports again.
"""

from __future__ import annotations

from sqlalchemy import func, select

from gkdesk import backups, redo, sync
from gkdesk.app import backups as backup_ops
from gkdesk.app import sync as sync_ops
from gkdesk.app.workspace import Workspace
from gkdesk.models import SyncPeer, Village

from .helpers import enrol, make_county, make_township


def _villages_by_township(store) -> dict[str, int]:
    with store.session() as s:
        peers = {p.township_id: p.name for p in s.scalars(select(SyncPeer))}
        rows = s.execute(select(Village.township_id, func.count()).where(Village.deleted_at.is_(None))
                         .group_by(Village.township_id)).all()
    return {peers[t]: n for t, n in rows if t in peers}


def test_day_backup_plus_packages_restores_before_any_import(tmp_path):
    c = make_county(tmp_path)
    ts = [make_township(tmp_path, f"t{i}", name=f"测试{i}镇", code=f"51170210{i}",
                        villages=((f"{i}号村", 2), (f"{i}号二村", 1))) for i in (1, 2, 3)]
    for t in ts:
        enrol(t, c, tmp_path)
    pkgs = [sync.export_data(t, tmp_path / f"usb{i}", "乡镇").files for i, t in enumerate(ts)]
    ws = Workspace(c, "县级")
    before = {b.path.name for b in backups.list_backups(c.data_dir)}
    for files in pkgs:
        res = sync_ops.import_packages(ws, files, receipts_dir=tmp_path / "receipts")
        assert [r.status for r in res.packages] == ["applied"], [r.reason for r in res.packages]
    made = [b for b in backups.list_backups(c.data_dir) if b.path.name not in before]
    assert [b.reason for b in made] == ["before-sync"]  # one copy of the database for three imports
    entries = redo.entries(c.data_dir)
    assert len(entries) == 3 and all(e.anchor == made[0].path.name for e in entries)
    kept = sum(f.stat().st_size for e in entries for f in e.folder.iterdir())
    assert kept < made[0].size  # the packages, not another copy of the database
    assert set(_villages_by_township(c)) == {"测试1镇", "测试2镇", "测试3镇"}

    third = entries[-1]
    done = backup_ops.restore_before_import(ws, third.id)
    assert done.replayed == 2 and done.applied == 2
    assert _villages_by_township(c) == {"测试1镇": 2, "测试2镇": 2}
    again = sync_ops.import_packages(ws, pkgs[2], receipts_dir=tmp_path / "receipts")
    assert [r.status for r in again.packages] == ["applied"]
    assert set(_villages_by_township(c)) == {"测试1镇", "测试2镇", "测试3镇"}
    ws.close()
    for t in ts:
        t.close()


def test_listing_imports_from_the_cli(tmp_path, capsys):
    import json

    from gkdesk.cli import main as cli_main

    c = make_county(tmp_path)
    ts = [make_township(tmp_path, f"t{i}", name=f"测试{i}镇", code=f"51170210{i}") for i in (1, 2)]
    for t in ts:
        enrol(t, c, tmp_path)
    ws = Workspace(c, "县级")
    for i, t in enumerate(ts):
        sync_ops.import_packages(ws, sync.export_data(t, tmp_path / f"u{i}", "乡镇").files,
                                 receipts_dir=tmp_path / "r")
    ws.close()
    code = cli_main(["--data-dir", str(c.data_dir), "backup", "imports", "--json"])
    listed = json.loads(capsys.readouterr().out)["imports"]
    assert code == 0 and len(listed) == 2 and listed[0]["files"][0].endswith(".gkpkg")
    for t in ts:
        t.close()
