"""Database lifecycle: create, migrate (after a backup), refuse newer or corrupt files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from gkdesk import backups, paths
from gkdesk.errors import DatabaseCorrupt, DatabaseTooNew
from gkdesk.hints import Hint
from gkdesk.models import Base
from gkdesk.models.base import include_object
from gkdesk.store import alembic_config, head_revision, make_engine, open_store, sqlite_url


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_new_database_has_every_table_and_pragmas(data_dir: Path) -> None:
    store = open_store(data_dir)
    tables = set(inspect(store.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with store.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (data_dir / paths.DB_FILENAME).exists()
    store.close()


def test_models_match_migrations(data_dir: Path) -> None:
    """Autogenerate against a migrated database finds nothing to add: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    store = open_store(data_dir)
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(ctx, Base.metadata)
    store.close()
    assert diff == []


@pytest.mark.parametrize("start", ["base", *[r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()][1:]])
def test_upgrade_from_every_earlier_revision_backs_up_first(data_dir: Path, start: str) -> None:
    db = data_dir / paths.DB_FILENAME
    engine = make_engine(sqlite_url(db))
    command.upgrade(alembic_config(engine), start) if start != "base" else engine.connect().close()
    engine.dispose()
    store = open_store(data_dir)
    with store.engine.connect() as c:
        assert c.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head_revision()
    store.close()
    if start != "base":
        assert any(b.reason == "before-migration" for b in backups.list_backups(data_dir))


def test_database_from_newer_gkdesk_is_refused_and_untouched(store, data_dir: Path) -> None:
    store.close()
    db = data_dir / paths.DB_FILENAME
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = sha(db)
    with pytest.raises(DatabaseTooNew) as exc:
        open_store(data_dir)
    assert "更新版本" in exc.value.message
    assert sha(db) == before
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0


def test_corrupt_database_is_reported_not_opened(store, data_dir: Path) -> None:
    store.close()
    db = data_dir / paths.DB_FILENAME
    raw = bytearray(db.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # smash the schema page
    db.write_bytes(bytes(raw))
    with pytest.raises(DatabaseCorrupt) as exc:
        open_store(data_dir)
    assert "损坏" in exc.value.message and exc.value.hint == Hint.RESTORE_BACKUP


def test_revision_line_read_without_alembic_matches_alembic() -> None:
    """open_store reads the migration line from the files' assignments; it must agree with Alembic."""
    from gkdesk.store import known_revisions

    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {r.revision for r in script.walk_revisions()}


def test_opening_a_current_database_needs_neither_alembic_nor_the_calendar_package(store, data_dir: Path) -> None:
    """Every CLI command opens the store: when nothing is to migrate or seed it must stay cheap."""
    import subprocess
    import sys

    store.close()
    code = ("import sys\nfrom gkdesk.store import open_store\n"
            f"s = open_store({str(data_dir)!r})\n"
            "from gkdesk.models.calendar import CalendarYear\n"
            "with s.session() as db:\n    n = db.query(CalendarYear).count()\n"
            "s.close()\n"
            "print(n, sorted(m for m in ('alembic', 'chinese_calendar') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 20 and out[1:] == ["[]"]


def test_calendar_is_seeded_again_when_the_package_data_changes(store) -> None:
    """The "already seeded" mark is tied to the installed package data, not set once forever."""
    from gkdesk import workdays
    from gkdesk.models.calendar import CalendarDay, CalendarYear
    from gkdesk.models.setting import Setting

    with store.session() as s:
        s.query(CalendarDay).filter(CalendarDay.year == 2025).delete()
        s.query(CalendarYear).filter(CalendarYear.year == 2025).delete()
        assert workdays.ensure_seeded(s) == []  # same package data: the mark short-cuts the check
        s.get(Setting, "calendar.seeded_from").value = "chinese_calendar:older"
        assert workdays.ensure_seeded(s) == [2025]
        assert workdays.ensure_seeded(s) == []
