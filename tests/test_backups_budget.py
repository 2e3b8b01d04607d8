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
