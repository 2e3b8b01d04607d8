"""Backups: create, skip when unchanged, thin, restore through a checked temp copy."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from gkdesk import backups, paths, township
from gkdesk.errors import InputRejected
from gkdesk.store import open_store


def village_names(data_dir: Path) -> list[str]:
    s = open_store(data_dir)
    with s.session() as ses:
        names = [v.name for v in township.villages(ses)]
    s.close()
    return names


def test_backup_damage_restore_gives_identical_content(store, data_dir: Path) -> None:
    info = backups.create_backup(data_dir, "manual")
    assert info is not None and info.path.exists()
    before = village_names(data_dir)
    # a change after the backup, then the file is damaged
    with store.session() as s:
        township.add_village(s, "后加村", 1, "测试员")
    store.close()
    db = data_dir / paths.DB_FILENAME
    raw = bytearray(db.read_bytes())
    raw[100:8192] = b"\0" * (8192 - 100)
    db.write_bytes(bytes(raw))
    (data_dir / (paths.DB_FILENAME + "-wal")).unlink(missing_ok=True)
    good = backups.newest_good_backup(data_dir)
    assert good is not None and good.path == info.path
    safety = backups.restore_backup(data_dir, good)
    assert safety is None  # the damaged file could not be backed up normally…
    assert any(b.reason == "corrupt" for b in backups.list_backups(data_dir))  # …so it is kept aside
    assert village_names(data_dir) == before == ["高桥村", "柳树村", "新华社区"]


def test_unchanged_database_is_not_backed_up_twice(store, data_dir: Path) -> None:
    assert backups.create_backup(data_dir, "manual") is not None
    assert backups.create_backup(data_dir, "on-close") is None
    with store.session() as s:
        township.add_village(s, "新村", 0, "测试员")
    assert backups.create_backup(data_dir, "on-close") is not None
    assert len(backups.list_backups(data_dir)) == 2


def test_a_database_that_grew_is_backed_up_without_reading_both_copies_through(
        store, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert backups.create_backup(data_dir, "manual") is not None
    with store.session() as s:
        for i in range(300):  # pages more: a different size
            township.add_village(s, f"新村{i:03d}", 0, "测试员")
    hashed: list[Path] = []
    real = backups.content_hash
    monkeypatch.setattr(backups, "content_hash", lambda p: hashed.append(p) or real(p))
    made = backups.create_backup(data_dir, "before-import")
    assert made is not None and hashed == []
    assert [b.reason for b in backups.list_backups(data_dir)] == ["before-import", "manual"]


def test_restore_makes_safety_backup_of_current_data(store, data_dir: Path) -> None:
    first = backups.create_backup(data_dir, "manual")
    with store.session() as s:
        township.add_village(s, "恢复前村", 0, "测试员")
    store.close()
    safety = backups.restore_backup(data_dir, first)
    assert safety is not None and safety.reason == "before-restore"
    assert "恢复前村" not in village_names(data_dir)
    backups.restore_backup(data_dir, safety)
    assert "恢复前村" in village_names(data_dir)


def test_corrupt_backup_is_refused_and_live_file_untouched(store, data_dir: Path) -> None:
    info = backups.create_backup(data_dir, "manual")
    raw = bytearray(info.path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    info.path.write_bytes(bytes(raw))
    store.close()
    with pytest.raises(InputRejected, match="完整性检查"):
        backups.restore_backup(data_dir, info)
    assert village_names(data_dir) == ["高桥村", "柳树村", "新华社区"]


def test_thinning_keeps_today_then_daily_weekly_monthly(data_dir: Path) -> None:
    bdir = backups.backup_dir(data_dir)
    now = datetime(2026, 11, 22, 12, 0, 0)
    stamps = [now - timedelta(hours=h) for h in range(0, 20, 2)]  # 10 from today
    stamps += [now - timedelta(days=d, hours=h) for d in range(1, 400) for h in (1, 5)]  # two per day for a year+
    for t in stamps:
        (bdir / f"gkdesk-{t:%Y%m%d-%H%M%S-%f}-manual.sqlite3").write_bytes(b"x")
    backups.thin_backups(data_dir, now=now)
    kept = backups.list_backups(data_dir)
    recent = [b for b in kept if now - b.created < timedelta(days=1)]
    assert len(recent) == 10
    older = [b for b in kept if now - b.created >= timedelta(days=1)]
    assert len({b.created.date() for b in older}) == len(older)  # at most one per day
    daily, rest = older[: backups.KEEP_DAILY], older[backups.KEEP_DAILY:]
    assert [b.created.date() for b in daily] == [(now - timedelta(days=d)).date() for d in range(1, 15)]
    weekly, monthly = rest[: backups.KEEP_WEEKLY], rest[backups.KEEP_WEEKLY:]
    assert len({b.created.isocalendar()[:2] for b in weekly}) == backups.KEEP_WEEKLY
    assert len({(b.created.year, b.created.month) for b in monthly}) == len(monthly)
    # the monthly ones reach back to the oldest month there is data for (October 2025)
    assert (monthly[-1].created.year, monthly[-1].created.month) == (2025, 10)
    assert len(monthly) <= backups.KEEP_MONTHLY


def test_cli_backup_commands(cli, store, data_dir: Path) -> None:
    store.close()
    r = cli("--json", "backup", "create")
    assert r.code == 0 and r.json["status"] == "created"
    assert cli("--json", "backup", "create").json["status"] == "unchanged"
    listed = cli("--json", "backup", "list").json["backups"]
    assert len(listed) == 1 and listed[0]["reason"] == "manual"
    r = cli("--json", "backup", "restore", "1")
    assert r.code == 0 and r.json["status"] == "restored"
    assert cli("backup", "restore", "no-such-file").code == 1
