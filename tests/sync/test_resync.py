"""A township restored from an old backup: the county refuses its packages as replays and says
what to do; `sync export --resync` sends everything once, the county takes it and the sequence
carries on from there; old packages and the resync itself cannot be replayed afterwards."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from gkdesk import backups, sync, township
from gkdesk.cli import main as cli_main
from gkdesk.hints import Hint
from gkdesk.models import SyncPeer
from gkdesk.store import open_store

from .helpers import db_fingerprint, self_id, township_rows


def _up(t, c, tmp_path, **kw):
    res = sync.export_data(t, tmp_path / "usb", "乡镇", **kw)
    return res, sync.import_files(c, res.files, "县级")


def test_restored_township_resyncs_once(pair, tmp_path, capsys):
    t, c = pair.township, pair.county
    _, [r1] = _up(t, c, tmp_path)
    sync.import_files(t, [Path(r1.receipt_files[0])], "乡镇")
    info = backups.create_backup(t.data_dir, reason="manual", force=True)
    with t.session() as s:
        township.add_village(s, "新华社区", 2, "乡镇")
    _, [r2] = _up(t, c, tmp_path)
    old3, [r3] = _up(t, c, tmp_path)
    assert (r2.status, r3.status) == ("applied", "applied")
    # the disk fails; the clerk restores last month's backup and carries on working
    t.close()
    backups.restore_backup(t.data_dir, info)
    t = open_store(t.data_dir)
    with t.session() as s:
        township.add_village(s, "石板村", 1, "乡镇")
    before = db_fingerprint(c)
    _, [refused] = _up(t, c, tmp_path)
    assert refused.status == "refused" and refused.hint == Hint.RESYNC and "--" not in refused.reason
    assert refused.to_dict()["hint"] == "resync"
    assert db_fingerprint(c) == before
    # the clear path: a resync package (through the CLI, as the clerk would)
    usb = tmp_path / "usb2"
    t.close()
    assert cli_main(["--data-dir", str(t.data_dir), "sync", "export", "-o", str(usb), "--resync"]) == 0
    assert "重新同步包" in capsys.readouterr().out
    [pkg] = list(usb.glob("*resync*.gkpkg"))
    t = open_store(t.data_dir)
    [rs] = sync.import_files(c, [pkg], "县级")
    assert rs.status == "applied" and rs.resync and "重新同步包" in rs.describe(), rs.reason
    tid = self_id(t)
    held = {v["name"] for v in township_rows(c, tid)["village"]}
    assert {v["name"] for v in township_rows(t, tid)["village"]} == {"高桥村", "柳树村", "石板村"}
    assert held == {"高桥村", "柳树村", "新华社区", "石板村"}  # the county loses nothing the backup lacked
    [rr] = sync.import_files(t, [Path(rs.receipt_files[0])], "乡镇")
    assert rr.status == "applied"
    # the sequence carries on from the resync
    with t.session() as s:
        township.add_village(s, "河口村", 1, "乡镇")
    _, [nxt] = _up(t, c, tmp_path)
    assert nxt.status == "applied" and nxt.seq == rs.seq + 1
    with c.session() as s:
        assert s.scalar(select(SyncPeer.last_seq_in).where(SyncPeer.code == "511702101")) == nxt.seq
    # replays: the resync itself is a duplicate; a package made before the restore is refused
    before = db_fingerprint(c)
    [again] = sync.import_files(c, [pkg], "县级")
    assert again.status == "duplicate"
    [stale] = sync.import_files(c, old3.files, "县级")
    assert stale.status == "duplicate"  # already applied by id
    assert db_fingerprint(c) == before


def test_an_old_resync_package_replayed_is_harmless(pair, tmp_path):
    """An old resync that turns up later changes no data and lowers no counter (it used to be
    refused by its clock time, which let a resync made with a clock ahead lock a township out);
    imported a second time, it is a duplicate."""
    t, c = pair.township, pair.county
    _, [a] = _up(t, c, tmp_path)
    old = sync.export_data(t, tmp_path / "old", "乡镇", resync=True)
    _, [b] = _up(t, c, tmp_path)
    assert (a.status, b.status) == ("applied", "applied")
    tid = self_id(t)
    rows_before = township_rows(c, tid)
    [r] = sync.import_files(c, old.files, "县级")
    assert r.status == "applied" and r.totals["new"] == r.totals["updated"] == 0
    assert township_rows(c, tid) == rows_before
    [again] = sync.import_files(c, old.files, "县级")
    assert again.status == "duplicate"
    _, [nxt] = _up(t, c, tmp_path)  # the township's next package still goes in
    assert nxt.status == "applied"
