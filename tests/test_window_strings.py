"""No text a clerk sees in the window names a command, a flag or an internal field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from gkdesk.cli import hints as cli_hints
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.ui import hints as ui_hints
from tests.window_strings import COMMAND, FIELD, FLAG, findings

ROOT = Path(__file__).resolve().parents[1]


def test_no_window_string_names_a_flag_a_command_or_a_field() -> None:
    found = findings(ROOT)
    assert found == [], "\n".join(map(str, found))


def test_the_scan_finds_a_flag_planted_in_a_core_message(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "gkdesk", tmp_path / "gkdesk", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "gkdesk/township.py"
    before = target.read_text(encoding="utf-8").count("\n")
    target.write_text(target.read_text(encoding="utf-8")
                      + '\n\ndef _x():\n    raise ValueError(f"请加 --force 重试{1}")\n'
                      + '\n\ndef _y():\n    return "运行 gkdesk sync export 导出"\n'
                      + '\n\ndef _z():\n    return "已确认到第 acked_seq 号"\n', encoding="utf-8")
    what = sorted(f.what for f in findings(tmp_path) if f.file == "gkdesk/township.py" and f.line > before)
    assert what == ["内部字段名 acked_seq", "命令 gkdesk sync", "命令行参数 --force"]


@pytest.mark.parametrize("hint", list(Hint))
def test_every_hint_has_words_in_both_faces(hint: Hint) -> None:
    args = {"year": 2027, "names": ["红星村"], "code": "511702101", "name": "低保金"}
    cli_text = cli_hints.hint_text(hint, args)
    ui_text = ui_hints.hint_text(hint, args)
    assert cli_text and ui_text
    assert not FLAG.search(ui_text) and not COMMAND.search(ui_text) and not FIELD.search(ui_text), ui_text


def test_the_same_refusal_reads_differently_in_each_face() -> None:
    exc = InputRejected("高桥村2025年耕地地力保护补贴已有一份清册", hint=Hint.REPLACE_BATCH)
    cli = cli_hints.with_hint(exc.message, exc.hint, exc.hint_args)
    ui = ui_hints.with_hint(exc.message, exc.hint, exc.hint_args)
    assert "--replace" in cli and exc.message in cli
    assert "--" not in ui and "替换" in ui and exc.message in ui
