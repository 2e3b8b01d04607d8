"""A process killed in the middle of writing leaves a sound database with the last commit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from gkdesk.store import check_sqlite_file, open_store

WRITER = r"""
import sys
from gkdesk.store import open_store
from gkdesk import township
store = open_store(sys.argv[1])
with store.session() as s:
    township.init_installation(s, "高桥镇", "511702101", "通川区")
n = 0
while True:
    n += 1
    with store.session() as s:
        # several statements per transaction, so a kill can land mid-transaction
        for k in range(20):
            township.add_village(s, f"村{n:05d}-{k:02d}", 3)
    print(n, flush=True)
"""


def test_sigkill_mid_write_keeps_last_committed_state(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(data)], stdout=subprocess.PIPE, text=True)
    committed = 0
    deadline = time.time() + 60
    assert proc.stdout is not None
    while committed < 15 and time.time() < deadline:
        line = proc.stdout.readline()
        if line:
            committed = int(line)
    time.sleep(0.05)  # let it get into the next transaction
    os.kill(proc.pid, signal.SIGKILL)
    rest = proc.stdout.read()
    proc.wait()
    last_reported = max([committed, *[int(x) for x in rest.split()]])
    assert last_reported >= 15

    db = data / "gkdesk.sqlite3"
    assert check_sqlite_file(db, full=True) == []
    store = open_store(data)
    with store.engine.connect() as c:
        villages = c.exec_driver_sql("SELECT count(*) FROM village").scalar()
        groups = c.exec_driver_sql("SELECT count(*) FROM village_group").scalar()
    store.close()
    # whole transactions only: every village has its 3 groups, 20 villages per commit
    assert villages % 20 == 0 and groups == villages * 3
    # everything reported as committed survived; at most the one in flight after the last report
    assert last_reported * 20 <= villages <= (last_reported + 1) * 20
