"""The sync operations as the clerk meets them: enrol, send, receive, refuse, re-enrol, county views.

Called directly on real data directories (a township and its county), checking the figures
of each result, that destructive steps left a backup, that the audit log has the entry, and
that a refusal carries its code and hint while its message names no flag or command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from gkdesk import township
from gkdesk.app import county as county_ops
from gkdesk.app import sync as ops
from gkdesk.app.workspace import Workspace
from gkdesk.cli import hints as cli_hints
from gkdesk.errors import InputRejected
from gkdesk.hints import Hint
from gkdesk.models import AuditEntry
from gkdesk.store import Store, open_store
from gkdesk.ui import hints as ui_hints


def _backups(ws: Workspace) -> int:
    return len(list((ws.data_dir / "backups").rglob("*.sqlite3*")))


def _actions(ws: Workspace) -> list[str]:
    with ws.session() as s:
        return list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def county_ws(tmp_path: Path):
    c = open_store(tmp_path / "county")
    with c.session() as s:
        township.init_installation(s, "通川区政务公开办", "511702", "通川区", role="county", operator="县级")
    ws = Workspace(c, "县级")
    yield ws
    ws.close()


@pytest.fixture
def pair(store: Store, county_ws: Workspace, tmp_path: Path) -> tuple[Workspace, Workspace]:
    t = Workspace(store, "乡镇")
    t_id, c_id = ops.export_identity(t, tmp_path / "t.json"), ops.export_identity(county_ws, tmp_path / "c.json")
    assert t_id.fingerprint in t_id.summary() and "电话核对" in t_id.summary()
    trusted = ops.trust(t, c_id.file)
    assert trusted.status == "trusted" and "已导入(待核验):通川区政务公开办" in trusted.summary()
    assert trusted.peer["state"] == "待核验"
    enrolled = ops.trust(county_ws, t_id.file)
    assert enrolled.peer["code"] == "511702101" and enrolled.enrolment_file is not None
    assert "登记文件" in enrolled.summary()
    # the county's enrolment file goes back on the same USB stick: it names the id the county assigned
    got = ops.trust(t, enrolled.enrolment_file)
    assert got.status == "enrolled" and not got.adopted and "核验县级指纹后" in got.summary()
    # the clerks read the digits to each other and type back what they heard
    before = _backups(t)
    v = ops.verify_peer(t, "511702", c_id.fingerprint)
    assert v.peer["state"] == "已核验" and v.adopted and _backups(t) == before + 1
    with t.session() as s, county_ws.session() as cs:
        from gkdesk.models import SyncPeer

        assert township.current(s).id == cs.scalar(select(SyncPeer.township_id).where(SyncPeer.code == "511702101"))
    assert "已核验" in ops.verify_peer(county_ws, "511702101", t_id.fingerprint).summary()
    return t, county_ws


def test_send_and_receive_with_one_backup_and_a_receipt(pair, tmp_path):
    t, c = pair
    first = ops.export_package(t, tmp_path / "usb", full=True)
    assert first.result.seq == 1 and first.result.counts["village"] == 3
    assert "村(社区) 3" in first.summary() and "village" not in first.summary()
    second = ops.export_package(t, tmp_path / "usb" / "第二个.gkpkg")
    assert second.result.files[0].name == "第二个.gkpkg"

    before = _backups(c)
    res = ops.import_packages(c, first.result.files + second.result.files, receipts_dir=tmp_path / "back")
    assert [r.status for r in res.packages] == ["applied", "applied"] and res.refused == 0
    assert res.packages[0].tables["village"]["new"] == 3 and "all" in res.changes
    assert _backups(c) == before + 1  # once per run, however many packages
    assert _actions(c).count("sync.import") == 2
    lines = res.lines()
    assert sum("回执已写入" in line for line in lines) == 2 and "共 2 个同步包:导入 2 个" in res.summary()

    receipt = Path(res.packages[1].receipt_files[0])
    back = ops.import_packages(t, [receipt])
    assert back.packages[0].totals == {"acked_seq": 2}
    assert "县级已确认收到第 2 号包" in back.lines()[0] and "acked_seq" not in back.lines()[0]

    hist = ops.history(t)
    assert {(h["direction"], h["kind"]) for h in hist.rows} == {("out", "data"), ("in", "receipt")}
    entry = next(e for e in hist.entries() if e["kind"] == "receipt")
    assert ops.report_lines(entry)[-1] == "县级已确认收到第 2 号包"


def test_refused_package_carries_its_hint_and_makes_no_backup(pair, county_ws, tmp_path):
    _t, c = pair
    other = open_store(tmp_path / "other")
    with other.session() as s:
        township.init_installation(s, "石桥镇", "511702102", "通川区", operator="乡镇")
    o = Workspace(other, "乡镇")
    county = ops.trust(o, tmp_path / "c.json").peer  # it trusts the county; the county never registered it
    ops.verify_peer(o, county["code"], county["fingerprint"])
    pkg = ops.export_package(o, tmp_path / "usb2").result.files
    o.close()

    before = _backups(c)
    res = ops.import_packages(c, pkg)
    [rep] = res.packages
    assert rep.status == "refused" and rep.hint == Hint.TRUST_KEY and res.refused == 1
    assert "--" not in rep.reason and "gkdesk " not in rep.reason and "未登记" in rep.reason
    assert _backups(c) == before  # nothing was going to be written
    assert "gkdesk keys trust" in res.lines(cli_hints.hint_text)[0]  # the CLI names the command …
    window = res.lines(ui_hints.hint_text)[0]
    assert "信任对方身份文件" in window and "gkdesk" not in window  # … the window the button
    log = (c.data_dir / "sync" / "refused.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(log[-1])["hint"] == "trust_key"
    assert "信任对方身份文件" in ops.history(c).refused_lines(ui_hints.hint_text)[0]


def test_new_keys_are_backed_up_and_re_enrolment_needs_replace(pair, tmp_path):
    t, c = pair
    before = _backups(t)
    reset = ops.reset_keys(t)
    assert _backups(t) == before + 1 and "keys.reset" in _actions(t)
    assert reset.fingerprint in reset.summary()
    endorsed_id = ops.export_identity(t, tmp_path / "t1.json")
    changed = ops.trust(c, endorsed_id.file)  # signed by the old key: accepted, still verified
    assert changed.endorsed and changed.peer["state"] == "已核验" and "原密钥签名确认" in changed.summary()
    for f in (t.data_dir / "keys").glob("*.kek"):
        f.unlink()  # the key file is lost: the next new keys cannot be endorsed
    ops.reset_keys(t)
    new_id = ops.export_identity(t, tmp_path / "t2.json")
    with pytest.raises(InputRejected) as exc:
        ops.trust(c, new_id.file)
    assert exc.value.hint == Hint.REPLACE_TRUST and exc.value.code == "rejected"
    assert "--" not in exc.value.message and "gkdesk " not in exc.value.message
    before = _backups(c)
    again = ops.trust(c, new_id.file, replace=True)
    assert again.status == "replaced" and again.old_fingerprint and "原指纹" in again.summary()
    assert again.peer["state"] == "待核验"  # verified again by phone before packages flow
    assert _backups(c) == before + 1 and _actions(c).count("keys.trust") == 3


def test_update_names_the_townships_left_out(pair, store, tmp_path):
    _t, c = pair
    with c.session() as s:
        from gkdesk.sync import keys

        keys.revoke(s, "511702101", "县级")
    with pytest.raises(InputRejected):  # the only township is revoked: nothing to send
        ops.send_update(c, tmp_path / "down")
    other = open_store(tmp_path / "o2")
    with other.session() as s:
        township.init_installation(s, "石桥镇", "511702102", "通川区", operator="乡镇")
    o = Workspace(other, "乡镇")
    oid = ops.export_identity(o, tmp_path / "o2.json")
    ops.trust(c, oid.file)
    ops.verify_peer(c, "511702102", oid.fingerprint)
    sent = ops.send_update(c, tmp_path / "down", years=[2025])
    assert len(sent.results) == 1 and "未发给 1 个" in sent.summary() and "高桥镇(511702101)" in sent.summary()
    o.close()


def test_county_refusals_name_hints_not_flags(pair, tmp_path):
    t, c = pair
    with pytest.raises(InputRejected) as exc:
        ops.export_package(c, tmp_path / "x")
    assert exc.value.hint == Hint.SEND_UPDATE and "gkdesk" not in exc.value.message
    with pytest.raises(InputRejected) as exc:
        county_ops.status(t)
    assert exc.value.hint == Hint.COUNTY_ROLE and "--" not in exc.value.message
    with pytest.raises(InputRejected) as exc:
        ops.send_update(c, tmp_path / "down", codes=["999"])
    assert exc.value.hint == Hint.TRUST_KEY and "gkdesk" not in exc.value.message


def test_county_views_and_workbook(pair, tmp_path):
    t, c = pair
    ops.import_packages(c, ops.export_package(t, tmp_path / "usb").result.files)
    st = county_ops.status(c)
    assert st.summary() == "已登记 1 个乡镇"
    [row] = st.rows()
    assert row[:3] == ["高桥镇", "511702101", 1]
    assert "村(社区)" in st.headers() and "village" not in st.headers()
    assert county_ops.payouts(c).summary() == "尚无补贴发放数据"
    assert county_ops.catalogue(c).townships[0]["township"] == "高桥镇"
    assert county_ops.villages(c).townships[0]["villages"] == 3
    out = county_ops.export_workbook(c, tmp_path / "汇总.xlsx", views=["status"])
    assert out.file.exists() and out.counts["townships"] == 1 and "1 个乡镇" in out.summary()
