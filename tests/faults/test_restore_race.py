"""Two processes: a payout import and a restore started close together, in both orders.

Before the open/restore locks, both reported success and the import's rows were in no file.
Now a restore that comes while the import has the data open is refused, an import that comes
during a restore waits for it (or is refused), and what the import reported as saved is in the
final database — or, when the restore ran after the import had finished, in the safety backup
the restore made of what it replaced.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.helpers import (
    ROOT,
    copy_dir,
    count,
    gk_check,
    make_township,
    payout_list,
    rng,
    trials,
)

DB = "gkdesk.sqlite3"


def _spawn(data: Path, *argv: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "gkdesk", "--data-dir", str(data), *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)


@pytest.mark.skipif(os.name != "posix", reason="timing of two processes measured on POSIX")
def test_import_and_restore_race(tmp_path: Path, tally) -> None:  # type: ignore[no-untyped-def]
    from gkdesk import backups
    from gkdesk.cli import main

    tpl = tmp_path / "tpl"
    make_township(tpl)
    assert main(["--data-dir", str(tpl), "payouts", "import", str(payout_list(tmp_path / "a.xlsx", 200)),
                 "--program", "耕地地力保护补贴", "--year", "2026", "--period", "第一批"]) == 0
    chosen = backups.create_backup(tpl, "manual", force=True)
    assert chosen is not None
    base = count(tpl / DB, "payout")
    big = payout_list(tmp_path / "big.xlsx", 4000)
    r = rng("race")
    for i in range(trials(ci=6, long=30)):
        data = copy_dir(tpl, tmp_path / f"race-{i}")
        restore_first = i % 2 == 1
        imp_args = ("payouts", "import", str(big), "--program", "耕地地力保护补贴", "--year", "2026", "--period", "第二批")
        res_args = ("backup", "restore", chosen.path.name)
        first = _spawn(data, *(res_args if restore_first else imp_args))
        time.sleep(r.uniform(0.0, 1.5))
        second = _spawn(data, *(imp_args if restore_first else res_args))
        (imp, rest) = (second, first) if restore_first else (first, second)
        _, imp_err = imp.communicate(timeout=300)
        _, res_err = rest.communicate(timeout=300)
        n = count(data / DB, "payout")
        imported = imp.returncode == 0
        safety = [count(b.path, "payout") for b in backups.list_backups(data) if b.reason == "before-restore"]
        # what the import saved is in the live database, or — when the restore ran after it
        # finished — in the safety backup the restore made of the data it replaced
        kept = not imported or n == base + 4000 or base + 4000 in safety
        code, _ = gk_check(data)
        lost = 0 if kept else 4000
        ok = (code == 0 and n in (base, base + 4000) and "Traceback" not in imp_err + res_err
              and (imp.returncode == 0 or "恢复" in imp_err) and (rest.returncode == 0 or "不能从备份恢复" in res_err))
        tally.record(f"restore race #{i}", ok, lost,
                     f"import {imp.returncode} restore {rest.returncode}: {n} payouts, safety {safety}; "
                     f"{(imp_err + res_err)[-300:]}")
    assert not [f for f in tally.failures if f.startswith("restore race")]
