"""A full disk and a write-protected medium under every writer: a Chinese message, exit 1 or 2,
nothing half-written, and the database as it was.

Real small filesystems: a tmpfs of a few MB is mounted (root only; otherwise these tests skip),
filled to the last few KB, or remounted read-only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.helpers import Zygote, copy_dir, count, gk_check, make_township, payout_list

DB = "gkdesk.sqlite3"
PROGRAM = ("--program", "耕地地力保护补贴", "--year", "2026")


def _mount(path: Path, size: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({res.stderr.strip() or 'not root'})")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    mnt = tmp_path / "mnt"
    _mount(mnt, "6m")
    yield mnt
    _umount(mnt)


def _fill(fs: Path, leave: int) -> Path:
    """Fill ``fs`` until only about ``leave`` bytes are free."""
    filler = fs / "filler.bin"
    st = os.statvfs(fs)
    free = st.f_bavail * st.f_frsize
    with open(filler, "wb") as f:
        remaining = max(0, free - leave)
        chunk = b"\0" * (1 << 20)
        while remaining > 0:
            n = f.write(chunk[: min(len(chunk), remaining)])
            remaining -= n
    return filler


def _gk(work: Path, *argv: str) -> tuple[int, str]:
    _, code, _, text = Zygote.get().run(tuple(argv), work / "cmd.log", None)
    return code, text


@pytest.fixture(scope="module")
def township_tpl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gkdesk.cli import main

    root = tmp_path_factory.mktemp("full-tpl")
    data = root / "township"
    make_township(data)
    assert main(["--data-dir", str(data), "payouts", "import", str(payout_list(root / "a.xlsx", 300)), *PROGRAM,
                 "--period", "第一批"]) == 0
    return data


def _batch(data: Path) -> str:
    import sqlite3

    con = sqlite3.connect(data / DB)
    try:
        return con.execute("SELECT id FROM payout_batch").fetchone()[0]
    finally:
        con.close()


def _clean_refusal(code: int, text: str) -> bool:
    return code in (1, 2) and "Traceback" not in text and ("磁盘空间已满" in text or "只读" in text
                                                          or "文件读写失败" in text)


# -- the data directory itself on a full disk ------------------------------------------------

DATA_WRITERS = {
    "villages add": lambda d, tmp: ("villages", "add", "新增村"),
    "backup create": lambda d, tmp: ("backup", "create", "--force"),
    "payouts import": lambda d, tmp: ("payouts", "import", str(tmp / "big.xlsx"), *PROGRAM, "--period", "第二批"),
    # 12,000 rows: stored while still being checked (gkdesk.payouts.writer), so the disk fills
    # inside the early writer's savepoint.
    "payouts import (stored early)": lambda d, tmp: ("payouts", "import", str(payout_list(tmp / "huge.xlsx", 12_000)),
                                                     *PROGRAM, "--period", "第二批"),
}


@pytest.mark.parametrize("writer", sorted(DATA_WRITERS))
@pytest.mark.parametrize("leave", [0, 48 * 1024, 400 * 1024])
def test_full_disk_under_the_data_directory(writer: str, leave: int, small_fs: Path, township_tpl: Path,
                                             tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    payout_list(tmp_path / "big.xlsx", 3000)
    data = copy_dir(township_tpl, small_fs / "data")
    before = (count(data / DB, "village"), count(data / DB, "payout"), len(list((data / "backups").iterdir())))
    filler = _fill(small_fs, leave)
    code, text = _gk(tmp_path, "--data-dir", str(data), *DATA_WRITERS[writer](data, tmp_path))
    leftovers = [p.name for p in data.rglob("*") if p.name.endswith((".tmp", ".partial")) or p.name.startswith(".tmp-")]
    filler.unlink()
    check, _ = gk_check(data)
    after = (count(data / DB, "village"), count(data / DB, "payout"), len(list((data / "backups").iterdir())))
    succeeded = code == 0
    ok = check == 0 and not leftovers and (succeeded or (_clean_refusal(code, text) and after[:2] == before[:2]))
    lost = max(0, before[0] - after[0]) + max(0, before[1] - after[1])
    tally.record(f"full disk {writer} (free {leave // 1024} KB)", ok, lost,
                 f"exit {code}, leftovers {leftovers}, counts {before}->{after}: {text[-300:]}")
    assert ok and lost == 0, text
    if leave == 0:
        assert not succeeded, "the disk was full: the writer cannot have succeeded"


# -- outputs written to a full or write-protected folder -------------------------------------

def _out_writers(data: Path, out: Path, tmp: Path) -> dict[str, tuple[str, ...]]:
    batch = _batch(data)
    return {
        "payouts export": ("payouts", "export", batch, "-o", str(out / "导出.xlsx")),
        "notice PDF": ("notice", "payouts", batch, "--mask", "id-partial", "-o", str(out / "公示.pdf")),
        "sync package": ("sync", "export", "-o", str(out)),
    }


@pytest.mark.parametrize("kind", ["full", "read-only"])
def test_every_output_writer_on_a_full_or_protected_folder(kind: str, small_fs: Path, township_tpl: Path,
                                                           tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    data = copy_dir(township_tpl, tmp_path / "data")
    _enrol_with_a_county(data, tmp_path)
    out = small_fs / "out"
    out.mkdir()
    if kind == "full":
        _fill(small_fs, 8 * 1024)
    else:
        subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    failures = []
    for name, argv in _out_writers(data, out, tmp_path).items():
        before = count(data / DB, "payout")
        code, text = _gk(tmp_path, "--data-dir", str(data), *argv)
        written = [p.name for p in out.rglob("*")]
        ok = _clean_refusal(code, text) and not written and count(data / DB, "payout") == before
        tally.record(f"{kind} output: {name}", ok, 0, f"exit {code}, files {written}: {text[-300:]}")
        if not ok:
            failures.append(f"{name}: exit {code}, files {written}: {text[-300:]}")
    if kind == "read-only":
        subprocess.run(["mount", "-o", "remount,rw", str(small_fs)], check=True)
    assert gk_check(data)[0] == 0
    assert not failures, "\n".join(failures)


def _enrol_with_a_county(data: Path, tmp: Path) -> None:
    """The township needs a trusted county before it can write a package."""
    from gkdesk.store import open_store
    from tests.sync.helpers import enrol, make_county

    t, c = open_store(data), make_county(tmp)
    enrol(t, c, tmp)
    t.close()
    c.close()


# -- a write-protected data directory --------------------------------------------------------

def test_write_protected_data_directory_is_read_only_not_damaged(small_fs: Path, township_tpl: Path,
                                                                  tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    data = copy_dir(township_tpl, small_fs / "data")
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    try:
        results = {argv[0]: _gk(tmp_path, "--data-dir", str(data), *argv)
                   for argv in (("villages", "list"), ("backup", "create"), ("villages", "add", "新村"))}
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_fs)], check=True)
    for name, (code, text) in results.items():
        ok = (code == 2 and "只读" in text and str(data) in text and "已损坏" not in text
              and "从备份恢复" not in text and "Traceback" not in text)
        tally.record(f"read-only data dir: {name}", ok, 0, f"exit {code}: {text[-300:]}")
        assert ok, text
    assert count(data / DB, "payout") == 300


def test_the_window_does_not_offer_to_replace_a_write_protected_database(
        small_fs: Path, township_tpl: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gkdesk.ui import app as ui_app
    from gkdesk.ui.qt import QtWidgets

    QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    data = copy_dir(township_tpl, small_fs / "data")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda *a, **k: pytest.fail("offered to replace a write-protected database"))
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    try:
        assert ui_app.open_store_interactive(data) is None
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_fs)], check=True)
    [(title, text)] = shown
    assert "只读" in text and "已损坏" not in title + text
    shutil.rmtree(data)
