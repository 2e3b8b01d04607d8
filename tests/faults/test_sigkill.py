"""SIGKILL at seeded random points of the clerk's writing commands, then ``gkdesk check`` and counts.

Each command runs for real in a child process on a fresh copy of a prepared data directory
and is killed somewhere inside its work. Afterwards the database must pass its integrity
check and ``check``, hold either the whole change or none of it, and have lost nothing that
was committed before; files it wrote are whole or absent, and its temporary files are gone
once the directory is opened again.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.faults.helpers import (
    copy_dir,
    count,
    gk_check,
    integrity,
    kill_trials,
    make_township,
    payout_list,
    run_timed,
    traceback_free,
    trials,
)

pytestmark = pytest.mark.skipif(__import__("os").name != "posix", reason="SIGKILL is POSIX")

DB = "gkdesk.sqlite3"
PROGRAM = ("--program", "耕地地力保护补贴", "--year", "2026")


def _import(data: Path, lst: Path, period: str) -> None:
    from gkdesk.cli import main

    assert main(["--data-dir", str(data), "payouts", "import", str(lst), *PROGRAM, "--period", period]) == 0


def _temps(data: Path) -> list[Path]:
    from gkdesk.privacy import is_temp_name

    return [p for p in data.rglob("*") if p.is_file() and is_temp_name(p.name)]


def _sound(data: Path) -> tuple[bool, str]:
    code, text = gk_check(data)
    if code != 0:
        return False, f"check exit {code}: {text[-200:]}"
    if integrity(data / DB) != "ok":
        return False, "integrity"
    if _temps(data):
        return False, f"temp files left: {[p.name for p in _temps(data)]}"
    return True, ""


@pytest.fixture(scope="module")
def township_tpl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """高桥镇, six villages, one stored batch of 300 payouts."""
    root = tmp_path_factory.mktemp("faults-tpl")
    data = root / "township"
    make_township(data)
    _import(data, payout_list(root / "base.xlsx", 300), "第一批")
    return data


@pytest.mark.parametrize("rows", [1500, 12_000], ids=["checked-then-stored", "stored-while-checked"])
def test_sigkill_payout_import(rows: int, township_tpl: Path, tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    """12,000 rows are stored by a helper thread while the list is still being checked
    (gkdesk.payouts.writer): a kill then finds rows in an uncommitted savepoint."""
    lst = payout_list(tmp_path / "清册.xlsx", rows)

    def argv(d: Path) -> tuple[str, ...]:
        return ("--data-dir", str(d), "payouts", "import", str(lst), *PROGRAM, "--period", "第二批")

    ref = copy_dir(township_tpl, tmp_path / "ref")
    dur, code, _, err = run_timed(*argv(ref))
    assert code == 0, err
    base, full = count(township_tpl / DB, "payout"), count(ref / DB, "payout")
    for t in kill_trials("payout-import", township_tpl, tmp_path, argv, dur, trials()):
        ok, why = _sound(t.data)
        n = count(t.data / DB, "payout")
        batches = count(t.data / DB, "payout_batch")
        whole = (n, batches) in ((base, 1), (full, 2))
        lost = max(0, base - n) + (full - n if not t.killed and t.code == 0 and n != full else 0)
        tally.record(f"payout import ({rows} rows) #{t.index}", ok and whole and traceback_free(t.err), lost,
                     why or f"{n} payouts in {batches} batches")
    assert not [f for f in tally.failures if f.startswith("payout import")]


def test_sigkill_backup_create(township_tpl: Path, tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    from gkdesk.backups import list_backups, verify_backup

    tpl = copy_dir(township_tpl, tmp_path / "tpl")
    _import(tpl, payout_list(tmp_path / "more.xlsx", 2500), "第二批")  # a few MB to copy

    def argv(d: Path) -> tuple[str, ...]:
        return ("--data-dir", str(d), "backup", "create", "--force")

    dur, code, _, err = run_timed(*argv(copy_dir(tpl, tmp_path / "ref")))
    assert code == 0, err
    base = count(tpl / DB, "payout")
    for t in kill_trials("backup", tpl, tmp_path, argv, dur, trials()):
        ok, why = _sound(t.data)
        bad = [b.path.name for b in list_backups(t.data) if verify_backup(b.path)]
        n = count(t.data / DB, "payout")
        tally.record(f"backup #{t.index}", ok and not bad and traceback_free(t.err), max(0, base - n),
                     why or f"damaged backups {bad}")
    assert not [f for f in tally.failures if f.startswith("backup")]


def test_sigkill_restore(township_tpl: Path, tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    """Killed while restoring: the old data or the restored data, and the old data always kept."""
    from gkdesk import backups

    tpl = copy_dir(township_tpl, tmp_path / "tpl")
    chosen = backups.create_backup(tpl, "manual", force=True)
    assert chosen is not None
    _import(tpl, payout_list(tmp_path / "after.xlsx", 800), "第二批")  # saved after that backup
    before, after = count(chosen.path, "payout"), count(tpl / DB, "payout")

    def argv(d: Path) -> tuple[str, ...]:
        return ("--data-dir", str(d), "backup", "restore", chosen.path.name)

    dur, code, _, err = run_timed(*argv(copy_dir(tpl, tmp_path / "ref")))
    assert code == 0, err
    for t in kill_trials("restore", tpl, tmp_path, argv, dur, trials()):
        ok, why = _sound(t.data)
        n = count(t.data / DB, "payout")
        kept = n == after or any(count(b.path, "payout") == after for b in backups.list_backups(t.data)
                                 if b.reason == "before-restore")
        lost = 0 if kept else after - before
        tally.record(f"restore #{t.index}", ok and n in (before, after) and traceback_free(t.err), lost,
                     why or f"{n} payouts (expected {before} or {after})")
    assert not [f for f in tally.failures if f.startswith("restore")]


def test_sigkill_notice_writing(township_tpl: Path, tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    con = sqlite3.connect(township_tpl / DB)
    batch = con.execute("SELECT id FROM payout_batch").fetchone()[0]
    con.close()

    def argv(d: Path) -> tuple[str, ...]:
        return ("--data-dir", str(d), "notice", "payouts", batch, "--mask", "id-partial",
                "-o", str(d / "outputs" / "公示.pdf"))

    dur, code, _, err = run_timed(*argv(copy_dir(township_tpl, tmp_path / "ref")))
    assert code == 0, err
    base = count(township_tpl / DB, "payout")
    for t in kill_trials("notice", township_tpl, tmp_path, argv, dur, trials()):
        ok, why = _sound(t.data)
        pdfs = list((t.data / "outputs").glob("*.pdf")) if (t.data / "outputs").exists() else []
        whole = all(p.read_bytes().startswith(b"%PDF") and b"%%EOF" in p.read_bytes()[-64:] for p in pdfs)
        tally.record(f"notice #{t.index}", ok and whole and traceback_free(t.err),
                     max(0, base - count(t.data / DB, "payout")), why or "half-written PDF")
    assert not [f for f in tally.failures if f.startswith("notice")]


@pytest.fixture(scope="module")
def county_tpl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A county enrolled with 高桥镇, and three packages from it in sequence."""
    from gkdesk import sync, township
    from gkdesk.app import Workspace
    from gkdesk.app import payouts as payout_ops
    from tests.sync.helpers import enrol, make_county
    from tests.sync.helpers import make_township as sync_township

    root = tmp_path_factory.mktemp("faults-county")
    t, c = sync_township(root, "t"), make_county(root)
    enrol(t, c, root)
    usb = root / "usb"
    pkgs = list(sync.export_data(t, usb / "1", "乡镇").files)
    for v in ("石桥村", "白果村", "双河村", "新华社区"):
        with t.session() as s:
            township.add_village(s, v, 3, "乡镇")
    payout_ops.import_list(Workspace(t, "乡镇"), payout_list(root / "p.xlsx", 1200), program="耕地地力保护补贴",
                           year=2026, period="第一批")
    pkgs += sync.export_data(t, usb / "2", "乡镇").files
    with t.session() as s:
        township.add_village(s, "新村", 2, "乡镇")
    pkgs += sync.export_data(t, usb / "3", "乡镇").files
    t.close()
    c.close()
    return root / "county", pkgs


