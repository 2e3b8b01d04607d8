"""Resolving a conflict: keep the county's or the township's version; backed up, audited,
and what comes afterwards (a --full resend, a later township edit) behaves as the clerk expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gkdesk import sync, township
from gkdesk.app import sync as ops
from gkdesk.app.workspace import Workspace
from gkdesk.cli import main as cli_main
from gkdesk.errors import InputRejected, NotFound
from gkdesk.hints import Hint
from gkdesk.models import AuditEntry, SyncConflict, Village
from gkdesk.sync.conflicts import list_conflicts, resolve_conflict

from .helpers import self_id


def _send(pair, tmp_path, **kw):
    res = sync.export_data(pair.township, tmp_path / "usb", "乡镇", **kw)
    reps = sync.import_files(pair.county, res.files, "县级")
    for r in reps:
        for f in r.receipt_files:
            sync.import_files(pair.township, [Path(f)], "乡镇")
    return reps[0]


def _conflict(pair, tmp_path) -> tuple[str, int]:
    tid = self_id(pair.township)
    _send(pair, tmp_path)
    with pair.county.session() as s:
        s.scalar(select(Village).where(Village.township_id == tid, Village.name == "柳树村")).code = "511702101002"
    with pair.township.session() as s:
        township.find_village(s, "柳树村").name = "柳树社区"
        vid = township.find_village(s, "柳树社区").id
    rep = _send(pair, tmp_path)
    assert rep.totals["conflicting"] == 1
    with pair.county.session() as s:
        [c] = list_conflicts(s)
    assert sorted(c.fields) == ["code", "name"]
    return vid, c.id


def _backups(pair) -> int:
    return len(list((pair.county.data_dir / "backups").rglob("*.sqlite3*")))


def test_keep_township_applies_their_version_and_later_edits_flow(pair, tmp_path):
    vid, cid = _conflict(pair, tmp_path)
    before = _backups(pair)
    res = ops.resolve_conflict(Workspace(pair.county, "县级"), cid, "township")
    assert res.keep == "township" and res.backed_up and _backups(pair) == before + 1
    assert "已采用乡镇版本" in res.summary() and "处理前已自动备份" in res.summary()
    with pair.county.session() as s:
        v = s.get(Village, vid)
        assert (v.name, v.code) == ("柳树社区", "")
        assert s.get(SyncConflict, cid).resolution == "township"
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "sync.resolve"))
        assert entry.operator == "县级" and json.loads(entry.detail)["keep"] == "township"
        assert list_conflicts(s) == []
    with pair.township.session() as s:  # their next edit is an ordinary update now
        township.find_village(s, "柳树社区").name = "柳树新村"
    rep = _send(pair, tmp_path)
    assert rep.totals["conflicting"] == 0 and rep.tables["village"]["updated"] == 1
    with pair.county.session() as s:
        assert s.get(Village, vid).name == "柳树新村"
    with pytest.raises(InputRejected, match="已于"):
        resolve_conflict(pair.county, cid, "county", "县级")


def test_keep_county_survives_a_full_resend_but_not_a_new_edit(pair, tmp_path):
    vid, cid = _conflict(pair, tmp_path)
    resolve_conflict(pair.county, cid, "county", "县级")
    with pair.county.session() as s:
        assert (s.get(Village, vid).name, s.get(Village, vid).code) == ("柳树村", "511702101002")
    rep = _send(pair, tmp_path, full=True)
    assert rep.totals["conflicting"] == 0
    with pair.county.session() as s:
        assert s.scalar(select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))) == 0
        assert s.get(Village, vid).name == "柳树村"
    with pair.township.session() as s:
        township.find_village(s, "柳树社区").name = "柳树三村"
    rep = _send(pair, tmp_path)
    assert rep.totals["conflicting"] == 1  # both sides changed it again: review again


def test_cli_lists_and_resolves(pair, tmp_path, capsys):
    _, cid = _conflict(pair, tmp_path)
    d = str(pair.county.data_dir)
    assert cli_main(["--data-dir", d, "sync", "conflicts"]) == 0
    out = capsys.readouterr().out
    assert f"#{cid} 村(社区)" in out and "乡镇“柳树社区”" in out and "县级“柳树村”" in out
    assert cli_main(["--data-dir", d, "sync", "resolve", str(cid), "--keep", "township", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["keep"] == "township"
    assert cli_main(["--data-dir", d, "sync", "resolve", str(cid), "--keep", "county"]) == 1
    assert "已于" in capsys.readouterr().err
    assert cli_main(["--data-dir", d, "sync", "resolve", "999", "--keep", "county"]) != 0
    with pytest.raises(NotFound) as exc:
        resolve_conflict(pair.county, 999, "county", "县级")
    assert exc.value.hint == Hint.LIST_CONFLICTS and "gkdesk" not in exc.value.message
    assert cli_main(["--data-dir", d, "sync", "resolve", "999", "--keep", "county"]) == 1
    assert "gkdesk sync conflicts" in capsys.readouterr().err  # the CLI renders the hint as the command
