"""The last resort: an unexpected error is a Chinese message and a log file, never a traceback."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gkdesk import crashlog


def test_cli_turns_an_unexpected_error_into_a_message_and_a_private_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from gkdesk.cli import main, setup_cmds

    def boom(ctx, args):  # type: ignore[no-untyped-def]
        raise RuntimeError("unexpected: row 张三 110101199003071234 account 6217000000000000001")

    monkeypatch.setattr(setup_cmds, "cmd_villages_list", boom)
    data = tmp_path / "data"
    code = main(["--data-dir", str(data), "villages", "list"])
    err = capsys.readouterr().err
    assert code == 2
    assert "程序遇到意外错误" in err and "Traceback" not in err
    [log] = list((data / crashlog.LOG_DIRNAME).glob("gkdesk-error-*.log"))
    assert str(log) in err
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "Traceback" in text  # the details are for support, in the file
    assert "110101199003071234" not in text and "6217000000000000001" not in text
    assert "1101**********1234" in text
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_cli_full_disk_oserror_is_the_disk_full_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import errno

    from gkdesk.cli import main, setup_cmds

    def full(ctx, args):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x"))

    monkeypatch.setattr(setup_cmds, "cmd_villages_list", full)
    assert main(["--data-dir", str(tmp_path / "data"), "villages", "list"]) == 2
    assert "磁盘空间已满" in capsys.readouterr().err


def test_window_excepthook_shows_a_message_with_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from gkdesk.ui import app as ui_app
    from gkdesk.ui.qt import QtWidgets

    QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    shown: list[str] = []
    monkeypatch.setattr(QtWidgets.QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    ui_app.install_excepthook(tmp_path)
    try:
        raise ValueError("a slot failed")
    except ValueError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    [text] = shown
    [log] = list((tmp_path / crashlog.LOG_DIRNAME).glob("*.log"))
    assert "程序遇到意外错误" in text and str(log) in text and "ValueError" in log.read_text(encoding="utf-8")
