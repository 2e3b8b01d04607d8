"""``gkdesk selftest``: every step passes here, failures are reported and exit non-zero."""

from __future__ import annotations

import pytest

from gkdesk import selftest

BASE_STEPS = ["environment", "database", "calendar", "xlsx", "pdf", "crypto"]


def test_selftest_no_window_every_step_passes(cli, data_dir):
    r = cli("selftest", "--no-window", "--json")
    assert r.code == 0, r.out + r.err
    report = r.json
    assert report["status"] == "ok"
    keys = [s["key"] for s in report["steps"]]
    assert keys[: len(BASE_STEPS)] == BASE_STEPS
    assert "window" not in keys
    failed = [(s["title"], s["message"]) for s in report["steps"] if not s["ok"]]
    assert failed == []
    by_key = {s["key"]: s["message"] for s in report["steps"]}
    assert "2025-10-30" in by_key["calendar"]
    assert "pypdf 读回文字一致" in by_key["pdf"]
    # The clerk's data directory is never touched.
    assert list(data_dir.iterdir()) == []


def test_selftest_prints_one_chinese_line_per_step(cli):
    r = cli("selftest", "--no-window")
    assert r.code == 0, r.err
    lines = [ln for ln in r.out.splitlines() if ln.startswith("[")]
    assert len(lines) == len(selftest.selected_steps(window=False))
    assert all(ln.startswith("[通过] ") for ln in lines)
    assert f"自检通过:全部 {len(lines)} 项正常。" in r.out
    assert r.out.rstrip().splitlines()[-1] == f"selftest: {len(lines)} passed, 0 failed"


@pytest.fixture
def failing_step():
    saved = list(selftest.STEPS)

    @selftest.register("broken", "故意失败的检查", before="crypto")
    def broken(ctx):
        selftest.require(False, "缺少某个模块")
        return "不会到这里"

    yield
    selftest.STEPS[:] = saved


def test_failing_step_is_reported_and_others_still_run(cli, failing_step):
    r = cli("selftest", "--no-window")
    assert r.code == 1
    assert "[失败] 故意失败的检查:缺少某个模块" in r.out
    assert "[通过] 签名与加密" in r.out  # the step after the failure still ran
    assert "自检未通过:1 项失败" in r.out
    assert r.out.rstrip().splitlines()[-1] == f"selftest: {len(selftest.selected_steps(False)) - 1} passed, 1 failed"
    assert "SelftestFailed: 缺少某个模块" in r.err  # traceback for the IT person

    j = cli("selftest", "--no-window", "--json")
    assert j.code == 1
    assert j.json["status"] == "failed"
    broken = next(s for s in j.json["steps"] if s["key"] == "broken")
    assert broken["ok"] is False and "Traceback" in broken["detail"]


def test_feature_steps_register_only_when_their_package_exists():
    """Catalogue, payouts, notices and sync steps exist exactly when the feature does."""
    from gkdesk.selftest import features as selftest_features

    keys = [s.key for s in selftest.selected_steps()]
    features = [("catalogue", "gkdesk.catalogue", "catalogue"), ("payouts", "gkdesk.payouts", "payouts"),
                ("notices", "gkdesk.notices", "notice"), ("sync", "gkdesk.sync", "sync")]
    for key, module, command in features:
        expected = selftest_features._present(module) and selftest_features._command_registered(command)
        assert (key in keys) == expected, key
    assert keys[-1] == "window"  # feature steps go before the window


def test_made_up_ids_and_accounts_are_valid():
    from datetime import date

    from gkdesk.selftest.features import account_number, id_number

    assert id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"
    acct = account_number(7)
    digits = [int(c) for c in acct][::-1]
    assert len(acct) == 19
    assert sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)) % 10 == 0
