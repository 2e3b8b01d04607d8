"""Full copies are bounded by size as well as by date: a county's backups stay near 2× its database.

Sparse files stand in for gigabytes (their size is what the policy reads); names carry the
dates as the real backups' names do.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from gkdesk import backups, paths


def _sparse(path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        f.truncate(size)


def _copy(data_dir, when: datetime, size: int, reason: str = "before-sync"):  # type: ignore[no-untyped-def]
    p = backups.backup_dir(data_dir) / f"gkdesk-{when:%Y%m%d-%H%M%S-%f}-{reason}.sqlite3"
    _sparse(p, size)
    return p


GB = 2**30


def test_big_county_keeps_today_and_one_earlier_copy(tmp_path):
    now = datetime(2026, 12, 6, 18, 0)
    _sparse(tmp_path / paths.DB_FILENAME, 5 * GB)
    dated = [_copy(tmp_path, now - timedelta(days=d, hours=1), 5 * GB) for d in range(0, 20)]
    backups.thin_backups(tmp_path, now=now)
    left = backups.list_backups(tmp_path)
    assert [b.path for b in left] == dated[:2]  # today's anchor and yesterday's
    assert sum(b.size for b in left) <= 2 * 5 * GB


def test_small_township_keeps_days_of_history_within_the_floor(tmp_path):
    now = datetime(2026, 12, 6, 18, 0)
    mb28 = 28 * 2**20
    _sparse(tmp_path / paths.DB_FILENAME, mb28)
    for d in range(0, 20):
        _copy(tmp_path, now - timedelta(days=d, hours=1), mb28)
    backups.thin_backups(tmp_path, now=now)
    left = backups.list_backups(tmp_path)
    assert len(left) == backups.BUDGET_FLOOR // mb28  # nine days back, not one
    assert sum(b.size for b in left) <= backups.BUDGET_FLOOR


def test_the_last_day_is_never_cut_by_the_budget(tmp_path):
    now = datetime(2026, 12, 6, 18, 0)
    _sparse(tmp_path / paths.DB_FILENAME, 1 * GB)
    today = [_copy(tmp_path, now - timedelta(hours=h), GB, "manual") for h in (1, 2, 3)]
    older = _copy(tmp_path, now - timedelta(days=2), GB)
    backups.thin_backups(tmp_path, now=now)
    left = [b.path for b in backups.list_backups(tmp_path)]
    assert left == [*today, older]  # over budget, but the day's copies and the newest older one stay


def test_disk_use_is_what_the_backup_folder_really_holds(cli, data_dir, qtbot):
    """`backup list` and the 备份 page say how much the backups take, counted from the files."""
    from gkdesk.store import open_store
    from gkdesk.ui.context import UiContext
    from gkdesk.ui.pages.backups import BackupsPage

    assert cli("init", "--township", "高桥镇", "--code", "511702101", "--county", "通川区").code == 0
    assert cli("villages", "add", "高桥村").code == 0
    assert cli("backup", "create", "--force").code == 0
    assert cli("villages", "add", "柳树村").code == 0
    assert cli("backup", "create", "--force").code == 0
    res = cli("--json", "backup", "list")
    assert res.code == 0, res.err
    use = res.json["disk_use"]
    on_disk = sum(p.stat().st_size for p in backups.backup_dir(data_dir).rglob("*") if p.is_file())
    assert use["copy_count"] == len(res.json["backups"]) >= 2
    assert use["total"] == on_disk and use["database"] > 0
    assert use["budget"] == max(backups.BUDGET_FACTOR * (data_dir / paths.DB_FILENAME).stat().st_size,
                                backups.BUDGET_FLOOR)
    text = cli("backup", "list").out
    assert f"完整备份 {use['copy_count']} 份" in text
    store = open_store(data_dir)
    try:
        page = BackupsPage(UiContext(store, "测试员"))
        qtbot.addWidget(page)
        page.refresh()
        shown = page.use_label.text()
        assert shown.startswith("备份共占用") and f"完整备份 {use['copy_count']} 份" in shown
    finally:
        store.close()