def test_sigkill_county_import_of_several_packages(county_tpl, tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    from gkdesk.cli import main

    tpl, pkgs = county_tpl
    files = [str(p) for p in pkgs]

    def argv(d: Path) -> tuple[str, ...]:
        return ("--data-dir", str(d), "sync", "import", *files, "--receipts-dir", str(d / "receipts"))

    # the state after each prefix of the packages: a kill may land between any two
    states = []
    for k in range(len(files) + 1):
        d = copy_dir(tpl, tmp_path / f"prefix-{k}")
        if k:
            assert main(["--data-dir", str(d), "sync", "import", *files[:k], "--receipts-dir", str(d / "r")]) == 0
        states.append((count(d / DB, "village"), count(d / DB, "payout")))
    dur, code, _, err = run_timed(*argv(copy_dir(tpl, tmp_path / "ref")))
    assert code == 0, err
    for t in kill_trials("county-import", tpl, tmp_path, argv, dur, trials()):
        ok, why = _sound(t.data)
        state = (count(t.data / DB, "village"), count(t.data / DB, "payout"))
        # the clerk imports the same files again: everything arrives, nothing twice
        main(["--data-dir", str(t.data), "sync", "import", *files, "--receipts-dir", str(t.data / "receipts")])
        final = (count(t.data / DB, "village"), count(t.data / DB, "payout"))
        lost = sum(max(0, a - b) for a, b in zip(states[-1], final, strict=True))
        tally.record(f"county import #{t.index}", ok and state in states and final == states[-1]
                     and traceback_free(t.err), lost, why or f"state {state}, after re-import {final}")
    assert not [f for f in tally.failures if f.startswith("county import")]
