"""Opening a data directory that is not simply healthy: say what it is, never replace it silently."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gkdesk import backups, paths
from gkdesk.errors import DatabaseCorrupt
from gkdesk.store import check_sqlite_file, open_store


def test_a_hot_journal_is_rolled_back_not_called_damage(tmp_path: Path) -> None:
    """Found by the fault suite: a process killed mid-transaction in rollback-journal mode left
    ``-journal``; the read-only check said "attempt to write a readonly database" and the file was
    reported as damaged (the window then offered to replace it with a backup)."""
    db = tmp_path / "x.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (a)")
    con.execute("INSERT INTO t VALUES (1)")
    con.commit()
    con.close()
    p = subprocess.Popen([sys.executable, "-c", f"""
import sqlite3, time
con = sqlite3.connect({str(db)!r}); con.execute("PRAGMA cache_size=1"); con.execute("BEGIN")
for i in range(20000): con.execute("INSERT INTO t VALUES (randomblob(500))")
print("mid-transaction", flush=True); time.sleep(60)
"""], stdout=subprocess.PIPE)
    assert p.stdout is not None and p.stdout.readline()
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    assert Path(f"{db}-journal").exists()
    assert check_sqlite_file(db) == []
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 1  # the uncommitted rows are gone
    con.close()


def test_an_empty_database_file_is_reported_not_replaced(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    assert backups.create_backup(data, force=True) is not None
    (data / paths.DB_FILENAME).write_bytes(b"")
    with pytest.raises(DatabaseCorrupt) as exc:
        open_store(data)
    assert "0 字节" in exc.value.message
    assert (data / paths.DB_FILENAME).stat().st_size == 0  # left as found, for whoever looks at it


def test_an_empty_database_file_via_the_cli(tmp_path: Path) -> None:
    from tests.conftest import run_gkdesk

    data = tmp_path / "data"
    data.mkdir()
    (data / paths.DB_FILENAME).write_bytes(b"")
    res = run_gkdesk("villages", "list", data_dir=data)
    assert res.code == 2 and "0 字节" in res.err and "Traceback" not in res.err
    assert (data / paths.DB_FILENAME).stat().st_size == 0


def test_restoring_a_backup_from_before_keys_reset_warns(tmp_path: Path) -> None:
    from gkdesk.app import Workspace, setup
    from gkdesk.app import backups as ops
    from gkdesk.app import sync as sync_ops

    data = tmp_path / "data"
    ws = Workspace.open(data, operator="测试员")
    setup.initialise(ws, "高桥镇", "511702101", "通川区")
    old = backups.create_backup(data, force=True)
    assert old is not None
    sync_ops.reset_keys(ws)
    res = ops.restore(ws, old.path.name)
    assert res.old_keys and "旧密钥" in res.summary()
    newer = backups.create_backup(data, force=True)
    assert newer is not None
    assert not ops.restore(ws, newer.path.name).old_keys
    ws.close()

