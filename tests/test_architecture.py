"""The layer rules hold in the tree, and the check really catches a broken rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.import_rules import check_tree

ROOT = Path(__file__).resolve().parents[1]


def test_no_forbidden_import_in_the_tree() -> None:
    violations = check_tree(ROOT)
    assert violations == [], "\n".join(map(str, violations))


@pytest.mark.parametrize(("module", "code", "expected"), [
    ("gkdesk/payouts/importer.py", "\n\ndef _late():\n    import gkdesk.ui.app  # noqa\n", "core → gkdesk.ui.app"),
    ("gkdesk/catalogue/core.py", "\nfrom gkdesk.cli.common import table  # noqa\n", "core → gkdesk.cli.common"),
    ("gkdesk/models/payout.py", "\nfrom gkdesk import township  # noqa\n", "models → gkdesk.township"),
    ("gkdesk/models/township.py", "\nfrom gkdesk.ui import qt  # noqa\n", "models → gkdesk.ui.qt"),
    ("gkdesk/cli/payouts_cmds.py", "\n\ndef x():\n    from gkdesk.ui.jobs import run_job  # noqa\n",
     "cli → gkdesk.ui.jobs"),
    ("gkdesk/app/payouts.py", "\nfrom gkdesk.cli.hints import hint_text  # noqa\n", "app → gkdesk.cli.hints"),
    ("gkdesk/workdays.py", "\nfrom PySide6 import QtCore  # noqa\n", "only gkdesk/ui may import Qt"),
    ("gkdesk/sync/export.py", "\nfrom ..app import workspace  # noqa\n", "core → gkdesk.app"),
])
def test_an_added_forbidden_import_is_reported(tmp_path: Path, module: str, code: str, expected: str) -> None:
    """Copy the package, add one bad import, and the check names the file and the edge."""
    shutil.copytree(ROOT / "gkdesk", tmp_path / "gkdesk", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / module
    if not target.exists():  # a module the tree may not have yet: create it
        target.write_text('"""stand-in"""\n', encoding="utf-8")
    target.write_text(target.read_text(encoding="utf-8") + code, encoding="utf-8")
    found = [str(v) for v in check_tree(tmp_path)]
    assert len(found) == 1, found
    assert found[0].startswith(module) and expected in found[0]


def test_selftest_may_use_both_faces_but_the_window_may_not_use_the_selftest(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "gkdesk", tmp_path / "gkdesk", ignore=shutil.ignore_patterns("__pycache__"))
    st = tmp_path / "gkdesk/selftest/__init__.py"
    st.write_text(st.read_text(encoding="utf-8") + "\nfrom gkdesk.cli import main  # noqa\n", encoding="utf-8")
    assert check_tree(tmp_path) == []
    win = tmp_path / "gkdesk/ui/selftest_window.py"
    win.write_text(win.read_text(encoding="utf-8") + "\nfrom gkdesk.selftest import run  # noqa\n", encoding="utf-8")
    assert [v.target for v in check_tree(tmp_path)] == ["gkdesk.selftest"]
