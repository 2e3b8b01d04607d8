"""State and receipt in one step (issue 12 item 7): a county that cannot write the receipt says
so (never "数据库未做改动" after committing); a rerun writes the receipt; one package imported by
two processes at the same moment is applied once, with one receipt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gkdesk import sync
from gkdesk.models import SyncPackage

from .helpers import self_id, township_rows


def _count(store, **where) -> int:
    with store.session() as s:
        q = select(func.count()).select_from(SyncPackage)
        for k, v in where.items():
            q = q.where(getattr(SyncPackage, k) == v)
        return int(s.scalar(q) or 0)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder the user cannot write")
def test_read_only_receipts_folder(pair, tmp_path):
    pkg = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        [rep] = sync.import_files(pair.county, pkg, "县级", receipts_dir=ro)
    finally:
        ro.chmod(0o700)
    assert rep.status == "applied" and rep.receipt_error and "未做改动" not in rep.describe()


def test_receipt_that_cannot_be_written_is_kept_and_written_on_rerun(pair, tmp_path):
    pkg = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the receipts folder should be")
    [rep] = sync.import_files(pair.county, pkg, "县级", receipts_dir=blocked)
    assert rep.status == "applied" and not rep.receipt_files
    line = rep.describe()
    assert "数据已导入并保存" in line and "回执" in line and "未做改动" not in line
    assert township_rows(pair.county, self_id(pair.township))["village"]  # the data is in
    # the rerun (folder fixed) writes the very receipt that was committed with the state
    good = tmp_path / "receipts"
    [again] = sync.import_files(pair.county, pkg, "县级", receipts_dir=good)
    assert again.status == "duplicate" and len(again.receipt_files) == 1
    [r] = sync.import_files(pair.township, [Path(again.receipt_files[0])], "乡镇")
    assert r.status == "applied" and r.totals["acked_seq"] == 1
    # a third run: the receipt is there, nothing more is written
    [third] = sync.import_files(pair.county, pkg, "县级", receipts_dir=good)
    assert third.status == "duplicate" and not third.receipt_files
    assert _count(pair.county, direction="out", kind="receipt") == 1


def test_killed_after_commit_before_the_receipt_file(pair, tmp_path):
    """A kill between the commit and the file leaves the receipt only in the database (the same
    as deleting the file afterwards): the rerun produces it."""
    pkg = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files
    [rep] = sync.import_files(pair.county, pkg, "县级", receipts_dir=tmp_path / "r")
    Path(rep.receipt_files[0]).unlink()
    [again] = sync.import_files(pair.county, pkg, "县级", receipts_dir=tmp_path / "r")
    assert again.status == "duplicate" and [Path(f).name for f in again.receipt_files] == \
        [Path(f).name for f in rep.receipt_files]


_RACE = """
import sys, time
from pathlib import Path
from gkdesk.store import open_store
from gkdesk import sync
store = open_store(Path(sys.argv[1]))
start = float(sys.argv[3])
while time.time() < start:
    time.sleep(0.005)
[rep] = sync.import_files(store, [Path(sys.argv[2])], "县级", receipts_dir=Path(sys.argv[4]))
print(rep.status)
"""


def test_two_processes_import_one_package_at_the_same_moment(pair, tmp_path):
    import time

    [pkg] = sync.export_data(pair.township, tmp_path / "usb", "乡镇").files
    pair.county.close()
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    start = str(time.time() + 3)
    procs = [subprocess.Popen([sys.executable, "-c", _RACE, str(pair.county.data_dir), str(pkg), start,
                               str(tmp_path / f"r{i}")], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for i in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    statuses = sorted(o[0].strip() for o in outs)
    assert statuses in (["applied", "duplicate"], ["applied", "refused"]), outs
    assert all("Traceback" not in o[1] for o in outs), outs
    assert statuses.count("applied") == 1, outs  # never twice
    assert _count(pair.county, direction="in", kind="data") == 1
    assert _count(pair.county, direction="out", kind="receipt") == 1
