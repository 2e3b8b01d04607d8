"""Owner-only data: the directory 0700, every file in it 0600, from creation on; temp files a
killed run left are cleaned at start (but never another live process's); fsync on a write handle."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from gkdesk import backups, fileio, paths, privacy
from gkdesk.store import open_store
from tests.conftest import run_gkdesk
from tests.store_lock_helpers import Holder

posix_only = pytest.mark.skipif(os.name != "posix", reason="Windows: the profile ACL protects the data")


def _loose(root: Path) -> list[str]:
    """Everything under ``root`` that a group or other user could read or enter."""
    bad = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            p = Path(dirpath) / name
            if stat.S_IMODE(p.lstat().st_mode) & 0o077:
                bad.append(f"{p.relative_to(root)} {stat.S_IMODE(p.lstat().st_mode):o}")
    return bad


@posix_only
def test_demo_data_directory_is_owner_only_throughout(tmp_path: Path) -> None:
    """The demo's database (once 0644 for good), its photos, backups and the lock info."""
    data = tmp_path / "demo"
    assert run_gkdesk("demo", data_dir=data).code == 0
    assert run_gkdesk("backup", "create", "--force", data_dir=data).code == 0
    out = data / paths.OUTPUT_DIRNAME / "村级公开.pdf"
    res = run_gkdesk("notice", "table", str(_table(tmp_path)), "--title", "测试公示", "-o", str(out), data_dir=data)
    assert res.code == 0, res.err
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert list(data.rglob("*.sqlite3")) and out.exists()
    assert _loose(data) == []


def _table(tmp_path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "金额"])
    wb.active.append(["张三", 100])
    p = tmp_path / "表.xlsx"
    wb.save(p)
    return p


@posix_only
def test_files_an_older_gkdesk_left_readable_are_tightened_on_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    backups.create_backup(data, force=True)
    os.chmod(data, 0o755)
    os.chmod(data / paths.DB_FILENAME, 0o644)
    store = open_store(data)
    try:
        with store.session() as s:
            s.connection().exec_driver_sql("CREATE TABLE IF NOT EXISTS x (a)")  # -wal and -shm exist now
        for f in (data / paths.DB_FILENAME, Path(f"{data / paths.DB_FILENAME}-wal"), Path(f"{data / paths.DB_FILENAME}-shm")):
            assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        info = backups.create_backup(data, force=True)
        assert info is not None and stat.S_IMODE(info.path.stat().st_mode) == 0o600
    finally:
        store.close()


def _debris(data: Path) -> list[Path]:
    files = [data / "backups" / "gkdesk-20261206-101010-000000-manual.tmp",
             data / (paths.DB_FILENAME + ".restore-tmp"),
             data / "outputs" / ".tmp-ab12cd.pdf",
             data / "outbox" / "高桥镇-000003.gkpkg.partial",
             data / "attachments" / "x" / "photo.jpg.partial",
             data / "keys" / "identity.json.tmp"]
    for f in files:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_bytes(b"\0" * 1024)
    return files


def test_temp_files_of_a_killed_run_are_cleaned_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    debris = _debris(data)
    keep = data / "outputs" / "公示.pdf"
    keep.write_bytes(b"%PDF")
    open_store(data).close()
    assert [f for f in debris if f.exists()] == []
    assert keep.exists() and (data / paths.DB_FILENAME).exists()


def test_another_live_process_temp_files_are_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    open_store(data).close()
    win = Holder(data, "window")
    try:
        debris = _debris(data)  # could be that window's writes in progress
        open_store(data).close()
        assert all(f.exists() for f in debris)
    finally:
        win.stop()


def test_fsync_is_called_on_a_descriptor_opened_for_writing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows' FlushFileBuffers refuses a read-only handle: every backup and atomic write failed
    there. On Linux fsync accepts any descriptor, so record the flags and assert on them."""
    flags_of: dict[int, int] = {}
    synced: list[int] = []
    real_open, real_fsync = os.open, os.fsync

    def rec_open(path, flags, *args, **kw):  # type: ignore[no-untyped-def]
        fd = real_open(path, flags, *args, **kw)
        if not os.path.isdir(path):
            flags_of[fd] = flags
        return fd

    def rec_fsync(fd):  # type: ignore[no-untyped-def]
        if fd in flags_of:
            synced.append(flags_of[fd])
        return real_fsync(fd)

    monkeypatch.setattr(os, "open", rec_open)
    monkeypatch.setattr(os, "fsync", rec_fsync)
    data = tmp_path / "data"
    open_store(data).close()
    assert backups.create_backup(data, force=True) is not None
    fileio.write_bytes(tmp_path / "out" / "a.pdf", b"%PDF-1.4")
    assert len(synced) >= 2
    for flags in synced:
        assert flags & (os.O_WRONLY | os.O_RDWR), f"fsync on a descriptor opened with flags {flags:#o}"


def test_windows_is_left_to_the_profile_acl(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(privacy, "_POSIX", False)
    f = tmp_path / "f"
    f.write_text("x")
    os.chmod(f, 0o644)
    privacy.make_private_file(f)
    privacy.make_private_dir(tmp_path / "d")
    assert stat.S_IMODE(f.stat().st_mode) == 0o644 and (tmp_path / "d").is_dir()
    assert privacy.__doc__ is not None and "ACL" in privacy.__doc__
