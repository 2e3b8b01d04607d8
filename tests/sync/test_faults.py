"""A county import killed with SIGKILL half-way leaves the database as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from gkdesk import sync
from gkdesk.store import open_store

from .helpers import db_fingerprint, self_id, township_rows

KILLABLE = textwrap.dedent("""
    import sys, time
    import gkdesk.sync.importer as importer
    from gkdesk import sync
    from gkdesk.store import open_store

    real = importer.apply_table

    def apply_then_hang(*args, **kwargs):
        out = real(*args, **kwargs)           # the first table really is written …
        open(sys.argv[3], "w").close()        # … tell the test, then wait to be killed
        time.sleep(60)
        return out

    importer.apply_table = apply_then_hang
    store = open_store(sys.argv[1])
    sync.import_files(store, [sys.argv[2]], "县级")
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_during_county_import_leaves_database_as_before(pair, tmp_path):
    pkg = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files[0]
    county_dir = pair.county.data_dir
    before = db_fingerprint(pair.county)
    pair.county.close()
    flag = tmp_path / "applied-one-table"
    script = tmp_path / "killable.py"
    script.write_text(KILLABLE, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script), str(county_dir), str(pkg), str(flag)])
    try:
        deadline = time.monotonic() + 30
        while not flag.exists():
            assert proc.poll() is None, "import finished or crashed before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    county = open_store(county_dir)
    try:
        assert db_fingerprint(county) == before
        [rep] = sync.import_files(county, [pkg], "县级")  # and the same package applies cleanly now
        assert rep.status == "applied", rep.reason
        tid = self_id(pair.township)
        assert township_rows(county, tid) == township_rows(pair.township, tid)
    finally:
        county.close()
